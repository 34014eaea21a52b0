from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World, no_text, pk
from cunshe.carelist.downloads import HOUSEHOLD_COLUMNS
from cunshe.carelist.models import CareVisit, Household
from cunshe.carelist.services import household_add
from cunshe.core.actors import SYSTEM
from cunshe.spreadsheets.layout import write_workbook

# villages of their own: 鄢家村委会 (黛溪街道), 鲁东村委会 (黄山街道)
VILLAGES = {"a": "371681001238", "b": "371681002234"}
NAMES = {"a": "鄢家", "b": "鲁东"}
LISTED = date(2026, 1, 5)


def setup(world: World, **_: Any) -> None:
    for side, village in VILLAGES.items():
        world.extra[f"carelist_household_{side}"] = household_add(
            actor=SYSTEM, village_code=village, name=f"{NAMES[side]}王秀英", dibao=True, listed_on=LISTED
        )
        world.extra[f"carelist_leaving_{side}"] = household_add(
            actor=SYSTEM, village_code=village, name=f"{NAMES[side]}李德福", wubao=True, listed_on=LISTED
        )


def _code(side: str) -> Any:
    return lambda w: {"code": VILLAGES[side]}


def _town(code: str) -> Any:
    return lambda w: {"code": code}


NEW = {"name": "新列入户", "address": "一组", "dibao": True, "listed_on": "2026-02-01"}
VISIT = {"visitors": "党员志愿服务队", "chat": True, "meal": True, "cleaning": True, "problems": "代办低保年审"}


def _visit(w: World) -> dict[str, Any]:
    return {**VISIT, "visited_on": timezone.localdate().isoformat()}


def _no_new_b(w: World) -> bool:
    return not Household.objects.filter(region_id=VILLAGES["b"], name__in=("新列入户", "导入户")).exists()


def _no_visit_b(w: World) -> bool:
    return not CareVisit.objects.filter(household=w.extra["carelist_household_b"]).exists()


def _still_listed_b(w: World) -> bool:
    return Household.objects.get(pk=w.extra["carelist_leaving_b"].pk).removed_on is None


def _remove(side: str) -> Any:
    return lambda w: {
        "removed_on": timezone.localdate().isoformat(),
        "reason": "迁往外地",
        "version": Household.objects.get(pk=w.extra[f"carelist_leaving_{side}"].pk).version,
    }


def _sheet(w: World) -> dict[str, Any]:
    buffer = BytesIO()
    row = {"name": "导入户", "address": "", "poor": "否", "dibao": "是", "wubao": "否", "alone": "否"}
    write_workbook("暖心清单", HOUSEHOLD_COLUMNS, [{**row, "carer": "", "listed_on": LISTED}], buffer)
    return {"file": SimpleUploadedFile("暖心清单.xlsx", buffer.getvalue())}


WEB_RULES = {
    "carelist:index": Rule("signed_in"),
    "carelist:rollup": Rule(
        "scoped", a=_town(TOWN_A), b=_town(TOWN_B), marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]
    ),
    "carelist:visits_xlsx": Rule("scoped", a=_town(TOWN_A), b=_town(TOWN_B), as_text=no_text),
    "carelist:village": Rule("scoped", a=_code("a"), b=_code("b")),
    "carelist:household_new": Rule(
        "scoped",
        method="POST",
        a=_code("a"),
        b=_code("b"),
        body_a=lambda w: NEW,
        body_b=lambda w: NEW,
        b_unchanged=_no_new_b,
    ),
    "carelist:import": Rule(
        "scoped", method="POST", a=_code("a"), b=_code("b"), body_a=_sheet, body_b=_sheet, b_unchanged=_no_new_b
    ),
    "carelist:households_xlsx": Rule("scoped", a=_code("a"), b=_code("b"), as_text=no_text),
    "carelist:list_pdf": Rule("scoped", a=_code("a"), b=_code("b"), as_text=no_text),
    "carelist:household": Rule("scoped", a=pk("carelist_household_a"), b=pk("carelist_household_b")),
    "carelist:remove": Rule(
        "scoped",
        method="POST",
        a=pk("carelist_leaving_a"),
        b=pk("carelist_leaving_b"),
        body_a=_remove("a"),
        body_b=_remove("b"),
        b_unchanged=_still_listed_b,
    ),
    "carelist:visit": Rule(
        "scoped",
        method="POST",
        a=pk("carelist_household_a"),
        b=pk("carelist_household_b"),
        body_a=_visit,
        body_b=_visit,
        b_unchanged=_no_visit_b,
    ),
}

API_RULES = {
    "GET /api/v1/carelist/village/{code}": Rule("scoped", a=_code("a"), b=_code("b")),
    "POST /api/v1/carelist/village/{code}/households": Rule(
        "scoped",
        method="POST",
        a=_code("a"),
        b=_code("b"),
        body_a=lambda w: NEW,
        body_b=lambda w: NEW,
        b_unchanged=_no_new_b,
    ),
    "POST /api/v1/carelist/village/{code}/import": Rule(
        "scoped", method="POST", a=_code("a"), b=_code("b"), body_a=_sheet, body_b=_sheet, b_unchanged=_no_new_b
    ),
    "GET /api/v1/carelist/village/{code}/households.xlsx": Rule("scoped", a=_code("a"), b=_code("b"), as_text=no_text),
    "GET /api/v1/carelist/village/{code}/list.pdf": Rule("scoped", a=_code("a"), b=_code("b"), as_text=no_text),
    "GET /api/v1/carelist/household/{household_id}": Rule(
        "scoped", a=pk("carelist_household_a", "household_id"), b=pk("carelist_household_b", "household_id")
    ),
    "POST /api/v1/carelist/household/{household_id}/visits": Rule(
        "scoped",
        method="POST",
        a=pk("carelist_household_a", "household_id"),
        b=pk("carelist_household_b", "household_id"),
        body_a=_visit,
        body_b=_visit,
        b_unchanged=_no_visit_b,
    ),
    "POST /api/v1/carelist/household/{household_id}/remove": Rule(
        "scoped",
        method="POST",
        a=pk("carelist_leaving_a", "household_id"),
        b=pk("carelist_leaving_b", "household_id"),
        body_a=_remove("a"),
        body_b=_remove("b"),
        b_unchanged=_still_listed_b,
    ),
    "GET /api/v1/carelist/rollup/{code}": Rule(
        "scoped", a=_town(TOWN_A), b=_town(TOWN_B), marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]
    ),
    "GET /api/v1/carelist/rollup/{code}/visits.xlsx": Rule("scoped", a=_town(TOWN_A), b=_town(TOWN_B), as_text=no_text),
}
