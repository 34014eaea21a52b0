"""The demo villages' current teams, elected in the 2021 term change, built from their sample people."""

from __future__ import annotations

import random
from datetime import date

from cunshe.core.actors import SYSTEM
from cunshe.people.models import Person
from cunshe.teams.models import Committee, Post, TeamMember
from cunshe.teams.services import member_appoint

ELECTED_ON = date(2021, 6, 1)


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 1)
    villages = sorted(set(Person.objects.values_list("region_id", flat=True)))
    for village in villages:
        # Draw before the existence check, so a second run makes the same choices for every village.
        dual = rng.random() < 0.7
        if TeamMember.objects.filter(region_id=village).exists():
            continue
        people = list(Person.objects.filter(region_id=village).order_by("id"))
        members = [p for p in people if p.is_party_member]
        others = [p for p in people if not p.is_party_member]
        if len(members) < 2 or len(others) < 2:
            continue
        secretary, deputy, *rest_members = members
        appoint = [(secretary, Committee.PARTY, Post.SECRETARY), (deputy, Committee.PARTY, Post.DEPUTY_SECRETARY)]
        appoint.append((secretary if dual else others[0], Committee.VILLAGERS, Post.DIRECTOR))
        appoint += [(p, Committee.PARTY, Post.PARTY_MEMBER) for p in rest_members[:1]]
        appoint += [(p, Committee.VILLAGERS, Post.COMMITTEE_MEMBER) for p in others[1:3]]
        appoint.append((others[-1], Committee.SUPERVISION, Post.SUPERVISION_CHAIR))
        for person, committee, post in appoint:
            member_appoint(
                actor=SYSTEM, village_code=village, person=person, committee=committee, post=post, started_on=ELECTED_ON
            )
