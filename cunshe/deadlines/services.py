"""Loading the State Council's holiday schedule of a year (放假调休安排). It is national: it moves the working-day
deadlines of every county on this installation, so the system administrator (a superuser) loads it, not a county
organizer, whose role reaches only the county's own data. Recorded in the record book."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor, is_system, user_of
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.deadlines.holidays import forget_schedules, package_knows, statutory_holidays
from cunshe.deadlines.models import HolidaySchedule, ScheduleDay
from cunshe.records.services import record

_RANGE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:~(\d{4}-\d{1,2}-\d{1,2}))?$")


def parse_days(text: str, *, field: str) -> list[date]:
    """ "2027-02-05至2027-02-11，2027-02-14" (one date or a range per item, separated by commas, 、, spaces or lines)."""
    days: list[date] = []
    bad: list[str] = []
    joined = re.sub(r"\s*(?:~|～|至|到)\s*", "~", text.strip())
    for item in [i for i in re.split(r"[,，、;；\s]+", joined) if i]:
        match = _RANGE.match(item.strip())
        try:
            if match is None:
                raise ValueError
            first = date.fromisoformat(_iso(match.group(1)))
            last = date.fromisoformat(_iso(match.group(2))) if match.group(2) else first
        except ValueError:
            bad.append(item)
            continue
        if last < first or (last - first).days > 31:
            bad.append(item)
            continue
        days += [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if bad:
        raise DomainError(
            "日期有误，未保存。",
            {field: [f"无法识别：{'、'.join(bad)}（格式如 2027-02-05 或 2027-02-05至2027-02-11）"]},
        )
    return days


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


@transaction.atomic
def holiday_schedule_load(
    *, actor: Actor, year: int, days_off: Iterable[date], workdays: Iterable[date], source: str
) -> HolidaySchedule:
    """Load (or replace) the year's schedule as published. The statutory holidays must be among the days off (the law
    fixes them), make-up working days are weekend days, and nothing is both."""
    if not is_system(actor) and not getattr(actor, "is_superuser", False):
        raise NotPermitted("放假调休安排适用于本系统所有县，只有系统管理员可以载入。")
    off, work = sorted(set(days_off)), sorted(set(workdays))
    errors: dict[str, list[str]] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = ["年度不合理。"]
    elif package_knows(year):
        errors["year"] = [f"{year} 年的安排已内置于软件（chinese-calendar），无需载入。"]
    else:
        outside = [d for d in [*off, *work] if d.year != year]
        if outside:
            errors["days_off"] = [f"日期须在 {year} 年内：{'、'.join(f'{d:%Y-%m-%d}' for d in outside[:5])}"]
        missing = [f"{d:%m-%d}{name}" for d, name in statutory_holidays(year).items() if d not in off]
        if missing and year >= 2025:
            errors.setdefault("days_off", []).append(f"法定节假日须在放假日期中：{'、'.join(missing)}")
    if not off:
        errors.setdefault("days_off", []).append("请填写放假日期。")
    both = set(off) & set(work)
    if both:
        errors["workdays"] = [f"同一天不能既放假又上班：{'、'.join(f'{d:%Y-%m-%d}' for d in sorted(both))}"]
    weekdays = [d for d in work if d.weekday() < 5]
    if weekdays:
        errors.setdefault("workdays", []).append(
            f"调休上班日应为周末：{'、'.join(f'{d:%Y-%m-%d}' for d in weekdays)} 本来就是工作日"
        )
    if not source.strip():
        errors["source"] = ["请填写依据（国务院办公厅通知的名称或文号）。"]
    if errors:
        raise DomainError("放假调休安排有误，未保存。", errors)
    old = HolidaySchedule.objects.filter(year=year).first()
    before = None
    if old is not None:
        before = {
            "依据": old.source,
            "放假": _listed(d.day for d in old.days.filter(is_workday=False)),
            "调休上班": _listed(d.day for d in old.days.filter(is_workday=True)) or "无",
        }
        old.days.all().delete()
    schedule, _ = HolidaySchedule.objects.update_or_create(
        year=year,
        defaults={"source": source.strip(), "loaded_by": user_of(actor), "loaded_at": timezone.now()},
    )
    ScheduleDay.objects.bulk_create(
        [ScheduleDay(schedule=schedule, day=d, is_workday=False) for d in off]
        + [ScheduleDay(schedule=schedule, day=d, is_workday=True) for d in work]
    )
    record(
        actor=actor,
        region_code="",
        event="deadlines.holiday_schedule_loaded",
        summary=f"{'更新' if old else '载入'} {year} 年国务院放假调休安排：放假 {len(off)} 天，调休上班 {len(work)} 天",
        obj=schedule,
        before=before,
        after={"依据": schedule.source, "放假": _listed(off), "调休上班": _listed(work) or "无"},
    )
    transaction.on_commit(forget_schedules)
    forget_schedules()
    return schedule


def _listed(days: Iterable[date]) -> str:
    return "、".join(f"{d.month}月{d.day}日" for d in sorted(days))
