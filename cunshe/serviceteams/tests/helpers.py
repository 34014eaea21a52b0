from __future__ import annotations

import itertools
from datetime import date, time
from typing import Any

from conftest import PASSWORD
from cunshe.accounts.models import User
from cunshe.accounts.services import account_create
from cunshe.core.actors import SYSTEM
from cunshe.serviceteams.models import Member, Order, ServiceTeam
from cunshe.serviceteams.services import (
    member_add,
    offer_add,
    order_dispatch,
    order_place,
    team_account_add,
    team_create,
)

_n = itertools.count(1)
JOINED = date(2026, 1, 5)
WEEKDAYS = 0b0011111  # Monday to Friday


def plain_account(region: str, prefix: str = "acct") -> User:
    """An account with no role: what a team leader or a merchant gets."""
    n = next(_n)
    return account_create(
        actor=SYSTEM,
        username=f"{prefix}{n}",
        display_name=f"{prefix}{n}",
        password=PASSWORD,
        region_code=region,
        must_change_password=False,
    )


def team_with_members(
    village: str, make_person: Any, name: str = "", size: int = 2, category: str = "elderly"
) -> tuple[ServiceTeam, list[Member], User]:
    team = team_create(actor=SYSTEM, region_code=village, name=name or f"志愿服务队{next(_n)}", kind="volunteer")
    members = [member_add(actor=SYSTEM, team=team, person=make_person(village), joined_on=JOINED) for _ in range(size)]
    offer_add(actor=SYSTEM, team=team, category=category, weekdays=WEEKDAYS, starts_at=time(8), ends_at=time(12))
    account = plain_account(village, "team")
    team_account_add(actor=SYSTEM, team=team, username=account.username)
    return team, members, account


def dispatched(team: ServiceTeam, *, resident: str = "王大娘", wanted_on: date = date(2026, 11, 20)) -> Order:
    order = order_place(
        actor=SYSTEM,
        region_code=team.region_id,
        category="elderly",
        resident=resident,
        description="陪同就医",
        wanted_on=wanted_on,
    )
    return order_dispatch(actor=SYSTEM, order=order, team=team, expected_version=order.version)
