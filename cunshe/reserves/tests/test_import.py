"""The reserve list (后备干部名册) in Excel: import for the villages under the user, export in the same layout."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.records.models import RecordEntry
from cunshe.reserves.exports import RESERVE_COLUMNS, reserves_export, reserves_import
from cunshe.reserves.models import ReserveCadre
from cunshe.reserves.selectors import reserve_list
from cunshe.reserves.services import reserve_add
from cunshe.spreadsheets.layout import read_rows, write_workbook
from cunshe.termchanges.services import term_change_open

VILLAGE_A2 = "371681001214"  # another village of town A
ADDED = date(2026, 10, 1)


@pytest.fixture
def officer(zouping: Any, make_user: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    return make_user("town_officer", TOWN_A)


def row(person: Any, village: str = "", **more: Any) -> dict[str, Any]:
    values = {
        "region": village or person.region_id,
        "name": person.name,
        "id_number": person.id_number,
        "source": "returning_graduate",
        "added_on": ADDED,
        "note": "本科，返乡创业",
    }
    values.update(more)
    return values


def xlsx(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("后备干部名册", RESERVE_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def imported(actor: Any, rows: list[dict[str, Any]]) -> Any:
    return reserves_import(actor=actor, stream=xlsx(rows))


def errors_by_line(report: Any) -> dict[int, list[str]]:
    return {r.line: r.errors for r in report.bad_rows}


def test_an_import_adds_reserves_with_one_record_entry_per_village(officer: Any, make_person: Any) -> None:
    a1, a2, other = make_person(VILLAGE_A), make_person(VILLAGE_A), make_person(VILLAGE_A2)
    report = imported(officer, [row(a1), row(a2, source="退役军人", note=""), row(other)])
    assert (report.saved, report.created, report.unchanged, report.bad_rows) == (True, 3, 0, [])
    saved = {r.person_id: (r.region_id, r.source, r.added_on, r.note, r.stage) for r in ReserveCadre.objects.all()}
    assert saved == {
        a1.pk: (VILLAGE_A, "returning_graduate", ADDED, "本科，返乡创业", "pooled"),
        a2.pk: (VILLAGE_A, "veteran", ADDED, "", "pooled"),
        other.pk: (VILLAGE_A2, "returning_graduate", ADDED, "本科，返乡创业", "pooled"),
    }
    entries = RecordEntry.objects.filter(event="reserves.imported").order_by("region_id")
    assert [(e.region_id, e.actor_id) for e in entries] == [(VILLAGE_A, officer.pk), (VILLAGE_A2, officer.pk)]
    assert entries[0].after is not None and len(entries[0].after["新增"]) == 2
    assert a1.name in entries[0].summary + str(entries[0].after) and "2 人" in entries[0].summary


def test_importing_the_same_file_twice_changes_nothing(officer: Any, make_person: Any) -> None:
    people = [make_person(VILLAGE_A) for _ in range(3)]
    already = reserve_add(actor=officer, village_code=VILLAGE_A, person=people[0], source="veteran", added_on=ADDED)
    rows = [row(p) for p in people]
    first = imported(officer, rows)
    assert (first.created, first.unchanged) == (2, 1)  # the one already a reserve is skipped
    entries = RecordEntry.objects.count()
    second = imported(officer, rows)
    assert (second.saved, second.created, second.unchanged) == (True, 0, 3)
    assert RecordEntry.objects.count() == entries and ReserveCadre.objects.count() == 3
    already.refresh_from_db()
    assert already.source == "veteran" and already.note == ""  # skipped, not overwritten


def test_every_bad_row_is_named_by_line_and_column_and_nothing_is_saved(officer: Any, make_person: Any) -> None:
    good, elsewhere, misnamed = make_person(VILLAGE_A), make_person(VILLAGE_A2), make_person(VILLAGE_A, name="王五")
    reserved_elsewhere = make_person(VILLAGE_A2)
    reserve_add(actor=SYSTEM, village_code=VILLAGE_A2, person=reserved_elsewhere, source="other", added_on=ADDED)
    reserved_elsewhere.region_id = VILLAGE_A  # moved since: still the term's reserve of the old village
    reserved_elsewhere.save(update_fields=["region"])
    report = imported(
        officer,
        [
            row(good),  # line 2: fine
            row(good, source="大学生村官"),  # 3: same person again, and an unknown source
            row(elsewhere, village=VILLAGE_A),  # 4: registered in another village
            row(misnamed, name="王六"),  # 5
            row(make_person(VILLAGE_A), added_on=date(2099, 1, 1)),  # 6
            row(make_person(VILLAGE_A), added_on="2026-13-01"),  # 7
            row(make_person(VILLAGE_A), region=TOWN_A),  # 8: a town, not a village
            row(make_person(VILLAGE_A), note="长" * 201),  # 9
            {"region": VILLAGE_A, "id_number": "", "source": "", "added_on": ""},  # 10
            row(reserved_elsewhere),  # 11
        ],
    )
    assert not report.saved and report.created == 0
    assert not ReserveCadre.objects.filter(region_id=VILLAGE_A).exists()
    lines = errors_by_line(report)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert any(e.startswith("来源：“大学生村官”不在可选值中") for e in lines[3])
    assert "身份证号码：与第 2 行是同一人" in lines[3]
    assert lines[4] == [f"身份证号码：西范村委会的人员中没有 {elsewhere.id_number}，请先登记该人员"]
    assert lines[5] == ["姓名：与人员信息中该身份证号码的姓名“王五”不一致"]
    assert lines[6] == ["入库日期：不能晚于今天"]
    assert lines[7][0].startswith("入库日期：“2026-13-01”不是日期")
    assert lines[8] == [f"村(社区)代码：{TOWN_A} 不是本系统中的村(社区)"]
    assert lines[9] == ["简要情况：不超过 200 字"]
    assert set(lines[10]) == {"身份证号码：必填", "来源：必填", "入库日期：必填"}
    assert lines[11] == [f"身份证号码：{reserved_elsewhere.name} 已是另一村(社区)的本届后备干部"]
    assert not RecordEntry.objects.filter(event="reserves.imported").exists()


def test_a_town_officer_cannot_import_into_another_towns_village(
    officer: Any, make_person: Any, make_user: Any
) -> None:
    mine, theirs = make_person(VILLAGE_A), make_person(VILLAGE_B)
    report = imported(officer, [row(mine), row(theirs)])
    assert not report.saved
    assert errors_by_line(report) == {3: [f"村(社区)代码：{VILLAGE_B} 不在您负责的区域内，不能导入"]}
    assert not ReserveCadre.objects.exists()
    # A village cadre holds no reserves capability: every row is refused.
    cadre_report = imported(make_user("village_cadre", VILLAGE_A), [row(mine)])
    assert not cadre_report.saved and not ReserveCadre.objects.exists()
    # The county's organizer may import into both towns.
    assert imported(make_user("county_organizer", COUNTY), [row(mine), row(theirs)]).created == 2


def test_an_import_before_the_term_change_opens_is_refused(zouping: Any, make_user: Any, make_person: Any) -> None:
    report = imported(make_user("town_officer", TOWN_A), [row(make_person(VILLAGE_A))])
    assert errors_by_line(report) == {2: ["村(社区)代码：本县尚未启动换届"]}


def test_a_file_that_is_not_the_layout_is_refused_with_the_missing_columns(officer: Any) -> None:
    buffer = BytesIO()
    write_workbook("x", RESERVE_COLUMNS[:3], [], buffer)
    buffer.seek(0)
    with pytest.raises(DomainError) as caught:
        reserves_import(actor=officer, stream=buffer)
    assert "身份证号码" in caught.value.message and "来源" in caught.value.message


def test_the_export_is_the_import_layout_and_the_round_trip_is_lossless(
    officer: Any, make_person: Any, make_user: Any
) -> None:
    people = [make_person(VILLAGE_A), make_person(VILLAGE_A2), make_person(VILLAGE_A)]
    rows = [
        row(people[0]),
        row(people[1], source="notable", note="乡贤，经营合作社", added_on=date(2026, 9, 15)),
        row(people[2], source="young_party_member", note=""),
    ]
    assert imported(officer, rows).created == 3
    exported = BytesIO()
    assert reserves_export(viewer=officer, reserves=reserve_list(officer, under=TOWN_A), target=exported) == 3
    exported.seek(0)
    read_back = [r.values for r in read_rows(exported, RESERVE_COLUMNS)]
    key = "id_number"
    assert sorted(read_back, key=lambda v: v[key]) == sorted(rows, key=lambda v: v[key])
    exported.seek(0)
    again = reserves_import(actor=officer, stream=exported)
    assert (again.saved, again.created, again.unchanged) == (True, 0, 3)
    # Roles that see ID numbers masked get them masked in the export too.
    secretary = make_user("first_secretary", VILLAGE_A)
    masked = BytesIO()
    reserves_export(viewer=secretary, reserves=reserve_list(secretary, under=VILLAGE_A), target=masked)
    masked.seek(0)
    numbers = {r.values["id_number"] for r in read_rows(masked, RESERVE_COLUMNS)}
    assert numbers == {people[0].id_number_masked, people[2].id_number_masked}


def test_the_import_page_reports_by_line_and_saves_only_a_clean_file(
    officer: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    person, theirs = make_person(VILLAGE_A), make_person(VILLAGE_B)
    client = web_as(officer)
    assert "后备干部名册" in client.get("/reserves/list/import/").content.decode()
    bad = xlsx([row(person), row(theirs)])
    page = client.post("/reserves/list/import/", {"file": SimpleUploadedFile("r.xlsx", bad.getvalue())})
    text = page.content.decode()
    assert "未保存" in text and "第 3 行" in text and "不在您负责的区域内" in text
    assert not ReserveCadre.objects.exists()
    good = xlsx([row(person)])
    text = client.post("/reserves/list/import/", {"file": SimpleUploadedFile("r.xlsx", good.getvalue())}).content
    assert "已导入" in text.decode() and ReserveCadre.objects.filter(person=person).exists()
    not_excel = client.post("/reserves/list/import/", {"file": SimpleUploadedFile("r.xlsx", b"hello")})
    assert "无法读取该文件" in not_excel.content.decode()
    template = client.get("/reserves/list/import/template/")
    assert template.status_code == 200
    headers = [c.header for c in RESERVE_COLUMNS]
    assert xlsx_text(template.content).split("\n") == ["\t".join(headers)]
    export = client.get(f"/reserves/list/export/?under={VILLAGE_A}")
    assert person.name in xlsx_text(export.content) and person.id_number in xlsx_text(export.content)
    # Roles that may not import are refused the page and the template (403: neither shows a record).
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    assert cadre.get("/reserves/list/import/").status_code == 403
    assert cadre.get("/reserves/list/import/template/").status_code == 403


def test_the_api_upload_answers_the_counts_or_the_errors_by_line(
    officer: Any, make_person: Any, make_user: Any, api_as: Any
) -> None:
    person, theirs = make_person(VILLAGE_A), make_person(VILLAGE_B)
    client = api_as(officer)
    refused = client.post(
        "/api/v1/reserves/import", {"file": SimpleUploadedFile("r.xlsx", xlsx([row(person), row(theirs)]).getvalue())}
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "message": "共 1 行有误，未导入任何数据。",
        "errors": {"第 3 行": [f"村(社区)代码：{VILLAGE_B} 不在您负责的区域内，不能导入"]},
    }
    assert not ReserveCadre.objects.exists()
    file = SimpleUploadedFile("r.xlsx", xlsx([row(person)]).getvalue())
    done = client.post("/api/v1/reserves/import", {"file": file})
    assert done.status_code == 200
    assert {k: done.json()[k] for k in ("created", "unchanged")} == {"created": 1, "unchanged": 0}
    cadre = api_as(make_user("village_cadre", VILLAGE_A))
    file = SimpleUploadedFile("r.xlsx", xlsx([row(person)]).getvalue())
    assert cadre.post("/api/v1/reserves/import", {"file": file}).status_code == 404


def test_checking_and_saving_cost_the_same_queries_for_five_rows_or_twenty(officer: Any, make_person: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [make_person(VILLAGE_A) for _ in range(26)]
    imported(officer, [row(people[0])])  # the county's record chain and the user's roles are set up once
    counts = []
    for batch in (people[1:6], people[6:]):
        file = xlsx([row(p) for p in batch])
        with CaptureQueriesContext(connection) as queries:
            assert reserves_import(actor=officer, stream=file).created == len(batch)
        counts.append(len(queries))
    assert counts[0] == counts[1]
