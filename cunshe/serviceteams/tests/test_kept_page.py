"""The service teams' index kept whole (web.kept_pages, issue 15): a team formed through the service is on the staff's
next view, and an order dispatched to a team on its account's next view — also when the account's grants lie in
another county than the team, whose chain then moves (a team's account is keyed on every chain)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY, OTHER_COUNTY, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.serviceteams.services import team_account_add, team_create
from cunshe.serviceteams.tests.helpers import dispatched, team_with_members
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_a_team_formed_after_the_index_was_kept_is_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    shown = shown_after_write(
        web_as(make_user("county_organizer", COUNTY)),
        "/serviceteams/",
        lambda: team_create(actor=SYSTEM, region_code=VILLAGE_A, name="西范村助老服务队", kind="volunteer"),
    )
    assert "西范村助老服务队" in shown


@pytest.mark.parametrize("staff", [False, True])
def test_an_order_dispatched_to_a_team_is_on_its_accounts_next_view(
    kept_summaries: Any, make_user: Any, make_person: Any, web_as: Any, other_county: Any, staff: bool
) -> None:
    team, _, account = team_with_members(VILLAGE_A, make_person)
    if staff:  # an officer of another county who also answers this team's orders
        account = make_user("county_organizer", OTHER_COUNTY)
        team_account_add(actor=SYSTEM, team=team, username=account.username)
    orders = []
    shown = shown_after_write(web_as(account), "/serviceteams/", lambda: orders.append(dispatched(team)))
    assert orders[0].number in shown
