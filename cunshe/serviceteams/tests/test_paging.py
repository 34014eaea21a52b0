from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.urls import reverse

from conftest import TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.serviceteams.services import need_add, order_place, team_create

pytestmark = pytest.mark.django_db
WANTED = date(2026, 11, 20)


def test_teams_needs_and_orders_page_each_under_its_own_parameter(make_user: Any, web_as: Any) -> None:
    # They stopped at 300, 200 and 200 and said nothing of the rest; each pages 50 at a time and moves alone.
    teams = [f"志愿服务{i:03d}队" for i in range(51)]
    needs = [f"需求居民{i:03d}" for i in range(51)]
    orders = [f"点单居民{i:03d}" for i in range(51)]
    for name in teams:
        team_create(actor=SYSTEM, region_code=VILLAGE_A, name=name, kind="volunteer")
    for resident in needs:  # the same day: only the id orders them, newest first
        need_add(
            actor=SYSTEM,
            region_code=VILLAGE_A,
            resident=resident,
            category="elderly",
            wanted_on=WANTED,
            starts_at=time(8),
            ends_at=time(10),
            description="陪同就医",
        )
    for resident in orders:
        order_place(
            actor=SYSTEM,
            region_code=VILLAGE_A,
            category="elderly",
            resident=resident,
            description="助餐",
            wanted_on=WANTED,
        )
    client = web_as(make_user("town_officer", TOWN_A))
    url = reverse("serviceteams:index")
    first = client.get(url).content.decode()
    last = f">{teams[-1]}<"  # the list's link (the order form's picker names the village too)
    assert last not in first and needs[0] not in first and orders[0] not in first
    assert f"西范村委会 {teams[-1]}<" in first  # the picker still offers every team
    teams_two = client.get(url, {"teams": 2}).content.decode()
    assert last in teams_two and needs[0] not in teams_two and orders[0] not in teams_two
    assert all((first + teams_two).count(f">{t}<") == 1 for t in teams)
    rest = client.get(url, {"teams": 2, "needs": 2, "orders": 2}).content.decode()
    assert needs[0] in rest and orders[0] in rest
    assert all((first + rest).count(f">{n}<") == 1 for n in needs + orders)
