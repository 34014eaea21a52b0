from datetime import date
from typing import Any

from conftest import OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, pk, pks
from cunshe.core.actors import SYSTEM
from cunshe.disclosures.models import Disclosure, Schedule
from cunshe.disclosures.services import photo_add
from cunshe.disclosures.tests.helpers import draft, png, publish

TITLES = {"a": "甲村十月财务公开", "b": "乙村十月财务公开"}
NEW = {"kind": "finance", "period_day": "2026-11-01", "title": "新登记公开", "content": "十一月财务收支。"}


def setup(world: World, **_: Any) -> None:
    for side, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        world.extra[f"disclosure_{side}"] = draft(village, period_day=date(2026, 10, 1), title=TITLES[side])
        shown = publish(
            draft(village, kind="general", period_day=date(2026, 10, 1), title="三季度党务公开"), date(2026, 11, 5)
        )
        world.extra[f"disclosure_photo_{side}"] = photo_add(actor=SYSTEM, disclosure=shown, image=png())


def _unpublished_b(w: World) -> bool:
    d = Disclosure.objects.get(pk=w.extra["disclosure_b"].pk)
    return d.published_on is None and not d.photos.exists()


def _no_new_b(w: World) -> bool:
    return not Disclosure.objects.filter(region_id=VILLAGE_B, title=NEW["title"]).exists()


def _publish(side: str) -> Any:
    return lambda w: {"published_on": "2026-11-05", "version": w.extra[f"disclosure_{side}"].version}


def _photo(w: World) -> dict[str, Any]:
    return {"image": png(), "caption": "公开栏"}


def _name(code: str) -> Any:
    from cunshe.regions.models import Region

    return lambda w: Region.objects.get(code=code).name


_A, _B = pks("disclosure")
_AI, _BI = pks("disclosure", "disclosure_id")
_FILE = lambda c: ""  # noqa: E731 - a workbook or an image
_COUNTY = {"a": lambda w: {"code": "371681"}, "b": lambda w: {"code": OTHER_COUNTY}}
_TOWN = {"a": lambda w: {"code": TOWN_A}, "b": lambda w: {"code": TOWN_B}}
_VILLAGE = {"a": lambda w: {"code": VILLAGE_A}, "b": lambda w: {"code": VILLAGE_B}}

WEB_RULES = {
    "disclosures:index": Rule("signed_in"),
    "disclosures:rollup": Rule(
        "scoped", a=_TOWN["a"], b=_TOWN["b"], marker_a=_name(VILLAGE_A), marker_b=_name(VILLAGE_B)
    ),
    "disclosures:ledger_xlsx": Rule("scoped", a=_TOWN["a"], b=_TOWN["b"], as_text=_FILE),
    "disclosures:village": Rule("scoped", a=_VILLAGE["a"], b=_VILLAGE["b"]),
    # GET shows the schedule to everyone under the county; the rule walks the organizer's POST of a new rule.
    "disclosures:schedule": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_COUNTY["a"],
        b=_COUNTY["b"],
        body_a=lambda w: {"kind": "general", "effective_from": "2099-01-01", "due_day": "15"},
        body_b=lambda w: {"kind": "general", "effective_from": "2099-01-01", "due_day": "15"},
        b_unchanged=lambda w: not Schedule.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "disclosures:new": Rule(
        "scoped",
        method="POST",
        a=_VILLAGE["a"],
        b=_VILLAGE["b"],
        body_a=lambda w: {**NEW, "channels": ["board"]},
        body_b=lambda w: {**NEW, "channels": ["board"]},
        b_unchanged=_no_new_b,
    ),
    "disclosures:detail": Rule("scoped", a=_A, b=_B),
    "disclosures:publish": Rule(
        "scoped", method="POST", a=_A, b=_B, body_a=_publish("a"), body_b=_publish("b"), b_unchanged=_unpublished_b
    ),
    "disclosures:photo_new": Rule(
        "scoped", method="POST", a=_A, b=_B, body_a=_photo, body_b=_photo, b_unchanged=_unpublished_b
    ),
    "disclosures:photo": Rule("scoped", a=pk("disclosure_photo_a"), b=pk("disclosure_photo_b"), as_text=_FILE),
    "disclosures_public:photo": Rule("public", b=pk("disclosure_photo_b"), as_text=_FILE),
}

API_RULES = {
    "GET /api/v1/disclosures/schedule/{code}": Rule("scoped", a=_COUNTY["a"], b=_COUNTY["b"]),
    "POST /api/v1/disclosures/schedule/{code}": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_COUNTY["a"],
        b=_COUNTY["b"],
        body_a=lambda w: {"kind": "finance", "effective_from": "2099-01-01", "due_day": 10},
        body_b=lambda w: {"kind": "finance", "effective_from": "2099-01-01", "due_day": 10},
        b_unchanged=lambda w: not Schedule.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "GET /api/v1/disclosures/village/{code}": Rule("scoped", a=_VILLAGE["a"], b=_VILLAGE["b"]),
    "GET /api/v1/disclosures/village/{code}/disclosures": Rule(
        "scoped", a=_VILLAGE["a"], b=_VILLAGE["b"], marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]
    ),
    "POST /api/v1/disclosures": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**NEW, "channels": ["board"], "village": VILLAGE_A},
        body_b=lambda w: {**NEW, "channels": ["board"], "village": VILLAGE_B},
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/disclosures/{disclosure_id}": Rule("scoped", a=_AI, b=_BI),
    "POST /api/v1/disclosures/{disclosure_id}/publish": Rule(
        "scoped", method="POST", a=_AI, b=_BI, body_a=_publish("a"), body_b=_publish("b"), b_unchanged=_unpublished_b
    ),
    "POST /api/v1/disclosures/{disclosure_id}/photos": Rule(
        "scoped", method="POST", a=_AI, b=_BI, body_a=_photo, body_b=_photo, b_unchanged=_unpublished_b
    ),
    "GET /api/v1/disclosures/photos/{photo_id}": Rule(
        "scoped",
        a=pk("disclosure_photo_a", "photo_id"),
        b=pk("disclosure_photo_b", "photo_id"),
        as_text=_FILE,
    ),
    "GET /api/v1/disclosures/rollup/{code}": Rule(
        "scoped", a=_TOWN["a"], b=_TOWN["b"], marker_a=_name(VILLAGE_A), marker_b=_name(VILLAGE_B)
    ),
    "GET /api/v1/disclosures/rollup/{code}/ledger.xlsx": Rule("scoped", a=_TOWN["a"], b=_TOWN["b"], as_text=_FILE),
}
