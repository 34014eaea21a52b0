from datetime import date
from io import BytesIO
from typing import Any

import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.people import id_numbers
from cunshe.people.exports import PEOPLE_COLUMNS, people_import
from cunshe.people.models import Person
from cunshe.records.models import RecordEntry
from cunshe.spreadsheets.layout import write_workbook

HEADERS = [c.header for c in PEOPLE_COLUMNS if not c.export_only]


def roster(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("人员花名册", PEOPLE_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def row(name: str, number: str, village: str = VILLAGE_A, **extra: Any) -> dict[str, Any]:
    return {"name": name, "id_number": number, "ethnicity": "汉族", "region": village, **extra}


def sheet_of(content: bytes) -> list[list[Any]]:
    return python_calamine.CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()


def test_export_then_import_changes_nothing(make_user: Any, make_person: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    for n in range(3):
        make_person(
            VILLAGE_A,
            name=f"花名册{n}",
            birth_date=date(1970, 1, 1 + n),
            is_party_member=n == 1,
            party_joined_on=date(2001, 7, 1) if n == 1 else None,
            education="bachelor",
        )
    exported = web_as(officer).get(f"/people/export/?under={VILLAGE_A}").content
    table = sheet_of(exported)
    assert table[0][: len(HEADERS)] == HEADERS
    numbers = {r[1] for r in table[1:]}
    assert all(len(n) == 18 for n in numbers)  # whole numbers kept as text, not 3.7E+17
    entries = RecordEntry.objects.count()
    report = people_import(actor=officer, stream=BytesIO(exported))
    assert (report.created, report.updated, report.unchanged, report.bad_rows) == (0, 0, 3, [])
    assert RecordEntry.objects.count() == entries


def test_bad_rows_are_named_by_line_and_nothing_is_saved(make_user: Any, make_person: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    good = id_numbers.make("371681", date(1980, 5, 5), 101)
    outside = id_numbers.make("371681", date(1980, 5, 5), 103)
    stream = roster(
        [
            row("好人", good),
            row("错号", "371681198005050000"),
            row("重复", good),
            row("外镇", outside, VILLAGE_B),
            row(
                "日期错", id_numbers.make("371681", date(1980, 5, 5), 105), party_joined_on="去年", is_party_member=True
            ),
        ]
    )
    report = people_import(actor=officer, stream=stream)
    assert not report.saved
    assert [(r.line, r.errors) for r in report.bad_rows] == [
        (3, ["身份证号码：身份证号码校验位错误，请核对是否输错。"]),
        (4, ["身份证号码与第 2 行重复"]),
        (5, [f"村(社区)代码 {VILLAGE_B} 不在您负责的区域内"]),
        (6, ["入党时间：“去年”不是日期，应写成 2024-01-31"]),
    ]
    assert not Person.objects.filter(id_number=good).exists()
    stream.seek(0)
    partial = people_import(actor=officer, stream=stream, import_good_rows=True)
    assert partial.saved and partial.created == 1 and len(partial.bad_rows) == 4
    assert Person.objects.get(id_number=good).name == "好人"


def test_import_updates_what_changed(make_user: Any, make_person: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    person = make_person(VILLAGE_A, name="老王", phone="13900000001")
    report = people_import(actor=officer, stream=roster([row("老王", person.id_number, phone="13900000002")]))
    assert (report.created, report.updated) == (0, 1)
    person.refresh_from_db()
    assert person.phone == "13900000002" and person.version == 2


def test_missing_columns_and_non_spreadsheets_are_refused(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    text = client.post("/people/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a spreadsheet")}).content.decode()
    assert "无法读取该文件" in text
    buffer = BytesIO()
    write_workbook("x", PEOPLE_COLUMNS[:2], [], buffer)
    text = client.post("/people/import/", {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue())}).content.decode()
    assert "表头缺少列" in text and "村(社区)代码" in text


def test_the_import_page_reports_each_bad_row(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    upload = SimpleUploadedFile("roster.xlsx", roster([row("错号", "371681198005050000")]).getvalue())
    page = web_as(officer).post("/people/import/", {"file": upload}).content.decode()
    assert "未保存" in page and "第 2 行" in page and "校验位错误" in page


def test_export_masks_id_numbers_for_roles_that_do_not_see_them(make_user: Any, make_person: Any, web_as: Any) -> None:
    person = make_person(VILLAGE_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    table = sheet_of(web_as(cadre).get("/people/export/").content)
    assert [r[1] for r in table[1:]] == [person.id_number_masked]
    assert web_as(cadre).get("/people/import/").status_code == 200
    assert web_as(make_user("first_secretary", VILLAGE_A)).get("/people/import/").status_code == 403


def test_the_api_downloads_the_roster_and_imports_it_with_the_pages_rules(
    make_user: Any, make_person: Any, api_as: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    make_person(VILLAGE_A, name="接口甲")
    api = api_as(officer)
    downloaded = api.get(f"/api/v1/people/export.xlsx?under={VILLAGE_A}")
    assert downloaded.status_code == 200 and "接口甲" in str(sheet_of(downloaded.content))

    fresh = id_numbers.make("371681", date(1985, 3, 3), 105)
    outside = id_numbers.make("371681", date(1985, 3, 3), 107)
    upload = roster([row("接口乙", fresh), row("越界丙", outside, VILLAGE_B)]).getvalue()
    refused = api.post("/api/v1/people/import", {"file": SimpleUploadedFile("r.xlsx", upload)})
    assert refused.status_code == 400 and "第 3 行" in str(refused.json())
    assert not Person.objects.filter(id_number__in=[fresh, outside]).exists()

    good_only = api.post(
        "/api/v1/people/import", {"file": SimpleUploadedFile("r.xlsx", upload), "import_good_rows": "true"}
    ).json()
    assert (good_only["created"], [r["line"] for r in good_only["bad_rows"]]) == (1, [3])
    assert Person.objects.filter(id_number=fresh, region_id=VILLAGE_A).exists()

    # A discipline supervisor reads the roster but registers nobody: the 403 of the page, nothing saved.
    supervisor = api_as(make_user("discipline_supervisor", TOWN_A[:6]))
    third = id_numbers.make("371681", date(1985, 3, 3), 109)
    upload = roster([row("监督丁", third)]).getvalue()
    assert supervisor.post("/api/v1/people/import", {"file": SimpleUploadedFile("r.xlsx", upload)}).status_code == 403
    assert not Person.objects.filter(id_number=third).exists()
