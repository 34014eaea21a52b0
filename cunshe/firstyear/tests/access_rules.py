from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World, pk
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.downloads import LEDGER_COLUMNS
from cunshe.firstyear.models import ProgrammeItem, Progress
from cunshe.firstyear.services import item_save, items_ensure_defaults, progress_mark
from cunshe.firstyear.tests.helpers import DAY, certified
from cunshe.spreadsheets.layout import write_workbook

# villages of their own, so that other modules' setups keep theirs
VILLAGES = {"a": "371681001233", "b": "371681002233"}  # 河西张村委会 (黛溪街道), 樊家庄村委会 (黄山街道)
NAMES = {"a": "河西张", "b": "樊家庄"}


def _row(village: str, key: str) -> Progress:
    return Progress.objects.get(region_id=village, item__key=key)


# items entered by hand (every default item is marked from other modules' facts): one filled in through the
# ledger import, one marked in the setup (to be taken back), one left open (to be marked)
LEDGER_ITEM = "走访慰问老党员"
MARKED_ITEM = "召开新老班子座谈会"
OPEN_ITEM = "开展党员承诺践诺"


def setup(world: World, make_person: Any, **_: Any) -> None:
    item_save(actor=SYSTEM, county_code=COUNTY, name=LEDGER_ITEM, due_amount=30)
    item_save(actor=SYSTEM, county_code=COUNTY, name=MARKED_ITEM, due_amount=30)
    item_save(actor=SYSTEM, county_code=COUNTY, name=OPEN_ITEM, due_amount=30)
    for side, village in VILLAGES.items():
        certified(village, make_person)
        lesson = Progress.objects.get(region_id=village, item__name=OPEN_ITEM)
        world.extra[f"firstyear_open_{side}"] = lesson
        world.extra[f"firstyear_ledger_{side}"] = Progress.objects.select_related("item").get(
            region_id=village, item__name=LEDGER_ITEM
        )
        care = Progress.objects.get(region_id=village, item__name=MARKED_ITEM)
        progress_mark(
            actor=SYSTEM,
            progress=care,
            done_on=DAY,
            evidence="暖心清单 12 户",
            attachment=SimpleUploadedFile("list.pdf", b"%PDF-1.4 list", content_type="application/pdf"),
            expected_version=care.version,
        )
        world.extra[f"firstyear_done_{side}"] = care
    items_ensure_defaults(actor=SYSTEM, county_code=OTHER_COUNTY)
    world.extra["firstyear_item_a"] = ProgrammeItem.objects.get(county_id=COUNTY, key="care_list")
    world.extra["firstyear_item_b"] = ProgrammeItem.objects.get(county_id=OTHER_COUNTY, key="care_list")


def _still_open(w: World) -> bool:
    return Progress.objects.get(pk=w.extra["firstyear_open_b"].pk).done_on is None


def _still_done(w: World) -> bool:
    return Progress.objects.get(pk=w.extra["firstyear_done_b"].pk).done_on is not None


def _item_unchanged(w: World) -> bool:
    return ProgrammeItem.objects.get(pk=w.extra["firstyear_item_b"].pk).name == w.extra["firstyear_item_b"].name


def _no_new_item(w: World) -> bool:
    return not ProgrammeItem.objects.filter(county_id=OTHER_COUNTY, name="开好第一次村民代表会议").exists()


def _done_form(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        pk = w.extra[f"firstyear_open_{side}"].pk
        return {f"p{pk}-done_on": DAY.isoformat(), f"p{pk}-evidence": "参加基层党校培训", f"p{pk}-version": 1}

    return body


def _done_api(w: World) -> dict[str, Any]:
    photo = SimpleUploadedFile("lesson.jpg", b"\xff\xd8\xff lesson", content_type="image/jpeg")
    return {"done_on": DAY.isoformat(), "evidence": "参加基层党校培训", "version": 1, "attachment": photo}


def _undo(side: str) -> Any:
    return lambda w: {
        "reason": "登记错误",
        "version": Progress.objects.get(pk=w.extra[f"firstyear_done_{side}"].pk).version,
    }


NEW_ITEM = {
    "name": "开好第一次村民代表会议",
    "description": "",
    "due_amount": 45,
    "due_unit": "calendar_days",
    "source": "manual",
    "is_active": True,
}


def _edit(side: str) -> Any:
    return lambda w: {**NEW_ITEM, "name": "暖心清单（改）", "version": w.extra[f"firstyear_item_{side}"].version}


def _rollup(code: str) -> Any:
    return lambda w: {"code": code}


def _ledger(side: str) -> Any:
    """A ledger marking the side's open item done (the row names the side's village)."""

    def body(w: World) -> dict[str, Any]:
        row = w.extra[f"firstyear_ledger_{side}"]
        buffer = BytesIO()
        line = {"region": row.region_id, "item": row.item.name, "done_on": DAY, "evidence": "党支部领办合作社立项"}
        write_workbook("开门七件事进度台账", LEDGER_COLUMNS, [line], buffer)
        return {"file": SimpleUploadedFile("台账.xlsx", buffer.getvalue())}

    return body


def _ledger_b_open(w: World) -> bool:
    return Progress.objects.get(pk=w.extra["firstyear_ledger_b"].pk).done_on is None


WEB_RULES = {
    "firstyear:index": Rule("signed_in"),
    "firstyear:rollup": Rule(
        "scoped",
        a=_rollup(TOWN_A),
        b=_rollup(TOWN_B),
        marker_a=lambda w: NAMES["a"],
        marker_b=lambda w: NAMES["b"],
    ),
    "firstyear:ledger_xlsx": Rule("scoped", a=_rollup(TOWN_A), b=_rollup(TOWN_B), as_text=lambda c: ""),
    "firstyear:ledger_import": Rule(
        "scoped",
        method="POST",
        a=_rollup(TOWN_A),
        b=_rollup(TOWN_B),
        body_a=_ledger("a"),
        body_b=_ledger("b"),
        b_unchanged=_ledger_b_open,
    ),
    "firstyear:report": Rule("scoped", a=_rollup(TOWN_A), b=_rollup(TOWN_B), as_text=lambda c: ""),
    "firstyear:village": Rule("scoped", a=lambda w: {"code": VILLAGES["a"]}, b=lambda w: {"code": VILLAGES["b"]}),
    "firstyear:done": Rule(
        "scoped",
        method="POST",
        a=pk("firstyear_open_a"),
        b=pk("firstyear_open_b"),
        body_a=_done_form("a"),
        body_b=_done_form("b"),
        b_unchanged=_still_open,
    ),
    "firstyear:undo": Rule(
        "scoped",
        method="POST",
        a=pk("firstyear_done_a"),
        b=pk("firstyear_done_b"),
        body_a=_undo("a"),
        body_b=_undo("b"),
        b_unchanged=_still_done,
    ),
    "firstyear:attachment": Rule("scoped", a=pk("firstyear_done_a"), b=pk("firstyear_done_b"), as_text=lambda c: ""),
    "firstyear:items": Rule("scoped", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}),
    "firstyear:item_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=lambda w: NEW_ITEM,
        body_b=lambda w: NEW_ITEM,
        b_unchanged=_no_new_item,
    ),
    "firstyear:item_edit": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=pk("firstyear_item_a"),
        b=pk("firstyear_item_b"),
        body_a=_edit("a"),
        body_b=_edit("b"),
        b_unchanged=_item_unchanged,
    ),
}

API_RULES = {
    "GET /api/v1/firstyear/items/{code}": Rule(
        "scoped", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "POST /api/v1/firstyear/items/{code}": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=lambda w: NEW_ITEM,
        body_b=lambda w: NEW_ITEM,
        b_unchanged=_no_new_item,
    ),
    "PUT /api/v1/firstyear/item/{item_id}": Rule(
        "scoped",
        actor="organizer_a",
        method="PUT",
        a=pk("firstyear_item_a", "item_id"),
        b=pk("firstyear_item_b", "item_id"),
        body_a=_edit("a"),
        body_b=_edit("b"),
        b_unchanged=_item_unchanged,
    ),
    "GET /api/v1/firstyear/village/{code}": Rule(
        "scoped", a=lambda w: {"code": VILLAGES["a"]}, b=lambda w: {"code": VILLAGES["b"]}
    ),
    "POST /api/v1/firstyear/progress/{progress_id}/done": Rule(
        "scoped",
        method="POST",
        a=pk("firstyear_open_a", "progress_id"),
        b=pk("firstyear_open_b", "progress_id"),
        body_a=_done_api,
        body_b=_done_api,
        b_unchanged=_still_open,
    ),
    "POST /api/v1/firstyear/progress/{progress_id}/undo": Rule(
        "scoped",
        method="POST",
        a=pk("firstyear_done_a", "progress_id"),
        b=pk("firstyear_done_b", "progress_id"),
        body_a=_undo("a"),
        body_b=_undo("b"),
        b_unchanged=_still_done,
    ),
    "GET /api/v1/firstyear/progress/{progress_id}/attachment": Rule(
        "scoped",
        a=pk("firstyear_done_a", "progress_id"),
        b=pk("firstyear_done_b", "progress_id"),
        as_text=lambda c: "",
    ),
    "GET /api/v1/firstyear/rollup/{code}": Rule("scoped", a=_rollup(TOWN_A), b=_rollup(TOWN_B)),
    "GET /api/v1/firstyear/rollup/{code}/ledger.xlsx": Rule(
        "scoped", a=_rollup(TOWN_A), b=_rollup(TOWN_B), as_text=lambda c: ""
    ),
    "POST /api/v1/firstyear/rollup/{code}/ledger/import": Rule(
        "scoped",
        method="POST",
        a=_rollup(TOWN_A),
        b=_rollup(TOWN_B),
        body_a=_ledger("a"),
        body_b=_ledger("b"),
        b_unchanged=_ledger_b_open,
    ),
    "GET /api/v1/firstyear/rollup/{code}/report.pdf": Rule(
        "scoped", a=_rollup(TOWN_A), b=_rollup(TOWN_B), as_text=lambda c: ""
    ),
}
