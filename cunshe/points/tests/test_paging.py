from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.points.models import Redemption
from cunshe.points.services import (
    code_issue,
    listing_close,
    listing_publish,
    merchant_create,
    points_earn,
    redeem,
    settlement_create,
)
from cunshe.points.tests.helpers import household, published_book, rule

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_merchants_redemptions_and_settlements_page_each_under_its_own_parameter(
    make_person: Any, make_user: Any, web_as: Any
) -> None:
    # They stopped at 200 and 50 and said nothing of the rest; each pages 50 at a time and moves alone.
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    for n in range(6):  # 60 points
        points_earn(
            actor=SYSTEM,
            holder=holder,
            rule=rule(book, "B1"),
            occurred_on=date(2026, 8, 1),
            evidence="检查记录",
            key=f"p{n}",
        )
    listing = listing_publish(
        actor=SYSTEM, region_code=VILLAGE_A, year=2026, quarter=3, published_on=date(2026, 10, 10)
    )
    listing_close(actor=SYSTEM, listing=listing, closed_on=date(2026, 10, 20), expected_version=listing.version)
    shop = merchant_create(
        actor=SYSTEM, region_code=VILLAGE_A, name="西范村积分超市", kind="shop", joined_on=date(2026, 1, 1)
    )
    goods = [f"兑换物品{i:03d}号" for i in range(51)]
    days = [TODAY - timedelta(days=51 - i) for i in range(51)]  # the first is the oldest
    for item, day in zip(goods, days, strict=True):
        done = redeem(
            actor=SYSTEM, merchant=shop, code=code_issue(actor=SYSTEM, holder=holder).code, points=1, goods=item
        )
        Redemption.objects.filter(pk=done.pk).update(redeemed_on=day)  # as if redeemed that day (bookkeeping)
    for day in days:
        settlement_create(actor=SYSTEM, merchant=shop, period_start=day, period_end=day)
    client = web_as(make_user("town_officer", TOWN_A))
    url = reverse("points:merchant", args=[shop.pk])
    oldest = f"{days[0]:%Y-%m-%d}至{days[0]:%Y-%m-%d}"
    first = client.get(url).content.decode()
    assert goods[0] not in first and oldest not in first
    second = client.get(url, {"redemptions": 2}).content.decode()
    assert goods[0] in second and oldest not in second  # the settlements stay on their first page
    assert all((first + second).count(g) == 1 for g in goods)
    both = client.get(url, {"redemptions": 2, "settlements": 2}).content.decode()
    assert goods[0] in both and oldest in both
