"""The one check of a status change against a module's transition table, with the one message that says why not.

Every module keeps its table beside its model (`TRANSITIONS = {status: (allowed next, ...)}`); its services call
`check_move` before they write the new status, so a refused move reads the same everywhere:
"事项不能从“推进中”转为“已创建”（可转为：已完成、已放弃）。"

A versioned record changes its status through `move`: the check above, then the claim of the next version
(`bump_version`, ConcurrentEdit on a stale one), then the new status on the instance. The caller sets its other
fields, saves and appends to the record book, naming the status left (what `move` returns) and the one reached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import TextChoices

from cunshe.core.concurrency import Versioned, bump_version
from cunshe.core.errors import IllegalTransition


def refusal(
    table: Mapping[str, Iterable[str]],
    current: str,
    target: str,
    labels: type[TextChoices],
    *,
    what: str,
) -> str | None:
    """Why the table does not allow `current → target`, naming the moves it allows; None when it does. For a
    check that collects its refusals (an import's row errors) rather than raising the first."""
    moves = tuple(table.get(current, ()))
    if target in moves:
        return None

    def label(value: str) -> str:
        return str(labels(value).label) if value in labels.values else value

    allowed = "、".join(label(s) for s in moves) or "无"
    return f"{what}不能从“{label(current)}”转为“{label(target)}”（可转为：{allowed}）。"


def check_move(
    table: Mapping[str, Iterable[str]],
    current: str,
    target: str,
    labels: type[TextChoices],
    *,
    what: str,
) -> None:
    """Refuse `current → target` unless the table allows it (IllegalTransition, 409), naming the moves it allows.
    An unknown target (a typo in an API body) is shown as given rather than failing on its label."""
    if (why := refusal(table, current, target, labels, what=what)) is not None:
        raise IllegalTransition(why)


def move(
    obj: Versioned,
    target: str,
    *,
    table: Mapping[str, Iterable[str]],
    labels: type[TextChoices],
    what: str,
    expected_version: int | None,
    field: str = "status",
) -> str:
    """Move `obj` to `target` if its table allows it (check_move) and `expected_version` is still its version
    (bump_version claims the next one in the database); sets the status on the instance, unsaved, and returns the
    label of the status it left, for the record book's `before`."""
    current = getattr(obj, field)
    check_move(table, current, target, labels, what=what)
    bump_version(obj, expected_version=expected_version)
    setattr(obj, field, target)
    return str(labels(current).label)
