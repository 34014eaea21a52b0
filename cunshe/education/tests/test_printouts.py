"""A village's sign-in and record sheet of a campaign: its tasks, who is due to sign in (the team in office, then
the party members), blank lines and the sign-off; another town's village is not found."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.education.models import VillageTask
from cunshe.education.services import campaign_create, task_complete
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_village_sheet_lists_tasks_and_who_signs_in(
    make_user: Any, make_person: Any, web_as: Any, api_as: Any
) -> None:
    c = campaign_create(
        actor=SYSTEM,
        region_code=COUNTY,
        title="新一届两委集中教育",
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=30),
        kinds=["finance", "integrity"],
    )
    task = VillageTask.objects.get(campaign=c, region_id=VILLAGE_A, kind="finance")
    task_complete(actor=SYSTEM, task=task, done_on=TODAY, note="清理账目 12 笔", expected_version=task.version)
    secretary = make_person(VILLAGE_A, name="王建国", is_party_member=True, party_joined_on=date(2000, 7, 1))
    member_appoint(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        person=secretary,
        committee=Committee.PARTY,
        post=Post.SECRETARY,
        started_on=date(2026, 11, 8),
    )
    make_person(VILLAGE_A, name="李秀兰", is_party_member=True, party_joined_on=date(2010, 7, 1))
    make_person(VILLAGE_A, name="赵非党员")

    village = make_user("village_cadre", VILLAGE_A)
    answer = web_as(village).get(f"/education/campaign/{c.pk}/{VILLAGE_A}/sheet.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text, _ = pdf_text(answer.content)
    for expected in ("新一届两委集中教育签到及记录表", "财务清理", "清理账目 12 笔", "廉政教育", "未完成"):
        assert expected in text, expected
    assert "王建国" in text and "书记" in text and "李秀兰" in text and "赵非党员" not in text
    assert text.index("王建国") < text.index("李秀兰")  # the team first
    assert "应到 2 人" in text and "村(社区)党组织书记（签字）" in text
    page = web_as(village).get(f"/education/campaign/{c.pk}/{VILLAGE_A}/").content.decode()
    assert f"/education/campaign/{c.pk}/{VILLAGE_A}/sheet.pdf" in page
    api = api_as(make_user("town_officer", TOWN_A)).get(f"/api/v1/education/campaign/{c.pk}/{VILLAGE_A}/sheet.pdf")
    assert api.status_code == 200 and "王建国" in pdf_text(api.content)[0]
    # a town has no sheet of its own; another town's officer does not find the village
    assert web_as(village).get(f"/education/campaign/{c.pk}/{TOWN_A}/sheet.pdf").status_code == 404
    other = make_user("town_officer", TOWN_B)
    assert web_as(other).get(f"/education/campaign/{c.pk}/{VILLAGE_A}/sheet.pdf").status_code == 404
    assert api_as(other).get(f"/api/v1/education/campaign/{c.pk}/{VILLAGE_A}/sheet.pdf").status_code == 404
