"""The command view (换届作战图) of a county or a town: where the term change stands, read from each module's roll-up
(decision 0010) so that it costs the same few queries for a town of twenty villages as for a province. Each chart
is a list of rows, one per child region (the towns of a county, the villages of a town), that the page draws, the
API returns and the wall chart prints; a row links one level further down."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse

from cunshe.command.permissions import command_policy
from cunshe.commitments.models import Kind as CommitmentKind
from cunshe.commitments.selectors import rollup as commitment_rollup
from cunshe.elections.models import Kind as ElectionKind
from cunshe.elections.models import Status as ElectionStatus
from cunshe.elections.permissions import election_policy
from cunshe.handovers.selectors import rollup as handover_rollup
from cunshe.readiness.selectors import readiness_table
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows
from cunshe.reviews.models import BatchStatus, Outcome
from cunshe.reviews.permissions import batch_policy, candidate_policy
from cunshe.termchanges.models import Milestone, TermChange
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.selectors import coverage_table


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str  # the same colour on the screen and on the printed wall chart
    stacked: bool = True  # parts of one whole stack into one bar; a count across them (frozen) stands beside it


@dataclass
class Row:
    code: str
    name: str
    url: str  # where the row drills down to: the town's command view, or the village's page
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class Chart:
    key: str
    title: str
    note: str
    series: list[Series]
    rows: list[Row]
    total: dict[str, int]
    link: str = ""  # the module's own table for this region

    @property
    def table(self) -> list[tuple[Row, list[int]]]:
        """Each row with its numbers in series order, for the page's table under the chart."""
        return [(r, [r.values.get(s.key, 0) for s in self.series]) for r in self.rows]

    @property
    def total_cells(self) -> list[int]:
        return [self.total.get(s.key, 0) for s in self.series]


@dataclass
class Stage:
    status: str
    label: str
    title: str
    milestones_done: int
    milestones_total: int
    next_title: str
    next_due: date | None


@dataclass
class Board:
    region: Region
    parent: Region | None  # the county above a town's view, when the user may open it
    stage: Stage | None
    charts: list[Chart]

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


RED, YELLOW, GREEN, BLUE, GREY, PURPLE, ORANGE = (
    "#c62828",
    "#f9a825",
    "#2e7d32",
    "#1565c0",
    "#9e9e9e",
    "#6a1b9a",
    "#ef6c00",
)

ELECTION_COLORS = {
    ElectionStatus.PREPARING: GREY,
    ElectionStatus.REGISTER_PUBLISHED: "#90caf9",
    ElectionStatus.CANDIDATES_PUBLISHED: BLUE,
    ElectionStatus.VOTING: ORANGE,
    ElectionStatus.COUNTED: "#66bb6a",
    ElectionStatus.CERTIFIED: GREEN,
    ElectionStatus.VOID: RED,
}


def _drill(code: str) -> str:
    """A town's row opens the town's command view; a village's row the village's page (its module sections)."""
    if len(code) == 9:
        return reverse("command:board", args=[code])
    return reverse("regions:detail", args=[code])


def _total(series: list[Series], rows: Iterable[Row]) -> dict[str, int]:
    return {s.key: sum(r.values.get(s.key, 0) for r in rows) for s in series}


def _chart(
    key: str, title: str, note: str, series: list[Series], rows: list[Row], link: str = "", total: Any = None
) -> Chart:
    return Chart(key, title, note, series, rows, total if total is not None else _total(series, rows), link)


def _stage(term_change: TermChange | None) -> Stage | None:
    if term_change is None:
        return None
    milestones = list(Milestone.objects.filter(term_change=term_change).order_by("position"))
    upcoming = next((m for m in milestones if m.done_on is None), None)
    return Stage(
        status=term_change.status,
        label=term_change.get_status_display(),
        title=term_change.title,
        milestones_done=sum(1 for m in milestones if m.done_on is not None),
        milestones_total=len(milestones),
        next_title=upcoming.title if upcoming else "",
        next_due=upcoming.due_on if upcoming else None,
    )


def _visits(user: Any, region: Region) -> Chart:
    table = coverage_table(user, region.code)
    series = [Series("visited", "已走访", GREEN), Series("unvisited", "未走访", GREY)]
    rows = [
        Row(r.code, r.name, _drill(r.code), {"visited": r.total.visited, "unvisited": r.total.unvisited})
        for r in table.rows
    ]
    total = {"visited": table.total.total.visited, "unvisited": table.total.total.unvisited}
    rate = table.total.total.rate
    note = f"走访覆盖率 {rate}%" if rate is not None else "尚无走访计划"
    link = reverse("visits:overview") + f"?under={region.code}"
    return _chart("visits", "走访覆盖", note, series, rows, link, total)


def _readiness(user: Any, region: Region) -> Chart:
    table = readiness_table(user, region.code)
    series = [Series("red", "红色", RED), Series("yellow", "黄色", YELLOW), Series("green", "绿色", GREEN)]
    rows = [
        Row(r.code, r.name, _drill(r.code), {"red": r.red, "yellow": r.yellow, "green": r.green}) for r in table.rows
    ]
    t = table.total
    note = f"已评估 {t.assessed} 个村，红色 {t.red}、黄色 {t.yellow}、绿色 {t.green}"
    link = reverse("readiness:overview") + f"?under={region.code}"
    return _chart("readiness", "选情评估（红黄绿）", note, series, rows, link)


def _reviews(user: Any, region: Region, term_change: TermChange | None, names: dict[str, str]) -> Chart:
    """A county's towns from the batches' own counts (the review's roll-up rows); a town's villages from its
    candidates counted by village and result, one grouped query over one town's candidates."""
    series = [
        Series("pending", "审查中", BLUE),
        Series("cleared", "通过", GREEN),
        Series("excluded", "不通过", RED),
        Series("doubtful", "存疑待定", YELLOW),
    ]
    rows = {code: Row(code, name, _drill(code), {s.key: 0 for s in series}) for code, name in names.items()}
    in_review = 0
    if term_change is not None and region.level == Level.COUNTY:
        sums = (
            batch_policy.visible_to(user)
            .filter(round__term_change=term_change, town__startswith=region.code)
            .values("town_id")
            .annotate(
                people=Sum("candidate_count"),
                cleared=Sum("cleared_count"),
                excluded=Sum("excluded_count"),
                doubtful=Sum("doubtful_count"),
                released=Count("pk", filter=Q(status=BatchStatus.RELEASED)),
            )
            .order_by("town_id")
        )
        for s in sums:
            row = rows.setdefault(s["town_id"], Row(s["town_id"], s["town_id"], _drill(s["town_id"])))
            decided = (s["cleared"] or 0) + (s["excluded"] or 0) + (s["doubtful"] or 0)
            row.values = {
                "pending": (s["people"] or 0) - decided,
                "cleared": s["cleared"] or 0,
                "excluded": s["excluded"] or 0,
                "doubtful": s["doubtful"] or 0,
            }
            in_review += s["released"]
    elif term_change is not None:
        counts = (
            candidate_policy.visible_to(user)
            .filter(round__term_change=term_change, village__startswith=region.code)
            .values("village_id", "result")
            .annotate(n=Count("pk"))
            .order_by()
        )
        keys: dict[str, str] = {Outcome.PENDING: "pending", Outcome.CLEARED: "cleared", Outcome.EXCLUDED: "excluded"}
        for c in counts:
            row = rows.setdefault(c["village_id"], Row(c["village_id"], c["village_id"], _drill(c["village_id"])))
            key = keys.get(c["result"], "doubtful")
            row.values[key] = row.values.get(key, 0) + c["n"]
    total = _total(series, rows.values())
    note = f"联审人选 {sum(total.values())} 人，审查中 {total['pending']} 人"
    if region.level == Level.COUNTY:
        note += f"；审查中的批次 {in_review} 个"
    ordered = sorted(rows.values(), key=lambda r: r.code)
    return _chart("reviews", "云联审", note, series, ordered, reverse("reviews:index"), total)


def _elections(user: Any, region: Region, term_change: TermChange | None, names: dict[str, str]) -> list[Chart]:
    """One grouped COUNT over the elections of the term change by child region, kind and status: the elections by
    state per town or village, and the same by kind."""
    series = [Series(str(s.value), str(s.label), ELECTION_COLORS[s]) for s in ElectionStatus]
    by_region = {code: Row(code, name, _drill(code), {s.key: 0 for s in series}) for code, name in names.items()}
    by_kind = {str(k.value): Row(str(k.value), str(k.label), "", {s.key: 0 for s in series}) for k in ElectionKind}
    if term_change is not None:
        length = CHILD_LENGTH.get(len(region.code), 12)
        counts = (
            election_policy.visible_to(user)
            .filter(term_change=term_change, region__startswith=region.code)
            .annotate(child=Substr("region_id", 1, length))
            .values("child", "kind", "status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for c in cast(Iterable[dict[str, Any]], counts):
            row = by_region.setdefault(c["child"], Row(c["child"], c["child"], _drill(c["child"])))
            row.values[c["status"]] = row.values.get(c["status"], 0) + c["n"]
            kind = by_kind[c["kind"]]
            kind.values[c["status"]] = kind.values.get(c["status"], 0) + c["n"]
    rows = sorted(by_region.values(), key=lambda r: r.code)
    total = _total(series, rows)
    done = total[ElectionStatus.CERTIFIED]
    note = f"选举 {sum(total.values())} 场，结果已确认 {done} 场"
    link = reverse("elections:list")
    kinds = [k for k in by_kind.values() if any(k.values.values())]
    return [
        _chart("elections", "选举进度（按状态）", note, series, rows, link, total),
        _chart("election_kinds", "选举进度（按类别）", "各类选举的状态", series, kinds, link, total),
    ]


def _handovers(region: Region) -> Chart:
    rows_in, total_in = handover_rollup(region)
    series = [
        Series("done", "已完成", GREEN),
        Series("open", "进行中", BLUE),
        Series("overdue", "逾期未完成", RED),
        Series("frozen", "账户冻结中", PURPLE, stacked=False),
    ]

    def values(r: Any) -> dict[str, int]:
        # done + open + overdue = the handovers planned; the overdue ones are the open ones past their due moment.
        return {"done": r.done, "open": r.planned - r.done - r.overdue, "overdue": r.overdue, "frozen": r.frozen}

    rows = [Row(r.code, r.name, _drill(r.code), values(r)) for r in rows_in]
    total = values(total_in)
    note = (
        f"交接 {total_in.planned} 个，未完成 {total_in.planned - total_in.done} 个（逾期 {total_in.overdue} 个），"
        f"账户冻结中 {total_in.frozen} 个"
    )
    link = reverse("handovers:list") + f"?under={region.code}"
    return _chart("handovers", "工作交接与账户冻结", note, series, rows, link, total)


def _commitments(user: Any, region: Region) -> Chart:
    table = commitment_rollup(user, region, kind=CommitmentKind.FIRST)
    series = [
        Series("done", "已完成", GREEN),
        Series("in_progress", "推进中", BLUE),
        Series("planned", "未开始", GREY),
        Series("overdue", "已逾期", RED),
    ]
    rows = [Row(r.code, r.name, _drill(r.code), {s.key: r.counts.get(s.key, 0) for s in series}) for r in table.rows]
    total = {s.key: table.total.counts.get(s.key, 0) for s in series}
    note = f"{table.year}年 首年承诺完成 {table.total.done_percent}%"
    link = reverse("commitments:ledger") + f"?under={region.code}"
    return _chart("commitments", "开门一件事（首年）", note, series, rows, link, total)


def board(user: Any, region: Region) -> Board:
    """Everything the page shows for a county or a town the caller may open (the view has checked)."""
    term_change = current_term_change(region.code)
    charts = [_visits(user, region), _readiness(user, region)]
    # The child regions every chart lists, from the visits table already read (zeros where nothing is recorded).
    names = {r.code: r.name for r in charts[0].rows}
    if not names:
        names = rollup_rows(user, region.code)
    charts.append(_reviews(user, region, term_change, names))
    charts.extend(_elections(user, region, term_change, names))
    charts.append(_handovers(region))
    charts.append(_commitments(user, region))
    parent = None
    if region.level == Level.TOWN and command_policy.can_in_region(user, "view", region.code[:6]):
        parent = Region.objects.filter(code=region.code[:6]).first()
    return Board(region=region, parent=parent, stage=_stage(term_change), charts=charts)
