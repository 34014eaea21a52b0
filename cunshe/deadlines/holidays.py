"""Which days are working days, for any year.

- The statutory holidays are fixed by law (《全国年节及纪念日放假办法》 as amended in 2024, in force from 2025): New
  Year's Day (1 January), the Spring Festival (its eve and the first three days of the first lunar month), Qingming
  (the day of the solar term), Labour Day (1-2 May), the Dragon Boat Festival (5th of the 5th lunar month),
  Mid-Autumn (15th of the 8th lunar month) and National Day (1-3 October). They are computed here for any year with
  lunar-python (lunar dates and the 24 solar terms).
- The days moved next to them and the make-up working weekends (调休) are known only when the State Council
  publishes the year's schedule, each autumn. They come from the chinese-calendar package for the years it knows
  (the published schedules, up to 2026 in 1.11.0), else from the schedule the system administrator loaded
  (models.HolidaySchedule), or not at all: then
  Monday to Friday except the statutory holidays are working days, and pages and `cunshe check` warn that the
  year's schedule is not loaded (docs/deploy.md, upkeep)."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import chinese_calendar
from lunar_python import Lunar, Solar

LAW_IN_FORCE_FROM = 2025  # the 2024 amendment: Spring Festival 4 days, Labour Day 2


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of the year, by date, with their names (as amended 2024)."""

    def lunar(month: int, day: int) -> date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    days = {date(year, 1, 1): "元旦"}
    spring = lunar(1, 1)
    for offset in range(-1, 3):  # the eve (the last day of the 12th month, whether the 29th or the 30th) and 3 days
        days[spring + timedelta(days=offset)] = "春节"
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "清明节"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "劳动节"
    days[lunar(5, 5)] = "端午节"
    days[lunar(8, 15)] = "中秋节"  # may fall in National Day: still one of the days off
    for d in (1, 2, 3):
        days[date(year, 10, d)] = "国庆节"
    # The eve of a Spring Festival early in the year may fall in the year before; keep only this year's days.
    return {day: name for day, name in sorted(days.items()) if day.year == year}


class Source(StrEnum):
    LOADED = "loaded"  # the administrator loaded the State Council's schedule
    PACKAGE = "package"  # chinese-calendar knows the year
    STATUTORY = "statutory"  # only the statutory holidays: the year's 调休 is not known here


SOURCE_LABELS = {
    Source.LOADED: "已载入国务院放假调休安排",
    Source.PACKAGE: "软件内置国务院放假调休安排",
    Source.STATUTORY: "未载入调休安排：仅按法定节假日计算",
}


@dataclass(frozen=True)
class Loaded:
    days_off: frozenset[date]
    workdays: frozenset[date]


# Loaded schedules change a few times a year; a worker rereads a year after this many seconds (and at once in the
# process that loads one), so a day's status costs no query in the loops of add_working_days.
TTL_SECONDS = 300
_loaded: dict[int, tuple[float, Loaded | None]] = {}


def forget_schedules() -> None:
    _loaded.clear()


def loaded_schedule(year: int) -> Loaded | None:
    hit = _loaded.get(year)
    if hit is not None and clock.monotonic() - hit[0] < TTL_SECONDS:
        return hit[1]
    from cunshe.deadlines.models import ScheduleDay

    rows = list(ScheduleDay.objects.filter(schedule__year=year).values_list("day", "is_workday"))
    found = (
        Loaded(days_off=frozenset(d for d, work in rows if not work), workdays=frozenset(d for d, work in rows if work))
        if rows
        else None
    )
    _loaded[year] = (clock.monotonic(), found)
    return found


@cache
def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def source_of(year: int) -> Source:
    if package_knows(year):
        return Source.PACKAGE
    return Source.LOADED if loaded_schedule(year) is not None else Source.STATUTORY


def is_workday(day: date) -> bool:
    if package_knows(day.year):
        return bool(chinese_calendar.is_workday(day))
    loaded = loaded_schedule(day.year)
    if loaded is not None:
        if day in loaded.workdays:
            return True
        return day.weekday() < 5 and day not in loaded.days_off
    return day.weekday() < 5 and day not in statutory_holidays(day.year)


def schedule_warning(day: date) -> str:
    """A warning for a deadline that falls in a year whose make-up days are not known here; empty otherwise."""
    if source_of(day.year) is not Source.STATUTORY:
        return ""
    return (
        f"{day.year} 年的国务院放假调休安排尚未载入：此期限只避开了法定节假日，未计入调休，可能与实际工作日不符。"
        "请系统管理员载入当年安排。"
    )
