"""The points index kept whole (web.kept_pages, issue 15): points earned through the service move the balance on the
staff's next view, and a merchant given to an account is on its next view (a merchant's account has no grants: its
page is keyed on every chain)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.points.models import Merchant
from cunshe.points.services import merchant_account_add, merchant_create, points_earn
from cunshe.points.tests.helpers import household, published_book, rule
from cunshe.serviceteams.tests.helpers import plain_account
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def _balance(content: str, name: str) -> str:
    row = content.split(f">{name}</a>", 1)[1].split("</tr>", 1)[0]
    return row.split("<td>")[2].split("</td>")[0]  # after the village's cell


def test_points_earned_after_the_index_was_kept_show_on_the_next_view(
    kept_summaries: Any, make_user: Any, make_person: Any, web_as: Any
) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    client = web_as(make_user("county_organizer", COUNTY))
    assert _balance(client.get("/points/").content.decode(), holder.name) == "0"
    shown = shown_after_write(
        client,
        "/points/",
        lambda: points_earn(
            actor=SYSTEM,
            holder=holder,
            rule=rule(book, "B1"),
            occurred_on=date(2026, 8, 1),
            evidence="检查记录",
            key="k",
        ),
    )
    assert _balance(shown, holder.name) != "0"


def test_a_merchant_given_to_an_account_is_on_its_next_view(kept_summaries: Any, web_as: Any) -> None:
    account = plain_account(VILLAGE_A, "shop")
    client = web_as(account)
    assert "西范村积分超市" not in client.get("/points/").content.decode()

    def give() -> Merchant:
        shop = merchant_create(
            actor=SYSTEM, region_code=VILLAGE_A, name="西范村积分超市", kind="shop", joined_on=date(2026, 1, 1)
        )
        merchant_account_add(actor=SYSTEM, merchant=shop, username=account.username)
        return shop

    assert "西范村积分超市" in shown_after_write(client, "/points/", give)
