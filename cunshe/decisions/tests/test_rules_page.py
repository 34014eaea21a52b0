"""The county's 四议两公开 rules on a page: read by everyone under the county, a new dated set made by the organizer
(through rules_save, as the API does); a set in force is never edited; bad input saves nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import OTHER_COUNTY, TOWN_A, VILLAGE_A, web_client
from cunshe.core.actors import SYSTEM
from cunshe.decisions.models import DecisionRules
from cunshe.decisions.services import rules_save

pytestmark = pytest.mark.django_db
COUNTY = "371681"
URL = f"/decisions/rules/{COUNTY}/"


def _body(day: date, **changes: str) -> dict[str, str]:
    return {
        "effective_from": day.isoformat(),
        "basis": "县委组织部文件",
        "committee_quorum": "1/2",
        "committee_quorum_strict": "on",
        "committee_base": "due",
        "party_quorum": "2/3",
        "party_base": "due",
        "party_notice_days": "3",
        "villagers_quorum": "2/3",
        "villagers_base": "due",
        **changes,
    }


def test_the_organizer_makes_a_new_dated_set_and_cannot_edit_one_in_force(zouping: Any, make_user: Any) -> None:
    organizer = web_client(make_user("county_organizer", COUNTY))
    page = organizer.get(URL)
    text = page.content.decode()
    assert page.status_code == 200 and "默认规则" in text and "制定新规则" in text
    today = timezone.localdate()
    bad = organizer.post(URL, _body(today, party_quorum="66.7%"))
    assert bad.status_code == 400 and "请写成分数" in bad.content.decode()
    past = organizer.post(URL, _body(today - timedelta(days=1)))
    assert past.status_code == 400 and "施行日期不能早于今天" in past.content.decode()
    assert not DecisionRules.objects.exists()
    assert organizer.post(URL, _body(today)).status_code == 302
    row = DecisionRules.objects.get()
    assert (row.effective_from, row.villagers_base, row.basis) == (today, "due", "县委组织部文件")
    shown = organizer.get(URL).content.decode()
    assert "赞成超过应到人数的半数" in shown and "县委组织部文件" in shown
    again = organizer.post(URL, _body(today, villagers_base="present"))
    assert again.status_code == 400 and "已施行，不能修改" in again.content.decode()
    row.refresh_from_db()
    assert row.villagers_base == "due"
    # a set not yet in force may be corrected, and the form starts from the county's latest set
    tomorrow = today + timedelta(days=1)
    organizer.post(URL, _body(tomorrow, party_notice_days="5"))
    organizer.post(URL, _body(tomorrow, party_notice_days="4"))
    assert DecisionRules.objects.get(effective_from=tomorrow).party_notice_days == 4
    assert 'value="4"' in organizer.get(URL).content.decode()


@pytest.mark.parametrize(("role", "region"), [("town_officer", TOWN_A), ("village_cadre", VILLAGE_A)])
def test_town_and_village_staff_read_the_rules_and_are_refused_a_change(
    zouping: Any, make_user: Any, role: str, region: str
) -> None:
    rules_save(actor=SYSTEM, region_code=COUNTY, effective_from=date(2026, 1, 1), villagers_base="due")
    staff = web_client(make_user(role, region))
    page = staff.get(URL)
    assert page.status_code == 200 and "赞成超过应到人数的半数" in page.content.decode()
    assert "制定新规则" not in page.content.decode()
    assert staff.post(URL, _body(date(2099, 1, 1))).status_code == 403
    assert staff.get(f"/decisions/rules/{OTHER_COUNTY}/").status_code == 404
    assert DecisionRules.objects.count() == 1
    assert f'href="{URL}"' in staff.get(f"/decisions/region/{region}/").content.decode()


def test_the_api_refuses_a_backdated_set_from_a_person(zouping: Any, make_user: Any) -> None:
    from conftest import api_client

    organizer = api_client(make_user("county_organizer", COUNTY))
    answer = organizer.post(
        f"/api/v1/decisions/rules/{COUNTY}", {"effective_from": "2026-01-01"}, content_type="application/json"
    )
    assert answer.status_code == 400 and "effective_from" in answer.json()["errors"]
    assert not DecisionRules.objects.exists()
