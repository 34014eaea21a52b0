"""Reads of the daily checks, always from the scoped querysets of permissions.py; the town and county tables read
the cadres' month rows (CadreMonth), never the checks themselves; lists in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.core.months import month_end
from cunshe.dailychecks.models import Checklist, DailyCheck, Measure, MeasureProgress
from cunshe.dailychecks.permissions import check_policy, checklist_policy, measure_policy, month_policy
from cunshe.deadlines.holidays import is_workday
from cunshe.people.models import Person
from cunshe.regions.models import Region
from cunshe.regions.selectors import rollup_rows
from cunshe.teams.models import TeamMember


@cache
def working_days(start: date, end: date) -> int:
    """Working days from `start` to `end`, both included (the calendar of cunshe/deadlines/holidays.py)."""
    return sum(1 for n in range((end - start).days + 1) if is_workday(start + timedelta(days=n)))


def days_due(since: date, month: date, as_of: date) -> int:
    """A cadre's working days of the month from their first day in it through `as_of` (the month's end at most)."""
    end = min(month_end(month), as_of)
    return working_days(since, end) if since <= end else 0


def last_working_day(before: date) -> date:
    day = before - timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def rate_text(done: int, due: int) -> str:
    if not due:
        return "—"
    return f"{round(Fraction(done, due) * 100)}%"


def checklists_of(user: Any, county_code: str) -> list[Checklist]:
    return list(
        checklist_policy.visible_to(user)
        .filter(county_id=county_code)
        .prefetch_related("items")
        .order_by("-valid_from")
    )


@dataclass
class CadreDay:
    person: Person
    posts: list[str]
    check: DailyCheck | None = None


def cadres_on(village_code: str, day: date) -> list[CadreDay]:
    """The village's team members in office on `day` (one line per person, their posts together)."""
    members = (
        TeamMember.objects.filter(region_id=village_code, started_on__lte=day)
        .exclude(ended_on__lt=day)
        .select_related("person")
        .order_by("committee", "post", "pk")
    )
    lines: dict[int, CadreDay] = {}
    for m in members:
        lines.setdefault(m.person_id, CadreDay(m.person, [])).posts.append(m.get_post_display())
    return list(lines.values())


def village_day(user: Any, village_code: str, day: date) -> list[CadreDay]:
    """The cadres of the day with their check, if done (the caller has checked the village)."""
    lines = cadres_on(village_code, day)
    checks = check_policy.visible_to(user).filter(region_id=village_code, day=day).prefetch_related("results")
    done = {c.person_id: c for c in checks}
    for line in lines:
        line.check = done.get(line.person.pk)
    return lines


def checks_of_person(user: Any, village_code: str, person_id: int, limit: int = 31) -> list[DailyCheck]:
    return list(
        check_policy.visible_to(user)
        .filter(region_id=village_code, person_id=person_id)
        .prefetch_related("results__issue")
        .order_by("-day")[:limit]
    )


@dataclass
class CadreLine:
    code: str
    village: str
    person_id: int
    name: str
    due: int
    done: int
    found: int
    closed: int

    @property
    def rate(self) -> str:
        return rate_text(self.done, self.due)


def cadre_lines(user: Any, region: Region, month: date, as_of: date) -> list[CadreLine]:
    """The month's indicator of every cadre under the region: days done of working days due, problems found and
    closed (from the month rows)."""
    rows = (
        month_policy.visible_to(user)
        .filter(region__startswith=region.code, month=month)
        .select_related("region", "person")
        .order_by("region_id", "person__name", "pk")
    )
    return [
        CadreLine(
            r.region_id,
            r.region.name,
            r.person_id,
            r.person.name,
            days_due(r.since, month, as_of),
            r.done,
            r.found,
            r.closed,
        )
        for r in rows
    ]


@dataclass
class UnitRow:
    code: str
    name: str
    cadres: int = 0
    due: int = 0
    done: int = 0
    found: int = 0
    closed: int = 0
    missed: list[str] = field(default_factory=list)

    @property
    def rate(self) -> str:
        return rate_text(self.done, self.due)


def rollup(user: Any, region: Region, month: date, as_of: date) -> tuple[list[UnitRow], UnitRow]:
    """Per village of a town, or per town of a county: cadres, days done of due, problems found and closed."""
    width = 12 if len(region.code) == 9 else 9
    units = {code: UnitRow(code, name) for code, name in rollup_rows(user, region.code).items()}
    rows = (
        month_policy.visible_to(user)
        .filter(region__startswith=region.code, month=month)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit", "since")
        .annotate(n=Count("id"), done=Sum("done"), found=Sum("found"), closed=Sum("closed"))
        .order_by()
    )
    for r in rows:
        unit = units.get(r["unit"])
        if unit is None:
            continue
        unit.cadres += r["n"]
        unit.due += r["n"] * days_due(r["since"], month, as_of)
        unit.done += r["done"]
        unit.found += r["found"]
        unit.closed += r["closed"]
    total = UnitRow(region.code, f"{region.name}合计")
    for unit in units.values():
        for f in ("cadres", "due", "done", "found", "closed"):
            setattr(total, f, getattr(total, f) + getattr(unit, f))
    return list(units.values()), total


@dataclass
class Missed:
    code: str
    village: str
    name: str
    posts: str


def missed_on(user: Any, region: Region, day: date) -> list[Missed]:
    """The cadres under the region due to check on `day` (their month row is open: by the daily job or their first
    check) and in office that day, who did not check."""
    rows = (
        month_policy.visible_to(user)
        .filter(region__startswith=region.code, month=day.replace(day=1), since__lte=day)
        .select_related("region", "person")
        .order_by("region_id", "person__name", "pk")
    )
    due = {(r.region_id, r.person_id): r for r in rows}
    done = set(DailyCheck.objects.filter(region__startswith=region.code, day=day).values_list("region_id", "person_id"))
    posts: dict[tuple[str, int], list[str]] = {}
    members = (
        TeamMember.objects.filter(region__startswith=region.code, started_on__lte=day)
        .exclude(ended_on__lt=day)
        .order_by("committee", "post", "pk")
    )
    for m in members:
        posts.setdefault((m.region_id, m.person_id), []).append(m.get_post_display())
    return [
        Missed(r.region_id, r.region.name, r.person.name, "、".join(posts[key]))
        for key, r in due.items()
        if key not in done and key in posts
    ]


def measures_of(user: Any, county_code: str) -> QuerySet[Measure]:
    return (
        measure_policy.visible_to(user)
        .filter(county_id=county_code)
        .prefetch_related(Prefetch("progress", queryset=MeasureProgress.objects.order_by("-reported_on", "-pk")))
        .order_by("number")
    )
