"""The posting's detail answers the first page of its log with the total; the log's own list pages on to the rest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.paging import FIRST_PAGE
from cunshe.firstsecretaries.services import log_add
from cunshe.firstsecretaries.tests.helpers import posting_for

pytestmark = pytest.mark.django_db


def test_every_log_entry_is_reachable_a_page_at_a_time(zouping: Any, make_user: Any, api_as: Any) -> None:
    p = posting_for(VILLAGE_A, days_ago=200)
    today = timezone.localdate()
    for n in range(FIRST_PAGE + 1):  # the oldest is the one past the first page (new ones first)
        log_add(actor=SYSTEM, posting=p, written_on=today - timedelta(days=150 - n), content=f"第 {n} 条日志")
    town = api_as(make_user("town_officer", TOWN_A))
    detail = town.get(f"/api/v1/firstsecretaries/postings/{p.pk}").json()
    assert (len(detail["log"]), detail["log_count"]) == (FIRST_PAGE, FIRST_PAGE + 1)
    assert "第 0 条日志" not in {e["content"] for e in detail["log"]}
    url = f"/api/v1/firstsecretaries/postings/{p.pk}/log"
    rest = town.get(url, {"offset": FIRST_PAGE}).json()
    assert (rest["count"], [e["content"] for e in rest["items"]]) == (FIRST_PAGE + 1, ["第 0 条日志"])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404


def test_the_region_page_pages_its_postings(zouping: Any, make_user: Any, web_as: Any) -> None:
    # 51 postings: the 51st is on the second page of 50 (the list stopped at 300 without saying so)
    for n in range(51):
        posting_for(VILLAGE_A, name=f"第一书记{n:03d}号")
    web = web_as(make_user("town_officer", TOWN_A))
    page = reverse("firstsecretaries:region", kwargs={"code": TOWN_A})
    first, second = web.get(page).content.decode(), web.get(page, {"page": 2}).content.decode()
    assert "第一书记049号" in first and "第一书记050号" not in first
    assert "第一书记050号" in second and "第一书记049号" not in second
