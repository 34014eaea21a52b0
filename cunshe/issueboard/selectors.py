"""The boards: per child region the open, overdue and closed issues and the difficult villages, summed from the
per-village tally rows by code prefix; overdue comes from one grouped count over open issues past their deadline
today (the date moves, whether or not the daily job has run yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.issueboard.models import OPEN_STATUSES, Issue, IssueTally
from cunshe.issueboard.permissions import issue_policy, tally_policy
from cunshe.records.kept import Kept
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change


@dataclass
class BoardRow:
    code: str
    name: str
    open: int = 0
    closed: int = 0
    overdue: int = 0
    difficult: int = 0

    @property
    def progress(self) -> float | None:
        total = self.open + self.closed
        return round(100 * self.closed / total, 1) if total else None


@dataclass
class Board:
    under: str
    term_change: TermChange | None
    rows: list[BoardRow]
    total: BoardRow
    difficult: list[IssueTally]


def board(user: Any, under: str) -> Board:
    return board_kept(user, under).value


def board_kept(user: Any, under: str) -> Kept[Board]:
    """`_board`, kept while the county's record book stands still, with the key of its rendered table (records.kept,
    issue 15)."""
    return Kept(f"issueboard.board:{under}", user, lambda: _board(user, under), region_code=under)


def _board(user: Any, under: str) -> Board:
    """Sums of the villages' tally rows by child region; overdue counted against today, not as the daily job last
    stored it (a day the job did not run would otherwise show yesterday's number)."""
    term_change = current_term_change(under) if len(under) >= 6 else None
    total = BoardRow(code=under, name="合计")
    if term_change is None:
        return Board(under=under, term_change=None, rows=[], total=total, difficult=[])
    length = CHILD_LENGTH.get(len(under), 12)
    tallies = (
        tally_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under)
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(
            open=Sum("open"),
            closed=Sum("closed"),
            difficult=Count("id", filter=Q(is_difficult=True)),
        )
        .order_by("child")
    )
    late = dict(
        issue_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under, status__in=OPEN_STATUSES)
        .filter(due_on__lt=timezone.localdate())
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("child", "n")
    )
    rows = {
        t["child"]: BoardRow(t["child"], "", t["open"], t["closed"], late.get(t["child"], 0), t["difficult"])
        for t in tallies
    }
    names = rollup_rows(user, under)
    for code in names.keys() - rows.keys():
        rows[code] = BoardRow(code, "")
    for row in rows.values():
        row.name = names.get(row.code, row.code)
        total.open += row.open
        total.closed += row.closed
        total.overdue += row.overdue
        total.difficult += row.difficult
    difficult = list(
        tally_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under, is_difficult=True)
        .select_related("region")
        .order_by("-open", "region_id")
    )
    return Board(
        under=under,
        term_change=term_change,
        rows=sorted(rows.values(), key=lambda r: r.code),
        total=total,
        difficult=difficult,
    )


def issues_of_village(user: Any, village_code: str) -> QuerySet[Issue]:
    return (
        issue_policy.visible_to(user)
        .filter(region_id=village_code)
        .select_related("visit")
        .order_by("status", "due_on", "id")
    )


def open_issues_under(user: Any, code: str) -> QuerySet[Issue]:
    """The open issues of the villages under a region, by village and deadline (the wall chart's list)."""
    return (
        issue_policy.visible_to(user)
        .filter(region_id__startswith=code, status__in=OPEN_STATUSES)
        .select_related("region")
        .order_by("region_id", "due_on", "id")
    )


def overdue_issues_for(user: Any, *, today: date) -> QuerySet[Issue]:
    """Open issues past their deadline that the user may move (the to-do lists); closed ones are done."""
    return (
        issue_policy.visible_to(user, "change")
        .filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .select_related("region")
        .order_by("due_on", "id")
    )


def tally_of_village(user: Any, village_code: str) -> IssueTally | None:
    term_change = current_term_change(village_code)
    if term_change is None:
        return None
    return tally_policy.visible_to(user).filter(term_change=term_change, region_id=village_code).first()
