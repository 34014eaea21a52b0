"""The county's disclosure schedule on a page: read by everyone under the county, a new dated rule per kind made by
the organizer (through schedule_save, as the API does); a rule in force is never edited; bad input saves nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import OTHER_COUNTY, TOWN_A, VILLAGE_A, api_client, web_client
from cunshe.core.actors import SYSTEM
from cunshe.disclosures.models import Schedule
from cunshe.disclosures.services import schedule_save

pytestmark = pytest.mark.django_db
COUNTY = "371681"
URL = f"/disclosures/schedule/{COUNTY}/"


def test_the_organizer_sets_a_kind_from_a_day_and_cannot_edit_one_in_force(zouping: Any, make_user: Any) -> None:
    organizer = web_client(make_user("county_organizer", COUNTY))
    page = organizer.get(URL)
    assert page.status_code == 200 and "每月，次月 10 日前（默认）" in page.content.decode()
    today = timezone.localdate()
    bad = organizer.post(URL, {"kind": "finance", "effective_from": today.isoformat(), "due_day": "31"})
    assert bad.status_code == 400 and "公开日应为 1 至 28 日" in bad.content.decode()
    major = organizer.post(URL, {"kind": "major", "effective_from": today.isoformat()})
    assert major.status_code == 400 and "1 至 30 个工作日" in major.content.decode()
    past = organizer.post(URL, {"kind": "finance", "effective_from": "2026-01-01", "due_day": "5"})
    assert past.status_code == 400 and "施行日期不能早于今天" in past.content.decode()
    assert not Schedule.objects.exists()
    done = organizer.post(URL, {"kind": "finance", "effective_from": today.isoformat(), "due_day": "5"})
    assert done.status_code == 302
    assert "每月，次月 5 日前" in organizer.get(URL).content.decode()
    again = organizer.post(URL, {"kind": "finance", "effective_from": today.isoformat(), "due_day": "8"})
    assert again.status_code == 400 and "已施行，不能修改" in again.content.decode()
    tomorrow = (today + timedelta(days=1)).isoformat()
    organizer.post(URL, {"kind": "major", "effective_from": tomorrow, "due_working_days": "3"})
    organizer.post(URL, {"kind": "major", "effective_from": tomorrow, "due_working_days": "2"})  # not yet in force
    assert [(s.kind, s.due_day, s.due_working_days) for s in Schedule.objects.order_by("kind")] == [
        ("finance", 5, None),
        ("major", None, 2),
    ]
    assert "待施行" in organizer.get(URL).content.decode()


@pytest.mark.parametrize(("role", "region"), [("town_officer", TOWN_A), ("village_cadre", VILLAGE_A)])
def test_town_and_village_staff_read_the_schedule_and_are_refused_a_change(
    zouping: Any, make_user: Any, role: str, region: str
) -> None:
    schedule_save(actor=SYSTEM, county_code=COUNTY, kind="general", effective_from=date(2026, 1, 1), due_day=15)
    staff = web_client(make_user(role, region))
    page = staff.get(URL)
    assert page.status_code == 200 and "下季度首月 15 日前" in page.content.decode()
    assert "制定新的公开时限" not in page.content.decode()
    body = {"kind": "finance", "effective_from": "2099-01-01", "due_day": "5"}
    assert staff.post(URL, body).status_code == 403
    assert staff.get(f"/disclosures/schedule/{OTHER_COUNTY}/").status_code == 404
    assert Schedule.objects.count() == 1


def test_the_rollup_links_the_schedule_and_the_api_refuses_a_backdated_rule(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    assert f'href="{URL}"' in web_client(officer).get(f"/disclosures/region/{TOWN_A}/").content.decode()
    organizer = api_client(make_user("county_organizer", COUNTY))
    answer = organizer.post(
        f"/api/v1/disclosures/schedule/{COUNTY}",
        {"kind": "finance", "effective_from": "2026-01-01", "due_day": 5},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "effective_from" in answer.json()["errors"]
    assert not Schedule.objects.exists()
