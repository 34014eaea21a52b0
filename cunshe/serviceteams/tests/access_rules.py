from datetime import date, time
from typing import Any

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.serviceteams.models import Need, Order, ServiceTeam
from cunshe.serviceteams.services import need_add, order_accept, order_place
from cunshe.serviceteams.tests.helpers import dispatched, plain_account, team_with_members

VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
NAMES = {"a": "西范村助老服务队", "b": "黄山街道某村服务队"}
DAY = date(2026, 11, 20)  # a Friday


def setup(world: World, make_person: Any, **_: Any) -> None:
    for side, village in VILLAGES.items():
        team, members, _leader = team_with_members(village, make_person, name=NAMES[side])
        need = need_add(
            actor=SYSTEM,
            region_code=village,
            resident=f"需求居民{side}",
            category="elderly",
            wanted_on=DAY,
            starts_at=time(9),
            ends_at=time(10),
            description="陪同就医",
        )
        placed = order_place(
            actor=SYSTEM,
            region_code=village,
            category="elderly",
            resident=f"点单居民{side}",
            description="代购药品",
            wanted_on=DAY,
        )
        sent = dispatched(team)
        taken = dispatched(team)
        taken = order_accept(actor=SYSTEM, order=taken, expected_version=taken.version)
        world.extra |= {
            f"st_team_{side}": team,
            f"st_member_{side}": members[0],
            f"st_need_{side}": need,
            f"st_placed_{side}": placed,
            f"st_sent_{side}": sent,
            f"st_taken_{side}": taken,
            f"st_person_{side}": make_person(village),
            f"st_account_{side}": plain_account(village, "leader"),
        }


def _pk(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _pair(key: str, name: str = "pk") -> dict[str, Any]:
    return {"a": _pk(f"{key}_a", name), "b": _pk(f"{key}_b", name)}


def _status(key: str, status: str) -> Any:
    return lambda w: Order.objects.get(pk=w.extra[key].pk).status == status


def _members_b(w: World) -> bool:
    return w.extra["st_team_b"].members.count() == 2


def _offers_b(w: World) -> bool:
    return w.extra["st_team_b"].offers.count() == 1


def _accounts_b(w: World) -> bool:
    return w.extra["st_team_b"].accounts.count() == 1


def _no_team_b(w: World) -> bool:
    return not ServiceTeam.objects.filter(name="新服务队").exists()


def _no_need_b(w: World) -> bool:
    return not Need.objects.filter(resident="新需求居民").exists()


def _no_order_b(w: World) -> bool:
    return not Order.objects.filter(resident="新点单居民").exists()


def _need_b_open(w: World) -> bool:
    return Need.objects.get(pk=w.extra["st_need_b"].pk).status == "open"


def _version(side: str, key: str, **more: Any) -> Any:
    return lambda w: {"version": Order.objects.get(pk=w.extra[f"{key}_{side}"].pk).version, **more}


def _team(side: str) -> Any:
    return lambda w: {"team": w.extra[f"st_team_{side}"].pk, "version": w.extra[f"st_placed_{side}"].version}


def _team_api(side: str) -> Any:
    return lambda w: {"team_id": w.extra[f"st_team_{side}"].pk, "version": w.extra[f"st_placed_{side}"].version}


def _complete(side: str, *, api: bool) -> Any:
    def body(w: World) -> dict[str, Any]:
        member = w.extra[f"st_member_{side}"].pk
        version = Order.objects.get(pk=w.extra[f"st_taken_{side}"].pk).version
        if api:
            return {"completed_on": "2026-11-20", "minutes": {str(member): 60}, "version": version}
        return {"completed_on": "2026-11-20", f"m{member}": 60, "note": "", "version": version}

    return body


TEAM = {"name": "新服务队", "kind": "veteran", "leader": "", "phone": ""}
NEED = {
    "resident": "新需求居民",
    "phone": "",
    "category": "repair",
    "wanted_on": "2026-11-20",
    "starts_at": "09:00",
    "ends_at": "11:00",
    "description": "修理水龙头",
}
ORDER = {"resident": "新点单居民", "category": "repair", "wanted_on": "2026-11-20", "description": "修理门锁"}
OFFER = {"category": "repair", "weekdays": 31, "starts_at": "14:00", "ends_at": "17:00", "note": ""}
REASON = "队员外出"


def _region(side: str, body: dict[str, Any]) -> Any:
    return lambda w: {**body, "region": VILLAGES[side]}


WEB_RULES = {
    "serviceteams:index": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    "serviceteams:team_new": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", TEAM),
        body_b=_region("b", TEAM),
        refused_status=400,
        b_unchanged=_no_team_b,
    ),
    "serviceteams:team": Rule("scoped", **_pair("st_team")),
    "serviceteams:member_new": Rule(
        "scoped",
        method="POST",
        **_pair("st_team"),
        body_a=lambda w: {"person": w.extra["st_person_a"].pk, "joined_on": "2026-11-01"},
        body_b=lambda w: {"person": w.extra["st_person_b"].pk, "joined_on": "2026-11-01"},
        b_unchanged=_members_b,
    ),
    "serviceteams:offer_new": Rule(
        "scoped",
        method="POST",
        **_pair("st_team"),
        body_a=lambda w: {**OFFER, "weekdays": ["0", "1"]},
        body_b=lambda w: {**OFFER, "weekdays": ["0", "1"]},
        b_unchanged=_offers_b,
    ),
    "serviceteams:account_new": Rule(
        "scoped",
        method="POST",
        **_pair("st_team"),
        body_a=lambda w: {"username": w.extra["st_account_a"].username},
        body_b=lambda w: {"username": w.extra["st_account_b"].username},
        b_unchanged=_accounts_b,
    ),
    "serviceteams:need_new": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", NEED),
        body_b=_region("b", NEED),
        refused_status=400,
        b_unchanged=_no_need_b,
    ),
    "serviceteams:need": Rule("scoped", **_pair("st_need")),
    "serviceteams:need_order": Rule(
        "scoped",
        method="POST",
        **_pair("st_need"),
        body_a=lambda w: {"team": w.extra["st_team_a"].pk, "version": 1},
        body_b=lambda w: {"team": w.extra["st_team_b"].pk, "version": 1},
        b_unchanged=_need_b_open,
    ),
    "serviceteams:order_new": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", ORDER),
        body_b=_region("b", ORDER),
        refused_status=400,
        b_unchanged=_no_order_b,
    ),
    "serviceteams:order": Rule("scoped", **_pair("st_sent")),
    "serviceteams:dispatch": Rule(
        "scoped",
        method="POST",
        **_pair("st_placed"),
        body_a=_team("a"),
        body_b=_team("b"),
        b_unchanged=_status("st_placed_b", "placed"),
    ),
    "serviceteams:accept": Rule(
        "scoped",
        method="POST",
        **_pair("st_sent"),
        body_a=_version("a", "st_sent"),
        body_b=_version("b", "st_sent"),
        b_unchanged=_status("st_sent_b", "dispatched"),
    ),
    "serviceteams:decline": Rule(
        "scoped",
        method="POST",
        **_pair("st_sent"),
        body_a=_version("a", "st_sent", reason=REASON),
        body_b=_version("b", "st_sent", reason=REASON),
        b_unchanged=_status("st_sent_b", "dispatched"),
    ),
    "serviceteams:complete": Rule(
        "scoped",
        method="POST",
        **_pair("st_taken"),
        body_a=_complete("a", api=False),
        body_b=_complete("b", api=False),
        b_unchanged=_status("st_taken_b", "accepted"),
    ),
    "serviceteams:cancel": Rule(
        "scoped",
        method="POST",
        **_pair("st_placed"),
        body_a=_version("a", "st_placed", reason=REASON),
        body_b=_version("b", "st_placed", reason=REASON),
        b_unchanged=_status("st_placed_b", "placed"),
    ),
}

_API = "/api/v1/serviceteams"
API_RULES = {
    f"GET {_API}/teams": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    f"POST {_API}/teams": Rule(
        "scoped", method="POST", body_a=_region("a", TEAM), body_b=_region("b", TEAM), b_unchanged=_no_team_b
    ),
    f"GET {_API}/teams/{{team_id}}": Rule("scoped", **_pair("st_team", "team_id")),
    f"POST {_API}/teams/{{team_id}}/members": Rule(
        "scoped",
        method="POST",
        **_pair("st_team", "team_id"),
        body_a=lambda w: {"person_id": w.extra["st_person_a"].pk, "joined_on": "2026-11-01"},
        body_b=lambda w: {"person_id": w.extra["st_person_b"].pk, "joined_on": "2026-11-01"},
        b_unchanged=_members_b,
    ),
    f"POST {_API}/teams/{{team_id}}/accounts": Rule(
        "scoped",
        method="POST",
        **_pair("st_team", "team_id"),
        body_a=lambda w: {"username": w.extra["st_account_a"].username},
        body_b=lambda w: {"username": w.extra["st_account_b"].username},
        b_unchanged=_accounts_b,
    ),
    f"POST {_API}/teams/{{team_id}}/offers": Rule(
        "scoped",
        method="POST",
        **_pair("st_team", "team_id"),
        body_a=lambda w: OFFER,
        body_b=lambda w: OFFER,
        b_unchanged=_offers_b,
    ),
    f"GET {_API}/needs": Rule("scoped", marker_a=lambda w: "需求居民a", marker_b=lambda w: "需求居民b"),
    f"POST {_API}/needs": Rule(
        "scoped", method="POST", body_a=_region("a", NEED), body_b=_region("b", NEED), b_unchanged=_no_need_b
    ),
    f"GET {_API}/needs/{{need_id}}": Rule("scoped", **_pair("st_need", "need_id")),
    f"GET {_API}/orders": Rule("scoped", marker_a=lambda w: "点单居民a", marker_b=lambda w: "点单居民b"),
    f"POST {_API}/orders": Rule(
        "scoped", method="POST", body_a=_region("a", ORDER), body_b=_region("b", ORDER), b_unchanged=_no_order_b
    ),
    f"GET {_API}/orders/{{order_id}}": Rule("scoped", **_pair("st_sent", "order_id")),
    f"POST {_API}/orders/{{order_id}}/dispatch": Rule(
        "scoped",
        method="POST",
        **_pair("st_placed", "order_id"),
        body_a=_team_api("a"),
        body_b=_team_api("b"),
        b_unchanged=_status("st_placed_b", "placed"),
    ),
    f"POST {_API}/orders/{{order_id}}/accept": Rule(
        "scoped",
        method="POST",
        **_pair("st_sent", "order_id"),
        body_a=_version("a", "st_sent"),
        body_b=_version("b", "st_sent"),
        b_unchanged=_status("st_sent_b", "dispatched"),
    ),
    f"POST {_API}/orders/{{order_id}}/decline": Rule(
        "scoped",
        method="POST",
        **_pair("st_sent", "order_id"),
        body_a=_version("a", "st_sent", reason=REASON),
        body_b=_version("b", "st_sent", reason=REASON),
        b_unchanged=_status("st_sent_b", "dispatched"),
    ),
    f"POST {_API}/orders/{{order_id}}/complete": Rule(
        "scoped",
        method="POST",
        **_pair("st_taken", "order_id"),
        body_a=_complete("a", api=True),
        body_b=_complete("b", api=True),
        b_unchanged=_status("st_taken_b", "accepted"),
    ),
    f"POST {_API}/orders/{{order_id}}/cancel": Rule(
        "scoped",
        method="POST",
        **_pair("st_placed", "order_id"),
        body_a=_version("a", "st_placed", reason=REASON),
        body_b=_version("b", "st_placed", reason=REASON),
        b_unchanged=_status("st_placed_b", "placed"),
    ),
}
