from typing import Any

from cunshe.access.tests.walk import Rule, World, pks
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election
from cunshe.elections.tests.factories import open_election
from cunshe.people.services import relation_add
from cunshe.polling.models import MobileVoter, Proxy, Publication, StaffMember, Station
from cunshe.polling.services import mobile_voter_add, staff_add, station_add
from cunshe.polling.tests.helpers import candidates_add, publish_candidates, voter_add

# Villages of their own (the elections module's setup holds the main elections of VILLAGE_A and VILLAGE_B).
VILLAGES = {"a": "371681001229", "b": "371681002229"}


def _side(world: World, make_person: Any, which: str) -> None:
    village = VILLAGES[which]
    election = open_election(village=village)
    central = station_add(actor=SYSTEM, election=election, kind="central", name=f"中心会场{which}", place="村委会")
    mobile = station_add(actor=SYSTEM, election=election, kind="mobile", name=f"流动票箱{which}")
    for n, group in enumerate(("一组", "二组", "三组")):
        person = make_person(village)
        voter_add(election, person, group)
        staff_add(actor=SYSTEM, station=central, person=person, role="scrutineer")
        staff_add(actor=SYSTEM, station=mobile, person=person, role="scrutineer")
        if n == 0:
            world.extra[f"polling_staff_{which}"] = staff_add(
                actor=SYSTEM, station=central, person=person, role="counter"
            )
    candidates_add(election, director=[make_person(village)])
    old = voter_add(election, make_person(village), "二组")
    mobile_voter_add(actor=SYSTEM, station=mobile, voter=old, reason="年老体弱")
    parent, child = make_person(village), make_person(village)
    relation_add(actor=SYSTEM, person=parent, relative=child, kinship="child")
    world.extra[f"polling_principal_{which}"] = voter_add(election, parent, "一组")
    world.extra[f"polling_trustee_{which}"] = voter_add(election, child, "一组")
    world.extra[f"polling_free_voter_{which}"] = voter_add(election, make_person(village), "三组")
    world.extra[f"polling_person_{which}"] = make_person(village)
    world.extra[f"polling_election_{which}"] = publish_candidates(election)
    world.extra[f"polling_station_{which}"] = central
    world.extra[f"polling_mobile_{which}"] = mobile


def setup(world: World, make_person: Any, **_: Any) -> None:
    _side(world, make_person, "a")
    _side(world, make_person, "b")
    world.extra["polling_b_before"] = _state_b(world)


def _state_b(w: World) -> tuple[Any, ...]:
    e = Election.objects.get(pk=w.extra["polling_election_b"].pk)
    return (
        e.status,
        Station.objects.filter(election=e).count(),
        StaffMember.objects.filter(station__election=e).count(),
        MobileVoter.objects.filter(station__election=e).count(),
        Proxy.objects.filter(election=e).count(),
        Publication.objects.filter(election=e).count(),
    )


def _b_unchanged(w: World) -> bool:
    return _state_b(w) == w.extra["polling_b_before"]


def _election(name: str = "pk") -> tuple[Any, Any]:
    return pks("polling_election", name)


def _write(kwargs: tuple[Any, Any], body: Any, method: str = "POST") -> Rule:
    return Rule(
        "scoped",
        method=method,
        a=kwargs[0],
        b=kwargs[1],
        body_a=lambda w: body(w, "a"),
        body_b=lambda w: body(w, "b"),
        b_unchanged=_b_unchanged,
    )


def _read(kwargs: tuple[Any, Any]) -> Rule:
    return Rule("scoped", a=kwargs[0], b=kwargs[1])


def _station_body(w: World, which: str) -> dict[str, Any]:
    return {"kind": "sub", "name": "一组投票站", "place": "一组活动室", "booths": 1}


def _staff_body(field: str) -> Any:
    return lambda w, which: {field: w.extra[f"polling_person_{which}"].pk, "role": "issuer"}


def _mobile_body(field: str) -> Any:
    return lambda w, which: {field: w.extra[f"polling_free_voter_{which}"].pk, "reason": "卧病在床"}


def _proxy_body(principal: str, trustee: str) -> Any:
    return lambda w, which: {
        principal: w.extra[f"polling_principal_{which}"].pk,
        trustee: w.extra[f"polling_trustee_{which}"].pk,
        "written_on": "2026-12-01",
        "approved_on": "2026-12-02",
    }


def _publish_body(w: World, which: str) -> dict[str, Any]:
    return {"what": "mobile", "on": "2026-12-01"}


def _open_body(w: World, which: str) -> dict[str, Any]:
    return {"on": "2026-12-20", "version": w.extra[f"polling_election_{which}"].version}


def _nothing(w: World, which: str) -> dict[str, Any]:
    return {}


WEB_RULES = {
    "polling:election": _read(_election()),
    "polling:station_new": _write(_election(), _station_body),
    "polling:staff_new": _write(pks("polling_station"), _staff_body("person")),
    "polling:staff_remove": _write(pks("polling_staff"), _nothing),
    "polling:mobile_new": _write(pks("polling_mobile"), _mobile_body("voter")),
    "polling:proxy_new": _write(_election(), _proxy_body("principal", "trustee")),
    "polling:publish": _write(_election(), lambda w, which: {"what": "proxy"}),
    "polling:open": _write(_election(), lambda w, which: {"version": w.extra[f"polling_election_{which}"].version}),
    "polling:ballots": _read(_election()),
    "polling:voter_cards": _read(_election()),
    "polling:mobile_list": _read(_election()),
    "polling:proxy_list": _read(_election()),
    "polling:count_sheet": _read(pks("polling_station")),
}

API = "/api/v1/polling"
API_RULES = {
    f"GET {API}/elections/{{election_id}}": _read(_election("election_id")),
    f"POST {API}/elections/{{election_id}}/stations": _write(_election("election_id"), _station_body),
    f"POST {API}/stations/{{station_id}}/staff": _write(pks("polling_station", "station_id"), _staff_body("person_id")),
    f"DELETE {API}/staff/{{staff_id}}": _write(pks("polling_staff", "staff_id"), _nothing, method="DELETE"),
    f"POST {API}/stations/{{station_id}}/mobile-voters": _write(
        pks("polling_mobile", "station_id"), _mobile_body("voter_id")
    ),
    f"POST {API}/elections/{{election_id}}/proxies": _write(
        _election("election_id"), _proxy_body("principal_voter_id", "trustee_voter_id")
    ),
    f"POST {API}/elections/{{election_id}}/publish": _write(_election("election_id"), _publish_body),
    f"POST {API}/elections/{{election_id}}/open": _write(_election("election_id"), _open_body),
    f"GET {API}/elections/{{election_id}}/ballots.pdf": Rule(
        "scoped", a=_election("election_id")[0], b=_election("election_id")[1], as_text=lambda c: ""
    ),
    f"GET {API}/elections/{{election_id}}/voter-cards.pdf": _read(_election("election_id")),
    f"GET {API}/stations/{{station_id}}/count-sheet.pdf": _read(pks("polling_station", "station_id")),
    f"GET {API}/elections/{{election_id}}/mobile-list.pdf": _read(_election("election_id")),
    f"GET {API}/elections/{{election_id}}/proxy-list.pdf": _read(_election("election_id")),
}
