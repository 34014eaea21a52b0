"""The volunteer roll-up kept whole (web.kept_pages, issue 15): a team formed through the service is counted on the
next view (the summary rows it adds up are rewritten in the service's transaction)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.volunteers.services import team_create
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_a_team_formed_after_the_roll_up_was_kept_is_counted_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    client = web_as(make_user("county_organizer", COUNTY))
    page = f"/volunteers/r/{TOWN_A}/"
    assert "<tr><th>合计</th><th>0</th>" in client.get(page).content.decode()
    shown = shown_after_write(
        client,
        page,
        lambda: team_create(
            actor=SYSTEM,
            region_code=VILLAGE_A,
            name="西范村志愿服务队",
            formed_by="village",
            formed_on=date(2026, 11, 1),
        ),
    )
    assert "<tr><th>合计</th><th>1</th>" in shown
