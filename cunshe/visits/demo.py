"""Visits in the demo villages: villager representatives and a local notable listed, a plan generated from the
registry, and about four in five of the people visited (some of those away by phone), a few raising problems, most
saying whether they support the village's prospective candidates (so the support rates, 两率, show numbers)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from cunshe.assessments.selectors import prospects_of
from cunshe.core.actors import SYSTEM
from cunshe.people.models import Person
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.models import Group, Kind, Mode, Stance, VisitTarget
from cunshe.visits.services import group_member_add, visit_plan_generate, visit_record

PROBLEMS = [
    "村内主干道路灯损坏多处",
    "灌溉机井年久失修",
    "集体土地承包费账目未公开",
    "垃圾清运不及时",
    "邻里宅基地边界纠纷",
    "老年人就医出行不便",
]
OPINIONS_TEAM = ["班子团结，办事公道", "希望班子多公开村务", "书记带头作用明显", "个别干部工作不够主动"]
OPINIONS_ELECTION = ["希望选出年轻有文化的干部", "支持书记主任一肩挑", "希望选举程序公开透明", ""]
# 四访四问: what a visit to each group sets out to do (seed 004 鹿城).
KIND_BY_GROUP: dict[str, str] = {
    Group.HOUSEHOLD: Kind.NEEDS,
    Group.VILLAGER_REP: Kind.GRIEVANCES,
    Group.PARTY_MEMBER: Kind.GRIEVANCES,
    Group.NOTABLE: Kind.NOTABLES,
    Group.CADRE: Kind.CAPABLE,
}
# How many of the village's prospective candidates a visited person is asked about, at most.
ASKED_CANDIDATES = 10


def _stance(draw: float) -> str | None:
    """Most support, some do not or will not say, a few are not asked (None)."""
    if draw < 0.15:
        return None
    if draw < 0.27:
        return Stance.UNDECIDED
    if draw < 0.4:
        return Stance.OPPOSE
    return Stance.SUPPORT


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 11)
    villages = sorted(set(Person.objects.values_list("region_id", flat=True)))
    for village in villages:
        term_change = current_term_change(village)
        # Draw before any skip, so a second run makes the same choices for every village.
        draws = [
            (
                rng.random(),
                rng.random(),
                rng.randrange(0, 60),
                rng.random(),
                rng.choice(PROBLEMS),
                [rng.random() for _ in range(ASKED_CANDIDATES)],
            )
            for _ in range(40)
        ]
        if term_change is None or VisitTarget.objects.filter(region_id=village).exists():
            continue
        others = list(Person.objects.filter(region_id=village, is_party_member=False).order_by("id"))
        for person in others[:2]:
            group_member_add(actor=SYSTEM, person=person, group=Group.VILLAGER_REP)
        for person in others[2:3]:
            group_member_add(actor=SYSTEM, person=person, group=Group.NOTABLE)
        visit_plan_generate(
            actor=SYSTEM,
            village_code=village,
            groups=[Group.PARTY_MEMBER, Group.CADRE, Group.VILLAGER_REP, Group.NOTABLE],
            visitor="驻村干部",
            due_on=term_change.opened_on + timedelta(days=45),
        )
        prospects = [person for person, _ in prospects_of(village)][:ASKED_CANDIDATES]
        targets = VisitTarget.objects.filter(region_id=village).select_related("person", "term_change").order_by("id")
        for target, (visited, by_phone, day, raised, problem, leanings) in zip(targets, draws, strict=False):
            if visited > 0.8:
                continue
            opinions = [
                (person.pk, stance)
                for person, leaning in zip(prospects, leanings, strict=False)
                if person.pk != target.person_id and (stance := _stance(leaning)) is not None
            ]
            on = min(term_change.opened_on + timedelta(days=5 + day), timezone.localdate())
            visit_record(
                actor=SYSTEM,
                target=target,
                mode=Mode.PHONE if by_phone < 0.15 else Mode.IN_PERSON,
                visited_on=on,
                place="" if by_phone < 0.15 else f"{target.person.name}家中",
                visitors="驻村干部、村党组织书记",
                summary="了解家庭生产生活情况，宣传换届政策。",
                opinion_team=OPINIONS_TEAM[day % len(OPINIONS_TEAM)],
                opinion_election=OPINIONS_ELECTION[day % len(OPINIONS_ELECTION)],
                intends_to_stand=target.group == Group.NOTABLE and raised < 0.5,
                intended_post="村(居)委会委员" if target.group == Group.NOTABLE and raised < 0.5 else "",
                problems=[problem] if raised < 0.12 else [],
                opinions=opinions,
                kind=KIND_BY_GROUP.get(target.group, ""),
            )
