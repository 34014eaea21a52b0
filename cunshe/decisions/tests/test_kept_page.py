"""A region's decisions kept whole (web.kept_pages, issue 15): a decision registered through the service is on the
next view of its village's and its county's pages."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY, VILLAGE_A
from cunshe.decisions.tests.helpers import new_decision
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", [COUNTY, VILLAGE_A])
def test_a_decision_registered_after_the_page_was_kept_is_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any, code: str
) -> None:
    client = web_as(make_user("county_organizer", COUNTY))
    shown = shown_after_write(
        client, f"/decisions/region/{code}/", lambda: new_decision(VILLAGE_A, title="村北集体土地流转方案")
    )
    assert "村北集体土地流转方案" in shown
