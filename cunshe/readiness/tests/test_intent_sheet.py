"""The 换届意愿排摸表 round trip: export every current cadre, fill the sheet in, import it back."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.readiness.models import Intent
from cunshe.readiness.services import intent_record
from cunshe.records.models import RecordEntry
from cunshe.spreadsheets.tests.libreoffice import resaved_by_libreoffice
from cunshe.teams.services import member_appoint

VILLAGE_A2 = "371681001214"


def _cadre(make_person: Any, village: str, name: str, post: str = "committee_member") -> Any:
    return member_appoint(
        actor=SYSTEM,
        village_code=village,
        person=make_person(village, name=name),
        committee="villagers",
        post=post,
        started_on=date(2021, 6, 1),
    )


def _sheet(content: bytes) -> Any:
    return load_workbook(BytesIO(content)).active


def _fill(sheet: Any, member: Any, **values: Any) -> None:
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("成员编号")].value == member.pk:
            for title, value in values.items():
                row[header.index(title)].value = value
            return
    raise AssertionError(f"{member} is not in the sheet")


def _upload(client: Any, sheet: Any) -> str:
    buffer = BytesIO()
    sheet.parent.save(buffer)
    answer = client.post("/readiness/intents/import/", {"file": SimpleUploadedFile("排摸表.xlsx", buffer.getvalue())})
    return answer.content.decode()


def test_the_intent_sheet_goes_out_with_every_cadre_and_comes_back_filled_in(
    term_change: Any, officer: Any, make_person: Any, web_as: Any
) -> None:
    stays = _cadre(make_person, VILLAGE_A, "留任甲", post="director")
    runs = _cadre(make_person, VILLAGE_A, "竞选乙")
    later = _cadre(make_person, VILLAGE_A2, "未排丙")
    _cadre(make_person, VILLAGE_B, "乙镇丁")  # in town B: not on town A's sheet
    intent_record(actor=officer, member=stays, intention="stay", surveyed_on=date(2026, 10, 1))
    client = web_as(officer)

    sheet = _sheet(client.get(f"/readiness/intents/export/?under={TOWN_A}").content)
    names = [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {"留任甲", "竞选乙", "未排丙"} <= set(names) and "乙镇丁" not in names
    header = [c.value for c in sheet[1]]
    recorded = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[3] == "留任甲")
    assert recorded[header.index("换届意愿")] == "愿意继续留任" and recorded[header.index("版本")] == 1

    _fill(sheet, runs, 换届意愿="愿意竞选其他职务", 意向职务="主任", 说明="有意接任", 排摸日期="2026-10-12")
    page = _upload(client, sheet)
    assert "新增 1 人，未变 1 人，未填写 1 人" in page
    intent = Intent.objects.get(member=runs)
    assert (intent.intention, intent.desired_post, intent.note) == ("run_for", "director", "有意接任")
    assert RecordEntry.objects.filter(event="readiness.intent_recorded").count() == 2
    assert Intent.objects.filter(member=later).count() == 0  # left blank: not surveyed yet

    # The same file again changes nothing.
    assert "新增 0 人，未变 2 人，未填写 1 人" in _upload(client, sheet)
    assert RecordEntry.objects.filter(event="readiness.intent_recorded").count() == 2

    # A change made in the system after the export is not overwritten by the sheet; nothing of the file is saved.
    intent_record(actor=officer, member=stays, intention="leave", surveyed_on=date(2026, 10, 20), expected_version=1)
    _fill(sheet, stays, 换届意愿="尚未确定")
    _fill(sheet, later, 换届意愿="不再参选", 排摸日期="2026-10-21")
    page = _upload(client, sheet)
    assert "未保存" in page and "已在系统中修改（现为第 2 版），请重新导出后再填" in page
    assert Intent.objects.get(member=stays).intention == "leave" and not Intent.objects.filter(member=later).exists()


def test_a_wrong_row_is_named_and_nothing_is_saved(
    term_change: Any, officer: Any, make_person: Any, web_as: Any
) -> None:
    first = _cadre(make_person, VILLAGE_A, "甲")
    second = _cadre(make_person, VILLAGE_A, "乙")
    third = _cadre(make_person, VILLAGE_A2, "丙")
    other_town = _cadre(make_person, VILLAGE_B, "丁")
    client = web_as(officer)
    sheet = _sheet(client.get(f"/readiness/intents/export/?under={TOWN_A}").content)
    _fill(sheet, first, 换届意愿="愿意继续留任", 排摸日期="2026-10-12")
    _fill(sheet, second, 换届意愿="愿意竞选其他职务", 排摸日期="2026-10-12")  # no post named
    _fill(sheet, third, 换届意愿="不再参选", 排摸日期=(timezone.localdate() + timedelta(days=1)).isoformat())
    sheet.append([other_town.pk] + [None] * 6 + ["不再参选", None, None, "2026-10-12"])  # another town's cadre
    sheet.append([first.pk] + [None] * 6 + ["不再参选", None, None, "2026-10-12"])  # twice in one file
    page = _upload(client, sheet)
    assert "未保存" in page and "共 4 行有误" in page
    assert "意向职务：选择“愿意竞选其他职务”时必填" in page and "排摸日期：不能晚于今天" in page
    assert "成员编号：未找到该班子成员，或不在您负责的区域内" in page and "行是同一成员" in page
    assert not Intent.objects.exists()


def test_the_sheet_through_the_api_and_who_may_import(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, api_as: Any, web_as: Any
) -> None:
    cadre = _cadre(make_person, VILLAGE_A, "甲")
    api = api_as(officer)
    answer = api.get(f"/api/v1/readiness/intents.xlsx?under={TOWN_A}")
    sheet = _sheet(answer.content)
    _fill(sheet, cadre, 换届意愿="不再参选", 排摸日期="2026-10-12")
    buffer = BytesIO()
    sheet.parent.save(buffer)
    upload = {"file": SimpleUploadedFile("排摸表.xlsx", buffer.getvalue())}
    answer = api.post("/api/v1/readiness/intents/import", upload).json()
    assert {k: answer[k] for k in ("created", "updated", "unchanged", "bad_rows")} == {
        "created": 1, "updated": 0, "unchanged": 0, "bad_rows": []
    }  # fmt: skip
    assert answer["summary"].startswith("新增 1 人")
    # Village cadres are surveyed; they do not survey (no readiness access): the import page, which shows no record,
    # refuses them (403) and their village's sheet is not there (404).
    village_cadre = make_user("village_cadre", VILLAGE_A)
    assert web_as(village_cadre).get("/readiness/intents/import/").status_code == 403
    assert api_as(village_cadre).get(f"/api/v1/readiness/intents.xlsx?under={VILLAGE_A}").status_code == 404


def test_a_sheet_filled_in_and_saved_by_libreoffice_imports(
    term_change: Any, officer: Any, make_person: Any, web_as: Any
) -> None:
    recorded = _cadre(make_person, VILLAGE_A, "已排甲", post="director")
    fresh = _cadre(make_person, VILLAGE_A, "新排乙")
    intent_record(actor=officer, member=recorded, intention="stay", surveyed_on=date(2026, 10, 1))
    client = web_as(officer)
    sheet = _sheet(client.get(f"/readiness/intents/export/?under={TOWN_A}").content)
    _fill(sheet, fresh, 换届意愿="不再参选", 排摸日期="2026-10-12")
    buffer = BytesIO()
    sheet.parent.save(buffer)
    resaved = resaved_by_libreoffice(buffer.getvalue())  # member numbers and versions come back as numbers
    page = client.post("/readiness/intents/import/", {"file": SimpleUploadedFile("排摸表.xlsx", resaved)})
    assert "新增 1 人，未变 1 人。" in page.content.decode()
    assert Intent.objects.get(member=fresh).intention == "leave"


def test_the_readiness_table_downloads_through_the_api_like_the_page(
    term_change: Any, officer: Any, make_user: Any, api_as: Any, web_as: Any
) -> None:
    api = api_as(officer)
    answer = api.get(f"/api/v1/readiness/table.xlsx?under={TOWN_A}")
    assert answer.status_code == 200
    assert answer.content and _sheet(answer.content).title == "选情汇总"
    page = web_as(officer).get(f"/readiness/export/?under={TOWN_A}")
    rows = [[c.value for c in r] for r in _sheet(answer.content).iter_rows()]
    assert rows == [[c.value for c in r] for r in _sheet(page.content).iter_rows()]
    assert any(r[0] == VILLAGE_A for r in rows) and not any(r[0] == VILLAGE_B for r in rows)
    # Another town's table is not there for this officer (404), nor is any table for a village cadre.
    assert api.get(f"/api/v1/readiness/table.xlsx?under={TOWN_B}").status_code == 404
    assert api_as(make_user("village_cadre", VILLAGE_A)).get("/api/v1/readiness/table.xlsx").status_code == 404
