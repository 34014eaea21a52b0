from datetime import date
from typing import Any

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, pk
from cunshe.core.actors import SYSTEM
from cunshe.directory.models import Entry
from cunshe.directory.services import consent_record, entry_create

NAMES = {"a": "黛溪街道党工委书记甲", "b": "黄山街道党工委书记乙"}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}


def setup(world: World, **_: Any) -> None:
    for side, town in TOWNS.items():
        entry = entry_create(
            actor=SYSTEM, region_code=town, name=NAMES[side], post="党工委书记", office_phone="0543-4321234"
        )
        world.extra[f"directory_entry_{side}"] = consent_record(
            actor=SYSTEM,
            entry=entry,
            mobile="13905431111",
            consent_on=date(2026, 11, 18),
            note="本人签字同意书",
            expected_version=entry.version,
        )


def _b_unchanged(w: World) -> bool:
    e = Entry.objects.get(pk=w.extra["directory_entry_b"].pk)
    return (
        e.version == 2 and e.mobile == "13905431111" and Entry.objects.filter(region_id__startswith=TOWN_B).count() == 1
    )


def _new(side: str) -> Any:
    return lambda w: {
        "region": TOWNS[side],
        "name": "新登记",
        "post": "党工委副书记",
        "duties": "",
        "office_phone": "",
        "sort": 20,
    }


def _change(side: str) -> Any:
    return lambda w: {
        "name": NAMES[side],
        "post": "党工委书记",
        "duties": "主持全面工作",
        "office_phone": "0543-4321234",
        "sort": 1,
        "published": True,
        "version": w.extra[f"directory_entry_{side}"].version,
    }


def _consent(side: str) -> Any:
    return lambda w: {
        "mobile": "13905430000",
        "consent_on": "2026-11-20",
        "note": "本人签字同意书",
        "version": w.extra[f"directory_entry_{side}"].version,
    }


def _version(side: str) -> Any:
    return lambda w: {"version": w.extra[f"directory_entry_{side}"].version}


def _region(code: str) -> Any:
    return lambda w: {"code": code}


def _post(a: Any, b: Any, body_a: Any, body_b: Any, **more: Any) -> Rule:
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_b_unchanged, **more)


E = ("directory_entry_a", "directory_entry_b")

WEB_RULES = {
    "directory:index": Rule("signed_in"),
    "directory:region": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B)),
    "directory:fill": _post(_region(VILLAGES["a"]), _region(VILLAGES["b"]), None, None),
    "directory:entry_new": _post(None, None, _new("a"), _new("b")),
    "directory:entry_change": _post(pk(E[0]), pk(E[1]), _change("a"), _change("b")),
    "directory:consent": _post(pk(E[0]), pk(E[1]), _consent("a"), _consent("b")),
    "directory:withdraw": _post(pk(E[0]), pk(E[1]), _version("a"), _version("b")),
    "directory_public:region": Rule("public", a=_region(TOWN_A), b=_region(TOWN_B)),
    "directory_public:print": Rule("public", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: pdf_text(c)[0]),
    "directory_public:ledger": Rule("public", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: ""),
}

API = "/api/v1/directory"
API_RULES = {
    f"GET {API}/region/{{code}}": Rule(
        "scoped", a=_region(TOWN_A), b=_region(TOWN_B), marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]
    ),
    f"POST {API}/region/{{code}}/fill": _post(_region(VILLAGES["a"]), _region(VILLAGES["b"]), None, None),
    f"POST {API}/entries": _post(None, None, _new("a"), _new("b")),
    f"POST {API}/entries/{{entry_id}}": _post(pk(E[0], "entry_id"), pk(E[1], "entry_id"), _change("a"), _change("b")),
    f"POST {API}/entries/{{entry_id}}/consent": _post(
        pk(E[0], "entry_id"), pk(E[1], "entry_id"), _consent("a"), _consent("b")
    ),
    f"POST {API}/entries/{{entry_id}}/withdraw": _post(
        pk(E[0], "entry_id"), pk(E[1], "entry_id"), _version("a"), _version("b")
    ),
    f"GET {API}/public/{{code}}": Rule("public", a=_region(TOWN_A), b=_region(TOWN_B)),
    f"GET {API}/public/{{code}}/print.pdf": Rule(
        "public", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: pdf_text(c)[0]
    ),
    f"GET {API}/public/{{code}}/ledger.xlsx": Rule(
        "public", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: ""
    ),
}
