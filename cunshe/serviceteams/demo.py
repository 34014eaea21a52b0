"""Service teams in the demo county (today: the build day): each of 黛溪街道's first six villages has a volunteer team
of its residents with a willingness list, the first also a party members' team; November's needs and orders were
placed by residents or dispatched by the community, most completed with each member's minutes, one declined and
dispatched again, a few still open today. A team leader's account (fuwudui) answers the first team's orders."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.demo.county import demo_account
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.serviceteams.models import ServiceTeam
from cunshe.serviceteams.services import (
    member_add,
    need_add,
    offer_add,
    order_accept,
    order_complete,
    order_decline,
    order_dispatch,
    order_place,
    team_account_add,
    team_create,
)

TOWN_A = "371681001"  # 黛溪街道
TEAM_ACCOUNT = "fuwudui"
START = date(2026, 11, 2)
NEEDS = [
    ("elderly", "陪同去市人民医院复查", time(8, 30), time(11)),
    ("repair", "厨房水龙头漏水", time(14), time(16)),
    ("errand", "代购降压药", time(9), time(10)),
    ("hygiene", "院外柴草堆清理", time(8), time(11)),
    ("elderly", "独居老人助浴理发", time(9), time(11)),
    ("legal", "赡养纠纷咨询", time(15), time(16, 30)),
]
OFFERS = [
    ("elderly", 0b0011111, time(8), time(12), "助老陪诊、理发、助浴"),
    ("errand", 0b1111111, time(8), time(18), "代购代办"),
    ("repair", 0b1100000, time(13, 30), time(17, 30), "周末小家电、水电维修"),
    ("hygiene", 0b0100000, time(7, 30), time(11, 30), "周六环境整治"),
    ("legal", 0b0000100, time(14), time(17), "周三下午法律咨询"),
]


def _leader_account() -> User:
    return demo_account(username=TEAM_ACCOUNT, display_name="服务队 队长", region_code=TOWN_A)[0]


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today < date(2026, 12, 1) or ServiceTeam.objects.filter(region_id__startswith=TOWN_A).exists():
        return
    rng = random.Random(seed)
    villages = list(Region.objects.filter(parent_id=TOWN_A, level=Level.VILLAGE).order_by("code")[:6])
    for index, village in enumerate(villages):
        people = list(Person.objects.filter(region_id=village.code).order_by("pk"))
        if len(people) < 6:
            continue
        short = village.short_name
        team = team_create(
            actor=SYSTEM, region_code=village.code, name=f"{short}志愿服务队", kind="volunteer", leader=people[0].name
        )
        members = [member_add(actor=SYSTEM, team=team, person=p, joined_on=date(2026, 3, 5)) for p in people[:4]]
        for category, days, start, end, note in rng.sample(OFFERS, 3) if index else OFFERS:
            offer_add(
                actor=SYSTEM, team=team, category=category, weekdays=days, starts_at=start, ends_at=end, note=note
            )
        teams = [team]
        if index == 0:
            team_account_add(actor=SYSTEM, team=team, username=_leader_account().username)
            party = team_create(
                actor=SYSTEM,
                region_code=village.code,
                name=f"{short}党员先锋服务队",
                kind="party",
                leader=people[4].name,
            )
            member_add(actor=SYSTEM, team=party, person=people[4], joined_on=date(2026, 7, 1))
            member_add(actor=SYSTEM, team=party, person=people[5], joined_on=date(2026, 7, 1))
            offer_add(
                actor=SYSTEM,
                team=party,
                category="elderly",
                weekdays=0b1100000,
                starts_at=time(8),
                ends_at=time(12),
                note="周末助老",
            )
            teams.append(party)
        for n in range(4):
            day = START + timedelta(days=rng.randrange(0, 26))
            category, what, start, end = rng.choice(NEEDS)
            resident = people[6 + n % max(1, len(people) - 6)].name
            need = need_add(
                actor=SYSTEM,
                region_code=village.code,
                resident=resident,
                category=category,
                wanted_on=day,
                starts_at=start,
                ends_at=end,
                description=what,
            )
            order = order_place(
                actor=SYSTEM,
                region_code=village.code,
                category=category,
                resident=resident,
                description=what,
                wanted_on=day,
                need=need if n % 2 else None,
                requested_team=None if n % 2 else team,
            )
            order = order_dispatch(actor=SYSTEM, order=order, team=team, expected_version=order.version)
            if index == 0 and n == 0 and len(teams) > 1:
                # the volunteers were all out that day: declined, dispatched to the party members' team
                order = order_decline(
                    actor=SYSTEM, order=order, reason="当日队员均参加街道培训", expected_version=order.version
                )
                order = order_dispatch(actor=SYSTEM, order=order, team=teams[1], expected_version=order.version)
            if n == 3 and index % 2 == 0:
                continue  # dispatched, not yet answered
            order = order_accept(actor=SYSTEM, order=order, expected_version=order.version)
            if day >= today - timedelta(days=2):
                continue  # accepted, to be served
            crew = list(order.team.members.order_by("pk")[:2]) if order.team else members[:2]
            order_complete(
                actor=SYSTEM,
                order=order,
                completed_on=day,
                minutes={m.pk: rng.choice((60, 90, 120)) for m in crew},
                note="已办结，居民满意",
                expected_version=order.version,
            )
