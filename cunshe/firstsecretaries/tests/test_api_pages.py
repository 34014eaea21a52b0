"""The posting's detail answers the first page of its log with the total; the log's own list pages on to the rest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
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
