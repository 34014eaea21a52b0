"""Issue 14 (item 9): 2027 is not a plain Monday-to-Friday year. The statutory holidays are computed for any year;
the make-up days of a year come from the schedule the system administrator loads; until then pages and
`cunshe check` warn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from conftest import COUNTY
from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.deadlines import checks, holidays
from cunshe.deadlines.calendar import add_working_days, is_workday
from cunshe.deadlines.services import holiday_schedule_load, parse_days
from cunshe.records.models import RecordEntry
from cunshe.reviews.tests.conftest import ReviewCounty
from cunshe.reviews.tests.test_reviews import released

TZ = timezone.get_current_timezone()

__all__ = ["county"]
from cunshe.reviews.tests.conftest import county  # noqa: E402  (the fixture, for the joint review below)


@pytest.fixture(autouse=True)
def fresh_schedules() -> Iterator[None]:
    holidays.forget_schedules()
    yield
    holidays.forget_schedules()  # a schedule loaded in one test must not outlive its rolled-back transaction


def test_the_statutory_holidays_of_2027_are_computed_from_the_law() -> None:
    assert holidays.statutory_holidays(2027) == {
        date(2027, 1, 1): "元旦",
        date(2027, 2, 5): "春节",  # the eve: the 29th of the 12th month, 2027 has no 30th
        date(2027, 2, 6): "春节",
        date(2027, 2, 7): "春节",
        date(2027, 2, 8): "春节",
        date(2027, 4, 5): "清明节",
        date(2027, 5, 1): "劳动节",
        date(2027, 5, 2): "劳动节",
        date(2027, 6, 9): "端午节",
        date(2027, 9, 15): "中秋节",
        date(2027, 10, 1): "国庆节",
        date(2027, 10, 2): "国庆节",
        date(2027, 10, 3): "国庆节",
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_computed_holidays_are_holidays_in_the_published_schedules(year: int) -> None:
    # chinese-calendar carries the State Council's published schedules of the years it knows.
    for day, name in holidays.statutory_holidays(year).items():
        assert chinese_calendar.is_holiday(day), (day, name)
    assert len(holidays.statutory_holidays(year)) == 13


@pytest.mark.django_db
def test_a_joint_review_released_on_new_years_eve_is_due_after_the_holiday(county: ReviewCounty, web_as: Any) -> None:
    assert not is_workday(date(2027, 1, 1))  # Friday, New Year's Day
    assert not is_workday(date(2027, 2, 5)) and not is_workday(date(2027, 10, 1))
    assert is_workday(date(2027, 1, 4))
    batch = released(county, when=datetime(2026, 12, 31, 9, 0, tzinfo=TZ))
    # Thursday from 09:00 (6.5 h), Friday the 1st off, the weekend, Monday (7 h), Tuesday 08:30 + 4 h.
    assert timezone.localtime(batch.due_at) == datetime(2027, 1, 5, 14, 0, tzinfo=TZ)
    page = web_as(county.organizer).get(f"/reviews/batches/{batch.pk}/").content.decode()
    assert "2027 年的国务院放假调休安排尚未载入" in page


@pytest.mark.django_db
def test_the_administrator_loads_the_years_schedule_and_its_make_up_days_count(
    make_user: Any, web_as: Any, api_as: Any
) -> None:
    admin = User.objects.create_superuser("sysadmin", password="Cunshe@2026-admin")
    organizer = make_user("county_organizer", COUNTY)
    assert [m.id for m in checks.holiday_schedule_loaded()] == (
        ["cunshe.W001"] if timezone.localdate() >= date(timezone.localdate().year, 11, 1) else []
    ) or timezone.localdate().year >= 2027
    # A county organizer may read the schedule but not load it: it moves every county's deadlines.
    assert web_as(organizer).get("/deadlines/holidays/?year=2027").status_code == 200
    assert web_as(organizer).get("/deadlines/holidays/load/").status_code == 404
    with pytest.raises(NotPermitted):
        holiday_schedule_load(actor=organizer, year=2027, days_off=[], workdays=[], source="x")
    refused = api_as(organizer).post(
        "/api/v1/deadlines/holidays",
        {"year": 2027, "days_off": "2027-01-01", "source": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    # The law's days must be among the days off; a make-up day is a weekend day.
    with pytest.raises(DomainError) as caught:
        holiday_schedule_load(
            actor=admin, year=2027, days_off=[date(2027, 1, 1)], workdays=[date(2027, 2, 10)], source="通知"
        )
    assert (
        "春节" in caught.value.field_errors["days_off"][-1]
        and "本来就是工作日" in caught.value.field_errors["workdays"][0]
    )

    spring = "2027-02-05至2027-02-11"  # an invented schedule for the test: the real one is published in autumn
    off = f"2027-01-01 {spring} 2027-04-05 2027-05-01至2027-05-05 2027-06-09 2027-09-15 2027-10-01至2027-10-07"
    answer = web_as(admin).post(
        "/deadlines/holidays/load/",
        {"year": 2027, "days_off": off, "workdays": "2027-02-20、2027-10-09", "source": "国务院办公厅通知（测试）"},
    )
    assert answer.status_code == 302
    assert holidays.source_of(2027) is holidays.Source.LOADED
    assert not is_workday(date(2027, 2, 10))  # a day moved into the Spring Festival break
    assert is_workday(date(2027, 2, 20))  # Saturday, make-up working day
    # Friday afternoon (3.5 h), then the make-up Saturday morning.
    assert add_working_days(datetime(2027, 2, 19, 13, 30, tzinfo=TZ), Decimal("1")) == datetime(
        2027, 2, 20, 12, 0, tzinfo=TZ
    )
    entry = RecordEntry.objects.get(event="deadlines.holiday_schedule_loaded")
    assert "2027 年国务院放假调休安排" in entry.summary and entry.actor == admin
    page = web_as(organizer).get("/deadlines/holidays/?year=2027").content.decode()
    assert "已载入国务院放假调休安排" in page and "2月20日" in page and "尚未载入" not in page
    api = api_as(organizer).get("/api/v1/deadlines/holidays?year=2027").json()
    assert api["source"] == "loaded" and "2027-02-20" in api["workdays"]


@pytest.mark.django_db
def test_cunshe_check_warns_for_a_year_without_its_schedule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 11, 20))
    [warning] = checks.holiday_schedule_loaded()
    assert warning.id == "cunshe.W001" and "2027 年的国务院放假调休安排尚未载入" in warning.msg
    holiday_schedule_load(
        actor=SYSTEM,
        year=2027,
        days_off=parse_days(
            "2027-01-01 2027-02-05至2027-02-08 2027-04-05 2027-05-01至2027-05-02 2027-06-09 2027-09-15 "
            "2027-10-01至2027-10-03",
            field="days_off",
        ),
        workdays=[],
        source="通知",
    )
    assert checks.holiday_schedule_loaded() == []


@pytest.mark.django_db
def test_the_command_loads_and_shows_a_schedule() -> None:
    out = StringIO()
    call_command("holidays", "show", "2027", stdout=out)
    assert "未载入调休安排" in out.getvalue() and "02-05春节" in out.getvalue()
    with pytest.raises(CommandError, match="法定节假日须在放假日期中"):
        call_command("holidays", "load", "2027", "--off", "2027-01-01", "--source", "通知", stdout=StringIO())
    call_command(
        "holidays", "load", "2027", "--off", "2027-01-01", "2027-02-05至2027-02-08", "2027-04-05",
        "2027-05-01至2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01至2027-10-03", "--work", "2027-02-20",
        "--source", "国务院办公厅通知", stdout=out,
    )  # fmt: skip
    assert "已载入 2027 年" in out.getvalue() and is_workday(date(2027, 2, 20))
    assert RecordEntry.objects.filter(event="deadlines.holiday_schedule_loaded", actor__isnull=True).exists()
