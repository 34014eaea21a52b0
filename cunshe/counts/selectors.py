"""Reads of the count, always through the policies: an election's boxes and sheets, what an entrant may see of a
sheet (never the other entry), the county election-day board and the statistical return (both from CountSummary
rows, never the sheets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.counts.models import CountSummary, Entry, Sheet, SheetStatus
from cunshe.counts.permissions import sheet_policy, summary_policy
from cunshe.elections.models import DIRECT_KINDS, Election, Round
from cunshe.elections.permissions import election_policy
from cunshe.polling.models import Station
from cunshe.regions.selectors import rollup_rows


def boxes(user: Any, election: Election) -> list[tuple[Station | None, Sheet | None]]:
    """Each box of the election with its sheet (or the meeting's one sheet)."""
    sheets = {
        s.station_id: s for s in sheet_policy.visible_to(user).filter(election=election).prefetch_related("entries")
    }
    if not election.is_direct:
        return [(None, sheets.get(None))]
    return [(st, sheets.get(st.pk)) for st in Station.objects.filter(election=election).order_by("position")]


def entries_shown(user: Any, sheet: Sheet) -> list[Entry]:
    """The entries this user may read: all of them for a settler (to settle against the paper), else only their
    own — the second entrant never sees the first entry, nor the first the second."""
    entries = list(sheet.entries.select_related("entered_by"))
    if sheet_policy.can(user, "settle", sheet):
        return entries
    return [e for e in entries if e.entered_by_id == getattr(user, "pk", None)]


def figures_shown(user: Any, sheet: Sheet) -> dict[str, Any]:
    """The agreed figures, to anyone who may see the sheet once both entries are in and agree (or are settled);
    nothing while a second entry is still to come or differences wait for a settler."""
    if sheet.status in (SheetStatus.FIRST, SheetStatus.DIFFERING):
        return {}
    return dict(sheet.figures)


# ---------------------------------------------------------------------------------------------------------------
# The county election-day board


@dataclass
class BoardRow:
    code: str
    name: str
    villages: int = 0
    expected: int = 0
    received: int = 0
    reconciled: int = 0
    signed_off: int = 0
    quarantined: int = 0
    differing: int = 0
    returned: int = 0
    registered: int = 0
    counted: int = 0
    invalid: int = 0
    further: int = 0

    @property
    def turnout(self) -> Fraction | None:
        return Fraction(self.returned, self.registered) if self.registered else None

    @property
    def turnout_percent(self) -> str | None:
        t = self.turnout
        return None if t is None else f"{float(t * 100):.1f}"


@dataclass
class Board:
    region: Any
    day: date
    rows: list[BoardRow]
    total: BoardRow
    quarantined: list[CountSummary] = field(default_factory=list)
    to_hold: list[CountSummary] = field(default_factory=list)


SUMS = {
    "received": "boxes_received",
    "reconciled": "boxes_reconciled",
    "signed_off": "boxes_signed_off",
    "quarantined": "boxes_quarantined",
    "differing": "boxes_differing",
    "returned": "returned",
    "registered": "registered",
}


def board(user: Any, region: Any, day: date) -> Board:
    """The election-day board under `region` for `day`: one row per region one level down (towns of a county,
    villages of a town), from CountSummary rows and the elections of the day. A constant number of queries, each
    grouped by that region in the database: a county voting in 900 villages reads a row per town, not per village
    (bench/elections.py)."""
    depth = 9 if len(region.code) == 6 else 12
    names = rollup_rows(user, region.code)
    rows = {code: BoardRow(code, name) for code, name in names.items()}
    elections = election_policy.visible_to(user).filter(region_id__startswith=region.code, election_day=day)
    for code, n in _per_area(elections, "region_id", depth).annotate(n=Count("pk")).values_list("area", "n"):
        if code in rows:
            rows[code].villages += n
    summaries = summary_policy.visible_to(user).filter(region_id__startswith=region.code, election_day=day)
    sums = _per_area(summaries, "region_id", depth).annotate(
        # aliased: "returned" and "registered" are also the summary's own fields
        **{f"n_{attr}": Sum(col) for attr, col in SUMS.items()},
        n_counted=Count("pk", filter=Q(counted=True)),
        n_invalid=Count("pk", filter=Q(result_status="rerun")),
        n_further=Count("pk", filter=Q(result_status__in=("further_round", "tie"))),
    )
    for s in sums:
        row = rows.get(s["area"])
        if row is None:
            continue
        for attr in (*SUMS, "counted", "invalid", "further"):
            setattr(row, attr, getattr(row, attr) + (s[f"n_{attr}"] or 0))
    # Boxes expected: the polling stations of the day's elections (set up before voting, not the sheets), and one
    # sheet for each election held in a meeting; counted here so a box added after the first sheet still shows.
    stations = Station.objects.filter(election__in=elections)
    meetings = elections.exclude(kind__in=DIRECT_KINDS)
    for qs, path in ((stations, "election__region_id"), (meetings, "region_id")):
        for code, n in _per_area(qs, path, depth).annotate(n=Count("pk")).values_list("area", "n"):
            if code in rows:
                rows[code].expected += n
    total = BoardRow(region.code, "合计")
    for row in rows.values():
        for attr in (*SUMS, "expected", "villages", "counted", "invalid", "further"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    flagged = list(summaries.filter(boxes_quarantined__gt=0).select_related("region", "election").order_by("region_id"))
    to_hold = list(
        summaries.filter(result_status__in=("rerun", "further_round", "tie"))
        .select_related("region", "election")
        .order_by("region_id")
    )
    return Board(region, day, list(rows.values()), total, flagged, to_hold)


def _per_area(qs: QuerySet[Any], path: str, depth: int) -> QuerySet[Any]:
    """`qs` grouped by the first `depth` characters of the region code at `path` (its town or its village)."""
    return qs.annotate(area=Substr(path, 1, depth)).order_by().values("area")


# ---------------------------------------------------------------------------------------------------------------
# The statistical return (民政统计)


@dataclass
class ReturnRow:
    code: str
    name: str
    registered: int = 0
    voted: int = 0
    mobile: int = 0
    sub_venues: int = 0
    booths: int = 0
    proxies: int = 0
    written_for: int = 0
    elected: int = 0
    elected_further: int = 0
    women: int = 0
    party: int = 0


def statistical_return(user: Any, region: Any, kind: str) -> list[ReturnRow]:
    """The upward return per village (under a town) or per town (under a county), with its total last: the main
    round's registered and voted, mobile-box votes, sub-venues, booths, the elected (main and 另行选举), women and
    party members among them, the approved proxies (委托投票) and the ballots written for others (代写)."""
    depth = 9 if len(region.code) == 6 else 12
    rows = {code: ReturnRow(code, name) for code, name in rollup_rows(user, region.code).items()}
    qs = summary_policy.visible_to(user).filter(region_id__startswith=region.code, kind=kind, counted=True)
    grouped = qs.values("region_id", "round", "result_status").annotate(
        registered=Sum("registered"), voted=Sum("returned"), mobile=Sum("mobile_returned"), sub=Sum("sub_venues"),
        booths=Sum("booths"), proxies=Sum("proxies"), written_for=Sum("written_for"), elected=Sum("elected"), women=Sum("elected_women"), party=Sum("elected_party"),
    )  # fmt: skip
    for g in grouped:
        row = rows.get(g["region_id"][:depth])
        if row is None:
            continue
        if g["round"] == Round.FURTHER:
            row.elected_further += g["elected"]
        elif g["result_status"] != "rerun":  # an invalid round's figures give way to its rerun's
            row.registered += g["registered"]
            row.voted += g["voted"]
            row.mobile += g["mobile"]
            row.sub_venues += g["sub"]
            row.booths += g["booths"]
            row.proxies += g["proxies"]
            row.written_for += g["written_for"]
        row.elected += g["elected"]
        row.women += g["women"]
        row.party += g["party"]
    total = ReturnRow(region.code, "合计")
    for row in rows.values():
        for attr in ("registered", "voted", "proxies", "mobile", "written_for", "sub_venues", "booths", "elected",
                     "elected_further", "women", "party"):  # fmt: skip
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    return [*rows.values(), total]
