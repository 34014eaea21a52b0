"""The quarantine checks (审核) of a count sheet: pure functions of its agreed figures. A sheet that fails one cannot
be signed off until a settler clears that check with a recorded reason or corrects the figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cunshe.teams.models import Post

INT_FIELDS = ("issued", "returned", "valid", "invalid")
MEETING_INT_FIELDS = ("due", "present")
# ballots written by the station's 代书人 for voters who cannot write (a direct election's box; the 民政 return
# reports their total)
DIRECT_INT_FIELDS = ("written_for",)
LIST_FIELDS = ("absent", "excluded")


def post_votes(figures: Mapping[str, Any], post: str, candidate_posts: Mapping[str, str]) -> int:
    """All votes cast on `post`: its formal candidates' and its write-ins'."""
    total = 0
    for key, value in figures.items():
        if (key.startswith("votes:") and candidate_posts.get(key[6:]) == post) or key.startswith(f"writein:{post}:"):
            total += int(value)
    return total


def checks(
    figures: Mapping[str, Any],
    *,
    seats: Mapping[str, int],
    candidate_posts: Mapping[str, str],
    meeting: bool,
    others: Iterable[tuple[str, Mapping[str, Any]]] = (),
) -> list[tuple[str, str]]:
    """(key, Chinese message) for every check the figures fail. `seats` is post → seats; `candidate_posts` maps a
    candidate id (str) to its post; `others` are (box name, figures) of the election's other agreed sheets."""
    failed: list[tuple[str, str]] = []
    issued, returned = int(figures.get("issued", 0)), int(figures.get("returned", 0))
    valid, invalid = int(figures.get("valid", 0)), int(figures.get("invalid", 0))
    if returned > issued:
        failed.append(("over_issued", f"收回选票 {returned} 张多于发出选票 {issued} 张。"))
    if valid + invalid != returned:
        failed.append(
            ("sums", f"有效票 {valid} 张加无效票 {invalid} 张为 {valid + invalid} 张，不等于收回选票 {returned} 张。")
        )
    for post, n in seats.items():
        void = int(figures.get(f"void:{post}", 0))
        cast = post_votes(figures, post, candidate_posts)
        most = max(returned - invalid - void, 0) * n
        if cast > most:
            failed.append(
                (
                    f"post:{post}",
                    f"{Post(post).label}得票合计 {cast} 票，超过可投票数 {most} 票"
                    f"（（收回 {returned} − 无效 {invalid} − 该职务废票 {void}）× 应选 {n}）。",
                )
            )
    written_for = int(figures.get("written_for", 0))
    if written_for > returned:
        failed.append(("written_for", f"代写选票 {written_for} 张多于收回选票 {returned} 张。"))
    if meeting:
        due, present = int(figures.get("due", 0)), int(figures.get("present", 0))
        absent = len(figures.get("absent", []))
        if present > due:
            failed.append(("attendance", f"实到 {present} 人多于应到 {due} 人。"))
        elif present + absent != due:
            failed.append(("attendance", f"实到 {present} 人加缺席 {absent} 人不等于应到 {due} 人，请写明每名缺席者。"))
        if returned > present:
            failed.append(("over_present", f"收回选票 {returned} 张多于实到 {present} 人。"))
    numbers = [v for v in figures.values() if isinstance(v, int)]
    if not any(numbers):
        failed.append(("zeros", "计票单各项均为 0，请核对是否空票箱或漏填。"))
    else:
        for name, other in others:
            if dict(other) == dict(figures):
                failed.append(("duplicate", f"与“{name}”的计票单数据完全相同，可能重复报送。"))
                break
    return failed
