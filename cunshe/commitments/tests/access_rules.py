from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, xlsx_text
from cunshe.access.tests.walk import pk as _pk
from cunshe.commitments.models import (
    CaseSending,
    Commitment,
    CountyRules,
    Finding,
    Inspection,
    ProgressUpdate,
    SelfCheck,
    Status,
    TargetLetter,
    TownVisit,
)
from cunshe.commitments.responsibility import case_send, self_check_add, town_visit_add
from cunshe.commitments.services import (
    LEDGER_COLUMNS,
    commitment_create,
    commitment_move,
    commitment_showcase,
    finding_add,
    inspection_draw,
    progress_add,
    rules_of,
)
from cunshe.core.actors import SYSTEM
from cunshe.spreadsheets.layout import write_workbook

YEAR = 2026
CATEGORY = "提升改善村容村貌"


def _create(village: str, title: str) -> Commitment:
    return commitment_create(
        actor=SYSTEM,
        village_code=village,
        year=YEAR,
        category=CATEGORY,
        title=title,
        content="清理坑塘、硬化道路",
        target="村内主路全部硬化",
        deadline=date(YEAR, 12, 31),
        responsible_post="村党组织书记",
    )


def setup(world: World, **_: Any) -> None:
    for side, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        open_one = _create(village, f"{side}村修路事项")
        photo = SimpleUploadedFile("road.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", content_type="image/jpeg")
        world.extra[f"update_{side}"] = progress_add(
            actor=SYSTEM, commitment=open_one, written_on=date(YEAR, 1, 10), note="已开工", photo=photo
        )
        open_one.refresh_from_db()
        world.extra[f"open_{side}"] = open_one
        done = _create(village, f"{side}村整治坑塘")
        done = commitment_move(
            actor=SYSTEM,
            commitment=done,
            to_status=Status.DONE,
            expected_version=done.version,
            completed_on=date(YEAR, 1, 5),
            evidence="验收照片存档",
        )
        world.extra[f"done_{side}"] = commitment_showcase(
            actor=SYSTEM, commitment=done, writeup=f"{side}村坑塘治理经验", expected_version=done.version
        )
    inspection_a = inspection_draw(
        actor=SYSTEM, county_code=COUNTY, title="甲县抽查", mode="share", amount=100, drawn_on=date(YEAR, 1, 2), seed=1
    )
    inspection_b = inspection_draw(
        actor=SYSTEM,
        county_code=OTHER_COUNTY,
        title="外县抽查",
        mode="share",
        amount=100,
        drawn_on=date(YEAR, 1, 2),
        seed=1,
    )
    world.extra["inspection_a"], world.extra["inspection_b"] = inspection_a, inspection_b
    world.extra["inspected_a"] = inspection_a.villages.get(region_id=VILLAGE_A)
    world.extra["inspected_other"] = inspection_b.villages.get(region_id=OTHER_VILLAGE)
    for side, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        world.extra[f"finding_{side}"] = finding_add(
            actor=SYSTEM,
            inspected=inspection_a.villages.get(region_id=village),
            description=f"{side}村台账未公示",
            found_on=date(YEAR, 1, 3),
            rectify_by=date(YEAR, 1, 20),
        )

    # Three-level responsibility: a self-check, a town visit and a sending on each side.
    for side, village, town in (("a", VILLAGE_A, TOWN_A), ("b", VILLAGE_B, TOWN_B)):
        self_check_add(
            actor=SYSTEM, commitment=world.extra[f"open_{side}"], checked_on=date(YEAR, 1, 15), progress="按计划推进"
        )
        world.extra[f"visit_{side}"] = town_visit_add(
            actor=SYSTEM,
            town_code=town,
            visited_on=date(YEAR, 1, 20),
            village_codes=[village],
            findings=f"{side}镇督导发现台账未更新",
        )
        case_send(
            actor=SYSTEM,
            commitment=world.extra[f"done_{side}"],
            level="county",
            outlet="县委组织部",
            sent_on=date(YEAR, 1, 25),
            sender=f"{side}镇组织委员",
        )


def _title(key: str) -> Any:
    return lambda w: w.extra[key].title


def _upload(village: str, title: str) -> Any:
    def upload(w: World) -> dict[str, Any]:
        row = {
            "region": village,
            "kind": "first",
            "year": YEAR,
            "category": CATEGORY,
            "title": title,
            "content": "新修文化广场",
            "target": "建成广场一处",
            "deadline": date(YEAR, 10, 1),
            "responsible_post": "村委会主任",
            "source": "visits",
            "status": "planned",
        }
        buffer = BytesIO()
        write_workbook("台账", LEDGER_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("ledger.xlsx", buffer.getvalue())}

    return upload


def _form(village: str, title: str) -> Any:
    return lambda w: {
        "kind": "first",
        "year": YEAR,
        "category": CATEGORY,
        "title": title,
        "content": "安装路灯",
        "target": "主街亮灯",
        "deadline": f"{YEAR}-11-30",
        "responsible_post": "村党组织书记",
        "source": "suggestion_box",
    }


def _edit_body(key: str) -> Any:
    return lambda w: {**_form("", "改过的名称")(w), "version": Commitment.objects.get(pk=w.extra[key].pk).version}


def _b(key: str, **expected: Any) -> Any:
    def unchanged(w: World) -> bool:
        c = Commitment.objects.get(pk=w.extra[key].pk)
        return all(getattr(c, k) == v for k, v in expected.items())

    return unchanged


def _rules_body(county: str) -> dict[str, Any]:
    current = rules_of(county)
    return {
        "min_per_village": current.min_per_village,
        "max_per_village": 6,
        "categories": list(current.categories),
        "version": current.version or None,
    }


def _no_new_b(w: World) -> bool:
    return not Commitment.objects.filter(region_id=VILLAGE_B, title="越权事项").exists()


def _finding_b_open(w: World) -> bool:
    return Finding.objects.get(pk=w.extra["finding_b"].pk).rectified_on is None


def _version(key: str) -> Any:
    return lambda w: Commitment.objects.get(pk=w.extra[key].pk).version


WEB_RULES = {
    "commitments:ledger": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=_title("open_a"), marker_b=_title("open_b")
    ),
    "commitments:export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=_title("open_a"),
        marker_b=_title("open_b"),
        as_text=xlsx_text,
    ),
    "commitments:import": Rule(
        "scoped",
        method="POST",
        body_a=_upload(VILLAGE_A, "甲村新事项"),
        body_b=_upload(VILLAGE_B, "越权事项"),
        refused_status=200,
        b_unchanged=_no_new_b,
    ),
    "commitments:rollup": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "commitments:cases": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=lambda w: "a村坑塘治理经验", marker_b=lambda w: "b村坑塘治理经验"
    ),
    "commitments:cases_export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: "a村坑塘治理经验",
        marker_b=lambda w: "b村坑塘治理经验",
        as_text=xlsx_text,
    ),
    "commitments:village": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "commitments:new": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=_form(VILLAGE_A, "甲村路灯"),
        body_b=_form(VILLAGE_B, "越权事项"),
        b_unchanged=_no_new_b,
    ),
    "commitments:letter": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A, "year": YEAR}, b=lambda w: {"code": VILLAGE_B, "year": YEAR}
    ),
    "commitments:letter_sign": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A, "year": YEAR},
        b=lambda w: {"code": VILLAGE_B, "year": YEAR},
        body_a=lambda w: {
            "signed_on": f"{YEAR}-01-15",
            "village_signatory_post": "书记",
            "town_signatory_post": "书记",
        },
        body_b=lambda w: {
            "signed_on": f"{YEAR}-01-15",
            "village_signatory_post": "书记",
            "town_signatory_post": "书记",
        },
        b_unchanged=lambda w: not TargetLetter.objects.filter(region_id=VILLAGE_B).exists(),
    ),
    "commitments:rules": Rule(
        "scoped", actor="organizer_a", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "commitments:inspections": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: "甲县抽查", marker_b=lambda w: "外县抽查"
    ),
    "commitments:inspection_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "title": "再抽", "mode": "count", "amount": 5, "drawn_on": f"{YEAR}-02-01"},
        body_b=lambda w: {
            "county": OTHER_COUNTY,
            "title": "越权抽查",
            "mode": "count",
            "amount": 1,
            "drawn_on": f"{YEAR}-02-01",
        },
        b_unchanged=lambda w: not Inspection.objects.filter(title="越权抽查").exists(),
    ),
    "commitments:inspection": Rule("scoped", actor="organizer_a", a=_pk("inspection_a"), b=_pk("inspection_b")),
    "commitments:finding_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("inspected_a"),
        b=_pk("inspected_other"),
        body_a=lambda w: {"description": "公开栏内容过时", "found_on": f"{YEAR}-01-03", "rectify_by": f"{YEAR}-01-30"},
        body_b=lambda w: {"description": "越权问题", "found_on": f"{YEAR}-01-03", "rectify_by": f"{YEAR}-01-30"},
        b_unchanged=lambda w: not Finding.objects.filter(description="越权问题").exists(),
    ),
    "commitments:rectify": Rule(
        "scoped",
        method="POST",
        a=_pk("finding_a"),
        b=_pk("finding_b"),
        body_a=lambda w: {"rectified_on": f"{YEAR}-01-10", "evidence": "已更新公开栏", "version": 1},
        body_b=lambda w: {"rectified_on": f"{YEAR}-01-10", "evidence": "已更新公开栏", "version": 1},
        b_unchanged=_finding_b_open,
    ),
    "commitments:photo": Rule("scoped", a=_pk("update_a"), b=_pk("update_b")),
    "commitments:detail": Rule("scoped", a=_pk("open_a"), b=_pk("open_b")),
    "commitments:edit": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a"),
        b=_pk("open_b"),
        body_a=_edit_body("open_a"),
        body_b=_edit_body("open_b"),
        b_unchanged=_b("open_b", title="b村修路事项"),
    ),
    "commitments:link_visits": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a"),
        b=_pk("open_b"),
        body_a=lambda w: {"visit": []},
        body_b=lambda w: {"visit": []},
        b_unchanged=_b("open_b", title="b村修路事项"),
    ),
    "commitments:move": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a"),
        b=_pk("open_b"),
        body_a=lambda w: {"to_status": "dropped", "reason": "群众另有更急需的事", "version": _version("open_a")(w)},
        body_b=lambda w: {"to_status": "dropped", "reason": "群众另有更急需的事", "version": _version("open_b")(w)},
        b_unchanged=_b("open_b", status=Status.IN_PROGRESS),
    ),
    "commitments:progress": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a"),
        b=_pk("open_b"),
        body_a=lambda w: {"written_on": f"{YEAR}-02-01", "note": "完成一半"},
        body_b=lambda w: {"written_on": f"{YEAR}-02-01", "note": "完成一半"},
        b_unchanged=lambda w: ProgressUpdate.objects.filter(commitment=w.extra["open_b"]).count() == 1,
    ),
    "commitments:showcase": Rule(
        "scoped",
        method="POST",
        a=_pk("done_a"),
        b=_pk("done_b"),
        body_a=lambda w: {"writeup": "改写的案例", "version": _version("done_a")(w)},
        body_b=lambda w: {"writeup": "改写的案例", "version": _version("done_b")(w)},
        b_unchanged=_b("done_b", showcase_writeup="b村坑塘治理经验"),
    ),
    "commitments:three_level": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "commitments:three_level_export": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}, as_text=xlsx_text
    ),
    "commitments:three_level_pdf": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}, as_text=lambda c: pdf_text(c)[0]
    ),
    "commitments:town_visits": Rule(
        "scoped", marker_a=lambda w: "a镇督导发现台账未更新", marker_b=lambda w: "b镇督导发现台账未更新"
    ),
    "commitments:town_visit_new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {"town": TOWN_A, "visited_on": f"{YEAR}-02-01", "villages": VILLAGE_A, "findings": "进度偏慢"},
        body_b=lambda w: {"town": TOWN_B, "visited_on": f"{YEAR}-02-01", "villages": VILLAGE_B, "findings": "越权督导"},
        refused_status=200,
        b_unchanged=lambda w: not TownVisit.objects.filter(findings="越权督导").exists(),
    ),
    "commitments:town_visit": Rule("scoped", a=_pk("visit_a"), b=_pk("visit_b")),
    "commitments:town_visit_follow_up": Rule(
        "scoped",
        method="POST",
        a=_pk("visit_a"),
        b=_pk("visit_b"),
        body_a=lambda w: {"follow_up": "已督促更新", "followed_up_on": f"{YEAR}-02-01", "version": 1},
        body_b=lambda w: {"follow_up": "越权跟进", "followed_up_on": f"{YEAR}-02-01", "version": 1},
        b_unchanged=lambda w: TownVisit.objects.get(pk=w.extra["visit_b"].pk).follow_up == "",
    ),
    "commitments:self_check": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a"),
        b=_pk("open_b"),
        body_a=lambda w: {"checked_on": f"{YEAR}-02-01", "progress": "完成一半"},
        body_b=lambda w: {"checked_on": f"{YEAR}-02-01", "progress": "完成一半"},
        b_unchanged=lambda w: SelfCheck.objects.filter(commitment=w.extra["open_b"]).count() == 1,
    ),
    "commitments:case_send": Rule(
        "scoped",
        method="POST",
        a=_pk("done_a"),
        b=_pk("done_b"),
        body_a=lambda w: {"level": "province", "outlet": "省委组织部", "sent_on": f"{YEAR}-02-01", "sender": "李明"},
        body_b=lambda w: {"level": "province", "outlet": "省委组织部", "sent_on": f"{YEAR}-02-01", "sender": "李明"},
        b_unchanged=lambda w: CaseSending.objects.filter(commitment=w.extra["done_b"]).count() == 1,
    ),
    "commitments_public:village": Rule("public", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "commitments_public:poster": Rule("public", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
}

API_RULES = {
    "GET /api/v1/commitments": Rule(
        "scoped",
        query_a="?limit=1000",
        query_b=f"?under={TOWN_B}",
        marker_a=_title("open_a"),
        marker_b=_title("open_b"),
    ),
    "POST /api/v1/commitments": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**_form(VILLAGE_A, "甲村路灯")(w), "region": VILLAGE_A},
        body_b=lambda w: {**_form(VILLAGE_B, "越权事项")(w), "region": VILLAGE_B},
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/commitments/rollup/{code}": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "GET /api/v1/commitments/public/{code}": Rule(
        "public", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "GET /api/v1/commitments/{commitment_id}": Rule(
        "scoped", a=_pk("open_a", "commitment_id"), b=_pk("open_b", "commitment_id")
    ),
    "PATCH /api/v1/commitments/{commitment_id}": Rule(
        "scoped",
        method="PATCH",
        a=_pk("open_a", "commitment_id"),
        b=_pk("open_b", "commitment_id"),
        body_a=lambda w: {"version": _version("open_a")(w), "title": "改过的名称"},
        body_b=lambda w: {"version": _version("open_b")(w), "title": "改过的名称"},
        b_unchanged=_b("open_b", title="b村修路事项"),
    ),
    "POST /api/v1/commitments/{commitment_id}/status": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a", "commitment_id"),
        b=_pk("open_b", "commitment_id"),
        body_a=lambda w: {"to_status": "dropped", "reason": "另有急事", "version": _version("open_a")(w)},
        body_b=lambda w: {"to_status": "dropped", "reason": "另有急事", "version": _version("open_b")(w)},
        b_unchanged=_b("open_b", status=Status.IN_PROGRESS),
    ),
    "POST /api/v1/commitments/{commitment_id}/progress": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a", "commitment_id"),
        b=_pk("open_b", "commitment_id"),
        body_a=lambda w: {"written_on": f"{YEAR}-02-01", "note": "完成一半"},
        body_b=lambda w: {"written_on": f"{YEAR}-02-01", "note": "完成一半"},
        b_unchanged=lambda w: ProgressUpdate.objects.filter(commitment=w.extra["open_b"]).count() == 1,
    ),
    # issue 14, item 22: what the pages offer, under the same rules as the pages above
    "POST /api/v1/commitments/import": Rule(
        "scoped",
        method="POST",
        body_a=_upload(VILLAGE_A, "甲村新事项"),
        body_b=_upload(VILLAGE_B, "越权事项"),
        refused_status=400,
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/commitments/rules/{code}": Rule(
        "scoped", actor="organizer_a", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}
    ),
    "PUT /api/v1/commitments/rules/{code}": Rule(
        "scoped",
        actor="organizer_a",
        method="PUT",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=lambda w: _rules_body(COUNTY),
        body_b=lambda w: _rules_body(OTHER_COUNTY),
        b_unchanged=lambda w: not CountyRules.objects.filter(county_id=OTHER_COUNTY, max_per_village=6).exists(),
    ),
    "PUT /api/v1/commitments/{commitment_id}/visits": Rule(
        "scoped",
        method="PUT",
        a=_pk("open_a", "commitment_id"),
        b=_pk("open_b", "commitment_id"),
        body_a=lambda w: {"visit_ids": []},
        body_b=lambda w: {"visit_ids": []},
        b_unchanged=_b("open_b", title="b村修路事项"),
    ),
    "GET /api/v1/commitments/export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=_title("open_a"),
        marker_b=_title("open_b"),
        as_text=xlsx_text,
    ),
    "GET /api/v1/commitments/cases": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=lambda w: "a村坑塘治理经验", marker_b=lambda w: "b村坑塘治理经验"
    ),
    "GET /api/v1/commitments/cases/export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: "a村坑塘治理经验",
        marker_b=lambda w: "b村坑塘治理经验",
        as_text=xlsx_text,
    ),
    "POST /api/v1/commitments/{commitment_id}/showcase": Rule(
        "scoped",
        method="POST",
        a=_pk("done_a", "commitment_id"),
        b=_pk("done_b", "commitment_id"),
        body_a=lambda w: {"writeup": "改写的案例", "version": _version("done_a")(w)},
        body_b=lambda w: {"writeup": "改写的案例", "version": _version("done_b")(w)},
        b_unchanged=_b("done_b", showcase_writeup="b村坑塘治理经验"),
    ),
    "POST /api/v1/commitments/{commitment_id}/progress/photo": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a", "commitment_id"),
        b=_pk("open_b", "commitment_id"),
        body_a=lambda w: {"written_on": f"{YEAR}-02-01", "note": "附照片", "photo": _photo()},
        body_b=lambda w: {"written_on": f"{YEAR}-02-01", "note": "附照片", "photo": _photo()},
        b_unchanged=lambda w: ProgressUpdate.objects.filter(commitment=w.extra["open_b"]).count() == 1,
    ),
    "GET /api/v1/commitments/progress/{update_id}/photo": Rule(
        "scoped", a=_pk("update_a", "update_id"), b=_pk("update_b", "update_id"), as_text=lambda c: ""
    ),
    "GET /api/v1/commitments/letters/{code}/{year}": Rule(
        "scoped",
        a=lambda w: {"code": VILLAGE_A, "year": YEAR},
        b=lambda w: {"code": VILLAGE_B, "year": YEAR},
        as_text=lambda c: "",
    ),
    "POST /api/v1/commitments/letters/{code}/{year}/sign": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A, "year": YEAR},
        b=lambda w: {"code": VILLAGE_B, "year": YEAR},
        body_a=lambda w: {
            "signed_on": f"{YEAR}-01-15",
            "village_signatory_post": "书记",
            "town_signatory_post": "书记",
        },
        body_b=lambda w: {
            "signed_on": f"{YEAR}-01-15",
            "village_signatory_post": "书记",
            "town_signatory_post": "书记",
        },
        b_unchanged=lambda w: not TargetLetter.objects.filter(region_id=VILLAGE_B).exists(),
    ),
    "GET /api/v1/commitments/inspections": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: "甲县抽查", marker_b=lambda w: "外县抽查"
    ),
    "POST /api/v1/commitments/inspections": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "title": "再抽", "mode": "count", "amount": 5, "drawn_on": f"{YEAR}-02-01"},
        body_b=lambda w: {
            "county": OTHER_COUNTY,
            "title": "越权抽查",
            "mode": "count",
            "amount": 1,
            "drawn_on": f"{YEAR}-02-01",
        },
        b_unchanged=lambda w: not Inspection.objects.filter(title="越权抽查").exists(),
    ),
    "GET /api/v1/commitments/inspections/{inspection_id}": Rule(
        "scoped", actor="organizer_a", a=_pk("inspection_a", "inspection_id"), b=_pk("inspection_b", "inspection_id")
    ),
    "POST /api/v1/commitments/inspections/villages/{inspected_id}/findings": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("inspected_a", "inspected_id"),
        b=_pk("inspected_other", "inspected_id"),
        body_a=lambda w: {"description": "公开栏内容过时", "found_on": f"{YEAR}-01-03", "rectify_by": f"{YEAR}-01-30"},
        body_b=lambda w: {"description": "越权问题", "found_on": f"{YEAR}-01-03", "rectify_by": f"{YEAR}-01-30"},
        b_unchanged=lambda w: not Finding.objects.filter(description="越权问题").exists(),
    ),
    "POST /api/v1/commitments/findings/{finding_id}/rectify": Rule(
        "scoped",
        method="POST",
        a=_pk("finding_a", "finding_id"),
        b=_pk("finding_b", "finding_id"),
        body_a=lambda w: {"rectified_on": f"{YEAR}-01-10", "evidence": "已更新公开栏", "version": 1},
        body_b=lambda w: {"rectified_on": f"{YEAR}-01-10", "evidence": "已更新公开栏", "version": 1},
        b_unchanged=_finding_b_open,
    ),
    "GET /api/v1/commitments/threelevel/{code}": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/commitments/threelevel/{code}/print.pdf": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}, as_text=lambda c: pdf_text(c)[0]
    ),
    "GET /api/v1/commitments/threelevel/{code}/export": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}, as_text=xlsx_text
    ),
    "GET /api/v1/commitments/townvisits": Rule(
        "scoped", marker_a=lambda w: "a镇督导发现台账未更新", marker_b=lambda w: "b镇督导发现台账未更新"
    ),
    "POST /api/v1/commitments/townvisits": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {
            "town": TOWN_A,
            "visited_on": f"{YEAR}-02-01",
            "villages": [VILLAGE_A],
            "findings": "进度偏慢",
        },
        body_b=lambda w: {
            "town": TOWN_B,
            "visited_on": f"{YEAR}-02-01",
            "villages": [VILLAGE_B],
            "findings": "越权督导",
        },
        b_unchanged=lambda w: not TownVisit.objects.filter(findings="越权督导").exists(),
    ),
    "GET /api/v1/commitments/townvisits/{visit_id}": Rule(
        "scoped", a=_pk("visit_a", "visit_id"), b=_pk("visit_b", "visit_id")
    ),
    "POST /api/v1/commitments/townvisits/{visit_id}/follow-up": Rule(
        "scoped",
        method="POST",
        a=_pk("visit_a", "visit_id"),
        b=_pk("visit_b", "visit_id"),
        body_a=lambda w: {"follow_up": "已督促更新", "followed_up_on": f"{YEAR}-02-01", "version": 1},
        body_b=lambda w: {"follow_up": "越权跟进", "followed_up_on": f"{YEAR}-02-01", "version": 1},
        b_unchanged=lambda w: TownVisit.objects.get(pk=w.extra["visit_b"].pk).follow_up == "",
    ),
    "GET /api/v1/commitments/{commitment_id}/selfchecks": Rule(
        "scoped", a=_pk("open_a", "commitment_id"), b=_pk("open_b", "commitment_id")
    ),
    "POST /api/v1/commitments/{commitment_id}/selfchecks": Rule(
        "scoped",
        method="POST",
        a=_pk("open_a", "commitment_id"),
        b=_pk("open_b", "commitment_id"),
        body_a=lambda w: {"checked_on": f"{YEAR}-02-01", "progress": "完成一半"},
        body_b=lambda w: {"checked_on": f"{YEAR}-02-01", "progress": "完成一半"},
        b_unchanged=lambda w: SelfCheck.objects.filter(commitment=w.extra["open_b"]).count() == 1,
    ),
    "GET /api/v1/commitments/{commitment_id}/sendings": Rule(
        "scoped", a=_pk("done_a", "commitment_id"), b=_pk("done_b", "commitment_id")
    ),
    "POST /api/v1/commitments/{commitment_id}/sendings": Rule(
        "scoped",
        method="POST",
        a=_pk("done_a", "commitment_id"),
        b=_pk("done_b", "commitment_id"),
        body_a=lambda w: {"level": "province", "outlet": "省委组织部", "sent_on": f"{YEAR}-02-01", "sender": "李明"},
        body_b=lambda w: {"level": "province", "outlet": "省委组织部", "sent_on": f"{YEAR}-02-01", "sender": "李明"},
        b_unchanged=lambda w: CaseSending.objects.filter(commitment=w.extra["done_b"]).count() == 1,
    ),
}


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("site.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", content_type="image/jpeg")
