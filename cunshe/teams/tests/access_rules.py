from datetime import date
from typing import Any

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.teams.models import TeamMember
from cunshe.teams.services import member_appoint


def setup(world: World, **_: Any) -> None:
    for key, person, village in (("member_a", world.person_a, VILLAGE_A), ("member_b", world.person_b, VILLAGE_B)):
        world.extra[key] = member_appoint(
            actor=SYSTEM,
            village_code=village,
            person=person,
            committee="villagers",
            post="committee_member",
            started_on=date(2021, 6, 1),
        )


def _b_still_serving(w: World) -> bool:
    return TeamMember.objects.get(pk=w.extra["member_b"].pk).ended_on is None


def _end_body(key: str) -> Any:
    return lambda w: {"ended_on": "2026-11-01", "end_reason": "换届离任", "version": w.extra[key].version}


WEB_RULES = {
    "teams:team": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "teams:appoint": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {
            "person": w.person_a.pk,
            "committee": "supervision",
            "post": "supervision_chair",
            "started_on": "2021-06-01",
        },
        body_b=lambda w: {
            "person": w.person_b.pk,
            "committee": "supervision",
            "post": "supervision_chair",
            "started_on": "2021-06-01",
        },
        b_unchanged=lambda w: not TeamMember.objects.filter(region_id=VILLAGE_B, post="supervision_chair").exists(),
    ),
    "teams:end": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"pk": w.extra["member_a"].pk},
        b=lambda w: {"pk": w.extra["member_b"].pk},
        body_a=_end_body("member_a"),
        body_b=_end_body("member_b"),
        b_unchanged=_b_still_serving,
    ),
}

API_RULES = {
    "GET /api/v1/teams/{code}": Rule(
        "scoped",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
    ),
    "POST /api/v1/teams/{code}/members": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {
            "person_id": w.person_a.pk,
            "committee": "supervision",
            "post": "supervision_chair",
            "started_on": "2021-06-01",
        },
        body_b=lambda w: {
            "person_id": w.person_b.pk,
            "committee": "supervision",
            "post": "supervision_chair",
            "started_on": "2021-06-01",
        },
        b_unchanged=lambda w: not TeamMember.objects.filter(region_id=VILLAGE_B, post="supervision_chair").exists(),
    ),
    "POST /api/v1/teams/members/{member_id}/end": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"member_id": w.extra["member_a"].pk},
        b=lambda w: {"member_id": w.extra["member_b"].pk},
        body_a=_end_body("member_a"),
        body_b=_end_body("member_b"),
        b_unchanged=_b_still_serving,
    ),
}
