"""Reads of the investigation teams and the 六清 checklists, from the scoped querysets of permissions.py; the town
and county tables sum the villages' tally rows by code prefix (a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.investigations.models import (
    ClearingItem,
    ClearingTally,
    Coverage,
    InvestigationTeam,
    ItemIssue,
    ItemStatus,
    WorkLog,
)
from cunshe.investigations.permissions import item_policy, tally_policy, team_policy
from cunshe.issueboard.models import IssueTally
from cunshe.issueboard.permissions import tally_policy as board_tally_policy
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change


def teams_visible(user: Any) -> QuerySet[InvestigationTeam]:
    return (
        team_policy.visible_to(user)
        .select_related("region")
        .annotate(
            n_members=Count("members", distinct=True),
            n_villages=Count("coverages", filter=Q(coverages__to_on__isnull=True), distinct=True),
        )
        .order_by("region_id", "name")
    )


def coverages_of(team: InvestigationTeam) -> list[Coverage]:
    return list(team.coverages.select_related("region").order_by("to_on", "region_id", "from_on"))


def logs_of(team: InvestigationTeam) -> QuerySet[WorkLog]:
    """The team's talks and visits, newest first, to be paged (the list stopped at 200 without saying so)."""
    return team.logs.select_related("region").order_by("-worked_on", "-pk")


def log_totals(team: InvestigationTeam) -> list[dict[str, Any]]:
    """Talks and households per village for this team."""
    return [
        dict(row)
        for row in team.logs.values("region_id", "region__name")
        .annotate(talks=Sum("talks"), households=Sum("households"), days=Count("pk"))
        .order_by("region_id")
    ]


@dataclass
class Checklist:
    village: Any
    items: list[ClearingItem]
    tally: ClearingTally | None
    board: IssueTally | None  # the issue board's row: difficult-village flag and its open issues
    teams: list[Coverage] = field(default_factory=list)


def checklist_of(user: Any, village: Any) -> Checklist:
    term_change = current_term_change(village.code)
    items = list(
        item_policy.visible_to(user)
        .filter(region_id=village.code, term_change=term_change)
        .prefetch_related(Prefetch("links", queryset=ItemIssue.objects.select_related("issue").order_by("pk")))
        .order_by("position")
    )
    tally = tally_policy.visible_to(user).filter(region_id=village.code, term_change=term_change).first()
    board = board_tally_policy.visible_to(user).filter(region_id=village.code, term_change=term_change).first()
    covers = list(Coverage.objects.filter(region_id=village.code).select_related("team").order_by("from_on"))
    # the village's talks and visits show as the tally's totals; each log is on its team's page
    return Checklist(village=village, items=items, tally=tally, board=board, teams=covers)


@dataclass
class TableRow:
    code: str
    name: str
    villages: int = 0  # villages with a checklist
    all_cleared: int = 0  # villages with all six cleared
    items: int = 0
    cleared: int = 0
    talks: int = 0
    households: int = 0
    difficult: int = 0
    difficult_clear: int = 0  # difficult villages with no open issue on the board (问题清零)

    @property
    def open_items(self) -> int:
        return self.items - self.cleared


@dataclass
class Table:
    under: str
    term_change: TermChange | None
    rows: list[TableRow]
    total: TableRow


def table(user: Any, under: str) -> Table:
    """Per child region: villages with a checklist, with all six cleared, items open, talks and households, and the
    difficult villages whose board issues are all closed; from the tally rows of both modules."""
    term_change = current_term_change(under) if len(under) >= 6 else None
    total = TableRow(code=under, name="合计")
    if term_change is None:
        return Table(under=under, term_change=None, rows=[], total=total)
    length = CHILD_LENGTH.get(len(under), 12)
    sums = (
        tally_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under, items__gt=0)
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(
            villages=Count("id"),
            items_sum=Sum("items"),
            cleared_sum=Sum("cleared"),
            talks_sum=Sum("talks"),
            households_sum=Sum("households"),
        )
        .order_by("child")
    )
    done = dict(
        tally_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under, items__gt=0)
        .filter(cleared=F("items"))
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("child", "n")
    )
    hard = {
        r["child"]: r
        for r in board_tally_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under, is_difficult=True)
        .annotate(child=Substr("region_id", 1, length))
        .values("child")
        .annotate(n=Count("id"), clear=Count("id", filter=Q(open=0)))
        .order_by()
    }
    rows: dict[str, TableRow] = {}
    for s in sums:
        rows[s["child"]] = TableRow(
            code=s["child"],
            name="",
            villages=s["villages"],
            all_cleared=done.get(s["child"], 0),
            items=s["items_sum"] or 0,
            cleared=s["cleared_sum"] or 0,
            talks=s["talks_sum"] or 0,
            households=s["households_sum"] or 0,
        )
    names = rollup_rows(user, under)
    for code in (names.keys() | hard.keys()) - rows.keys():
        rows[code] = TableRow(code, "")
    for row in rows.values():
        row.name = names.get(row.code, row.code)
        if row.code in hard:
            row.difficult, row.difficult_clear = hard[row.code]["n"], hard[row.code]["clear"]
        for name in ("villages", "all_cleared", "items", "cleared", "talks", "households", "difficult"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.difficult_clear += row.difficult_clear
    return Table(under=under, term_change=term_change, rows=sorted(rows.values(), key=lambda r: r.code), total=total)


def checklist_rows(user: Any, under: str) -> list[dict[str, Any]]:
    """One row per village under `under` with its six items' states (the Excel table), in two queries."""
    term_change = current_term_change(under) if len(under) >= 6 else None
    if term_change is None:
        return []
    items = (
        item_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under)
        .select_related("region")
        .order_by("region_id", "position")
    )
    tallies = {
        t.region_id: t
        for t in tally_policy.visible_to(user).filter(term_change=term_change, region_id__startswith=under)
    }
    rows: dict[str, dict[str, Any]] = {}
    for item in items:
        row = rows.setdefault(item.region_id, {"code": item.region_id, "village": item.region.name, "items": []})
        row["items"].append(item)
    for code, row in rows.items():
        tally = tallies.get(code)
        row["cleared"] = sum(1 for i in row["items"] if i.status == ItemStatus.CLEARED)
        row["talks"] = tally.talks if tally else 0
        row["households"] = tally.households if tally else 0
    return list(rows.values())
