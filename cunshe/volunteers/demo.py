"""换届志愿服务队 in the demo county (today: the day the demo is built, cunshe.elections.demo.story_today): the first
six villages of 黛溪街道 formed their teams themselves in early October, 黄山街道's six were formed by the town on
2026-10-12; each has five residents and one outsider (a retired teacher who mediates). October's publicity and
sounding out, November's mediation, the polling-station service on each town's villagers' committee election day
(黛溪 2026-11-15, 黄山 today) and, where the points book is in force, the residents' points for taking part."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.elections.demo import story_today
from cunshe.people.models import Person
from cunshe.polling.models import Station
from cunshe.regions.models import Level, Region
from cunshe.volunteers.models import VolunteerTeam
from cunshe.volunteers.services import ActivityInput, activity_add, activity_points_award, member_join, team_create

TOWN_A = "371681001"  # 黛溪街道: voted 2026-11-15
TOWN_B = "371681002"  # 黄山街道: votes today
ROLES = ["publicity", "publicity", "sounding", "sounding", "service"]
TOWNS = {  # formed by, formed on, and the day of the town's villagers' committee elections (None: today's)
    TOWN_A: ("village", date(2026, 10, 8), date(2026, 11, 15)),
    TOWN_B: ("town", date(2026, 10, 12), None),
}


def _plan(formed_on: date, voting_day: date) -> list[tuple[date, str, str, str, int]]:
    return [
        (date(2026, 10, 15), "publicity", "村委会广场", "宣讲换届选举政策和“十严禁”纪律要求，发放明白纸", 80),
        (date(2026, 10, 24), "sounding", "各村民小组", "入户摸排群众对换届的意见和推荐人选的看法", 45),
        (date(2026, 11, 5), "mediation", "村调解室", "调解两户宅基地纠纷，防止矛盾影响选举", 2),
        (voting_day, "service", "第一投票站", "选举日引导选民、协助老弱病残投票、维持投票站秩序", 120),
    ]


def _station(village_code: str, voting_day: date) -> Station | None:
    """The central venue (中心会场) of the village's election held on the day, where the team served."""
    return (
        Station.objects.filter(election__region_id=village_code, election__election_day=voting_day)
        .order_by("position")
        .first()
    )


def build_demo(*, seed: int) -> None:
    today = story_today()
    if timezone.localdate() < today or VolunteerTeam.objects.filter(region_id__startswith=TOWN_A).exists():
        return
    rng = random.Random(seed)
    for town, (formed_by, formed_on, held_on) in TOWNS.items():
        voting_day = held_on or today
        villages = Region.objects.filter(parent_id=town, level=Level.VILLAGE).order_by("code")[:6]
        for n, village in enumerate(villages):
            people = list(Person.objects.filter(region_id=village.code).order_by("pk")[:5])
            if len(people) < 5:
                continue
            team = team_create(
                actor=SYSTEM,
                region_code=village.code,
                name=f"{village.short_name}换届志愿服务队",
                formed_by=formed_by,
                formed_on=formed_on,
                leader=people[0].name,
            )
            members = [
                member_join(actor=SYSTEM, team=team, person=p, role=role, joined_on=formed_on)
                for p, role in zip(people, ROLES, strict=True)
            ]
            members.append(
                member_join(
                    actor=SYSTEM,
                    team=team,
                    name=f"退休教师{'甲乙丙丁戊己'[n]}",
                    phone=f"1380543{rng.randrange(1000, 10000)}",
                    role="mediation",
                    joined_on=formed_on,
                )
            )
            for held_on, kind, place, what, households in _plan(formed_on, voting_day):
                crew = [m for m in members if m.role == kind] or members[:2]
                station = None
                if kind == "service":
                    crew = members  # everyone serves at the polling station
                    station = _station(village.code, voting_day)
                    place = station.name if station else place
                activity = activity_add(
                    actor=SYSTEM,
                    team=team,
                    data=ActivityInput(
                        held_on=held_on,
                        kind=kind,
                        place=place,
                        description=what,
                        households=households + rng.randrange(0, 20) if households > 10 else households,
                        member_ids=[m.pk for m in crew],
                        station_id=station.pk if station else None,
                    ),
                )
                activity_points_award(actor=SYSTEM, activity=activity)
