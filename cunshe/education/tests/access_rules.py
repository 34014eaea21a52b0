from datetime import date
from typing import Any

from conftest import TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World, no_text
from cunshe.core.actors import SYSTEM
from cunshe.education.models import Campaign, VillageTask
from cunshe.education.services import campaign_create

TITLES = {"a": "黛溪街道集中教育", "b": "黄山街道集中教育"}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
VILLAGES = {"a": "371681001238", "b": "371681002235"}


def setup(world: World, **_: Any) -> None:
    for side, town in TOWNS.items():
        c = campaign_create(
            actor=SYSTEM,
            region_code=town,
            title=TITLES[side],
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            kinds=["finance", "integrity"],
        )
        world.extra[f"education_campaign_{side}"] = c
        world.extra[f"education_task_{side}"] = VillageTask.objects.get(
            campaign=c, region_id=VILLAGES[side], kind="finance"
        )


def _at(side: str, code: str | None = None, pk: str = "pk") -> Any:
    return lambda w: {pk: w.extra[f"education_campaign_{side}"].pk, "code": code or TOWNS[side]}


NEW = {"title": "新开集中教育", "starts_on": "2026-02-01", "ends_on": "2026-03-31"}


def _no_new_b(w: World) -> bool:
    return not Campaign.objects.filter(region_id=TOWN_B, title=NEW["title"]).exists()


def _open_b(w: World) -> bool:
    return VillageTask.objects.get(pk=w.extra["education_task_b"].pk).done_on is None


def _done(side: str) -> Any:
    return lambda w: {
        "done_on": "2026-02-01",
        "note": "清理账目 12 笔",
        "version": VillageTask.objects.get(pk=w.extra[f"education_task_{side}"].pk).version,
    }


WEB_RULES = {
    "education:list": Rule("scoped", marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]),
    "education:campaign_new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**NEW, "region": TOWN_A, "kinds": ["finance"]},
        body_b=lambda w: {**NEW, "region": TOWN_B, "kinds": ["finance"]},
        refused_status=400,
        b_unchanged=_no_new_b,
    ),
    "education:campaign": Rule("scoped", a=_at("a"), b=_at("b")),
    "education:ledger": Rule("scoped", a=_at("a"), b=_at("b"), as_text=no_text),
    "education:sheet": Rule("scoped", a=_at("a", VILLAGES["a"]), b=_at("b", VILLAGES["b"]), as_text=no_text),
    "education:done": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"pk": w.extra["education_task_a"].pk},
        b=lambda w: {"pk": w.extra["education_task_b"].pk},
        body_a=_done("a"),
        body_b=_done("b"),
        b_unchanged=_open_b,
    ),
}

API_RULES = {
    "GET /api/v1/education/campaigns": Rule("scoped", marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]),
    "POST /api/v1/education/campaigns": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**NEW, "region": TOWN_A, "kinds": ["finance"]},
        body_b=lambda w: {**NEW, "region": TOWN_B, "kinds": ["finance"]},
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/education/campaign/{campaign_id}/{code}": Rule(
        "scoped", a=_at("a", pk="campaign_id"), b=_at("b", pk="campaign_id")
    ),
    "GET /api/v1/education/campaign/{campaign_id}/{code}/ledger.xlsx": Rule(
        "scoped", a=_at("a", pk="campaign_id"), b=_at("b", pk="campaign_id"), as_text=no_text
    ),
    "GET /api/v1/education/campaign/{campaign_id}/{code}/sheet.pdf": Rule(
        "scoped",
        a=_at("a", VILLAGES["a"], pk="campaign_id"),
        b=_at("b", VILLAGES["b"], pk="campaign_id"),
        as_text=no_text,
    ),
    "POST /api/v1/education/task/{task_id}/done": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"task_id": w.extra["education_task_a"].pk},
        b=lambda w: {"task_id": w.extra["education_task_b"].pk},
        body_a=_done("a"),
        body_b=_done("b"),
        b_unchanged=_open_b,
    ),
}
