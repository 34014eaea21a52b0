"""Reads of the request pipeline, each from a policy's scope: lists, a request's page, the public's anonymised view,
and the daily report and weekly review, which sum roll-up rows (VillageTally now, DayTally per day) by region."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.regions.models import Region
from cunshe.regions.selectors import rollup_rows
from cunshe.requests.models import OPEN_STATUSES, Category, DayTally, Event, Request, Status, VillageTally
from cunshe.requests.permissions import request_policy

LIST_LIMIT = 200


def requests_visible(user: Any, *, status: str = "", region: str = "", overdue: bool = False) -> QuerySet[Request]:
    qs = request_policy.visible_to(user).select_related("region", "category", "assignee", "department")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region__startswith=region)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    return qs.order_by("-submitted_at", "-id")


def request_detail(user: Any, pk: int) -> Request:
    return request_policy.get_or_404(
        user,
        queryset=Request.objects.select_related(
            "region", "category", "assignee", "assignee_team", "department", "duplicate_of"
        ),
        pk=pk,
    )


def events_of(request: Request, *, public_only: bool = False) -> list[Event]:
    qs = request.events.select_related("actor").order_by("at", "id")
    return list(qs.filter(public=True) if public_only else qs)


def public_requests(county_code: str = "") -> QuerySet[Request]:
    """What the public may see: published requests, never a merged duplicate's details beyond its pointer."""
    qs = Request.objects.filter(public=True).select_related("category", "region")
    if county_code:
        qs = qs.filter(region__startswith=county_code)
    return qs


def public_categories(county_code: str, on: date) -> list[Category]:
    from cunshe.requests.services import categories_in_force

    return categories_in_force(county_code, on)


# Reports ------------------------------------------------------------------------------------------------------------

NOW_FIELDS = ("open", "overdue")
DAY_FIELDS = ("received", "closed", "reopened", "rated", "solved", "satisfaction_sum")


@dataclass
class ReportRow:
    code: str
    name: str
    values: dict[str, int] = field(default_factory=dict)

    @property
    def satisfaction(self) -> str:
        rated = self.values.get("rated", 0)
        return f"{self.values.get('satisfaction_sum', 0) / rated:.2f}" if rated else ""

    @property
    def solved_rate(self) -> str:
        rated = self.values.get("rated", 0)
        return f"{100 * self.values.get('solved', 0) / rated:.0f}%" if rated else ""


@dataclass
class Report:
    region: Region
    first: date
    last: date
    rows: list[ReportRow]
    total: ReportRow
    cases: list[Request] = field(default_factory=list)


def _report(user: Any, region: Region, first: date, last: date, *, cases: bool) -> Report:
    """One row per child region the user may see (a town with nothing is a row of zeros): the numbers of the days
    first..last from DayTally and the open and overdue now from VillageTally, each one grouped SUM by code prefix."""
    children = rollup_rows(user, region.code)
    width = len(next(iter(children))) if children else len(region.code)
    by_code: dict[str, dict[str, int]] = {c: dict.fromkeys(NOW_FIELDS + DAY_FIELDS, 0) for c in children}
    scope = Q(village__startswith=region.code)
    days = (
        DayTally.objects.filter(scope, day__gte=first, day__lte=last)
        .annotate(prefix=Substr("village", 1, width))
        .values("prefix")
        .annotate(**{f: Sum(f) for f in DAY_FIELDS})
    )
    for d in days:
        values: dict[str, Any] = dict(d)
        if values["prefix"] in by_code:
            by_code[values["prefix"]].update({f: values[f] or 0 for f in DAY_FIELDS})
    now = (
        VillageTally.objects.filter(scope)
        .annotate(prefix=Substr("village", 1, width))
        .values("prefix")
        .annotate(**{f: Sum(f) for f in NOW_FIELDS})
    )
    for n in now:
        values = dict(n)
        if values["prefix"] in by_code:
            by_code[values["prefix"]].update({f: values[f] or 0 for f in NOW_FIELDS})
    rows = [ReportRow(code, name, by_code[code]) for code, name in children.items()]
    total = ReportRow(region.code, "合计", {k: sum(r.values[k] for r in rows) for k in NOW_FIELDS + DAY_FIELDS})
    found: list[Request] = []
    if cases:
        # The weekly review's list: what the meeting goes through (overdue, reopened, rated low), most urgent first.
        found = list(
            request_policy.visible_to(user)
            .filter(region__startswith=region.code)
            .filter(
                Q(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
                | Q(status=Status.REOPENED)
                | Q(answered_at__date__gte=first, answer_satisfaction__lte=2)
            )
            .select_related("region", "category", "assignee")
            .order_by("due_at")[:LIST_LIMIT]
        )
    return Report(region=region, first=first, last=last, rows=rows, total=total, cases=found)


def daily_report(user: Any, region: Region, day: date) -> Report:
    """民情日报告: a town's (or the county's) day, village by village (town by town)."""
    return _report(user, region, day, day, cases=False)


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def weekly_review(user: Any, region: Region, day: date) -> Report:
    """周会审: the week (Monday to Sunday) of `day`, with the list of cases to review."""
    first, last = week_of(day)
    return _report(user, region, first, last, cases=True)


def raised_and_solved_by(person_ids: QuerySet[Any]) -> tuple[int, int]:
    """(raised, solved) of the requests these persons raised (party work's floating members): solved as the
    resident answered it, not as the handler closed it; merged duplicates are not counted twice."""
    rows = Request.objects.filter(raised_by_id__in=person_ids).exclude(status=Status.MERGED)
    counted = rows.aggregate(raised=Count("pk"), solved=Count("pk", filter=Q(answer_solved=True)))
    return counted["raised"], counted["solved"]


def raised_and_solved_per_person(person_ids: QuerySet[Any]) -> dict[int, tuple[int, int]]:
    """The same count per person (party work's temporary groups add up their members' requests)."""
    rows = (
        Request.objects.filter(raised_by_id__in=person_ids)
        .exclude(status=Status.MERGED)
        .values("raised_by_id")
        .annotate(raised=Count("pk"), solved=Count("pk", filter=Q(answer_solved=True)))
        .order_by()
    )
    return {r["raised_by_id"]: (r["raised"], r["solved"]) for r in rows}
