from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import TOWN_A, VILLAGE_A
from cunshe.decisions.models import Step
from cunshe.decisions.tests.helpers import hold, new_decision
from cunshe.disclosures.models import Kind
from cunshe.disclosures.tests.helpers import draft, publish

pytestmark = pytest.mark.django_db


def _meeting(version: int, **changes: Any) -> dict[str, Any]:
    return {
        "step": "proposal",
        "held_at": (timezone.localtime() - timedelta(days=1)).isoformat(),
        "place": "村委会议室",
        "chair": "书记",
        "recorder": "文书",
        "due": 5,
        "present": 4,
        "absentees": [{"name": "张某", "reason": "住院"}],
        "votes_for": 3,
        "discussion": "一人反对：担心资金不足。",
        "outcome": "同意提交商议。",
        "version": version,
        **changes,
    }


def test_api_records_a_meeting_and_refuses_bad_input_in_chinese(zouping: object, make_user: Any, api_as: Any) -> None:
    client = api_as(make_user("village_cadre", VILLAGE_A))
    created = client.post(
        "/api/v1/decisions",
        {"village": VILLAGE_A, "title": "修建文化广场", "matter": "在村中心修建文化广场。", "proposer": "村党支部"},
        content_type="application/json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    bad = client.post(f"/api/v1/decisions/{pk}/meetings", _meeting(1, present=6), content_type="application/json")
    assert bad.status_code == 400 and "present" in bad.json()["errors"]
    missing = client.post(
        f"/api/v1/decisions/{pk}/meetings", _meeting(1, absentees=[]), content_type="application/json"
    )
    assert missing.status_code == 400 and "缺席 1 人" in missing.json()["errors"]["absentees"][0]
    early = client.post(
        f"/api/v1/decisions/{pk}/meetings", _meeting(1, step="party_review"), content_type="application/json"
    )
    assert early.status_code == 409
    done = client.post(f"/api/v1/decisions/{pk}/meetings", _meeting(1), content_type="application/json")
    assert done.status_code == 201
    body = done.json()
    assert body["status"] == "consultation" and body["meetings"][0]["passed"]
    stale = client.post(
        f"/api/v1/decisions/{pk}/withdraw", {"reason": "暂缓", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert client.get(f"/api/v1/decisions/{pk}/sheets.pdf").status_code == 200


def test_the_region_page_reads_a_constant_number_of_queries(
    zouping: object, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    for n in range(3):
        new_decision(VILLAGE_A, title=f"事项{n}")
    with django_assert_max_num_queries(20) as few:
        assert client.get(f"/decisions/region/{TOWN_A}/").status_code == 200
    for n in range(10):
        new_decision(VILLAGE_A, title=f"更多事项{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/decisions/region/{TOWN_A}/")
    assert "更多事项9" in page.content.decode()


def test_public_sees_a_decision_once_its_resolution_is_disclosed(zouping: object) -> None:
    decision = new_decision(VILLAGE_A, title="村北集体土地流转方案")
    for step, days in ((Step.PROPOSAL, 20), (Step.CONSULTATION, 18), (Step.PARTY_REVIEW, 15)):
        hold(decision, step, days_ago=days, due=9)
    hold(decision, Step.RESOLUTION, days_ago=10, due=30, present=25)
    client = Client(HTTP_HOST="127.0.0.1")
    assert "村北集体土地流转方案" not in client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    disclosure = draft(
        VILLAGE_A, kind=Kind.MAJOR, decision=decision, decision_step=Step.RESOLUTION_DISCLOSURE, title="决议公告"
    )
    assert "村北集体土地流转方案" not in client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    publish(disclosure, timezone.localdate())
    page = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert "村北集体土地流转方案" in page and "应到 30 人，实到 25 人" in page and "外出务工" not in page


def test_the_region_page_pages_its_decisions(make_user: Any, web_as: Any) -> None:
    # 51 matters: the first made (newest first) is on the second page of 50 (the list stopped at 200 silently)
    made = [new_decision(VILLAGE_A, title=f"第{n:03d}号事项") for n in range(51)]
    web = web_as(make_user("town_officer", TOWN_A))
    page = reverse("decisions:region", kwargs={"code": TOWN_A})
    first, second = web.get(page).content.decode(), web.get(page, {"page": 2}).content.decode()
    assert made[0].title not in first and made[1].title in first
    assert made[0].title in second and made[1].title not in second
