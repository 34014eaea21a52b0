from datetime import date, timedelta
from io import BytesIO, StringIO
from typing import Any

import python_calamine
from django.core.management import call_command
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.commitments.models import Commitment, Status, VillageSummary
from cunshe.commitments.selectors import commitments_visible
from cunshe.commitments.services import LEDGER_COLUMNS, commitment_move, ledger_export, ledger_import
from cunshe.commitments.tests.conftest import YEAR
from cunshe.core.actors import SYSTEM
from cunshe.records.models import RecordChain, RecordEntry
from cunshe.spreadsheets.layout import write_workbook


def row(village: str = VILLAGE_A, **fields: Any) -> dict[str, Any]:
    values = {
        "region": village,
        "kind": "开门一件事",
        "year": YEAR,
        "category": "提升改善村容村貌",
        "title": "清理村内坑塘",
        "content": "组织党员志愿者清淤",
        "target": "坑塘水清岸绿",
        "deadline": date(YEAR, 9, 30),
        "responsible_post": "村委会主任",
        "source": "村民代表会议",
        "status": "未开始",
    }
    values.update(fields)
    return values


def workbook(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("开门一件事台账", LEDGER_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def exported(user: Any) -> bytes:
    buffer = BytesIO()
    ledger_export(commitments=commitments_visible(user), target=buffer)
    return buffer.getvalue()


def cells(content: bytes) -> list[list[Any]]:
    return python_calamine.CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()


def test_a_file_with_bad_rows_saves_nothing_and_reports_each_row(cadre: Any) -> None:
    rows = [
        row(),
        row(title="修路", deadline="明年"),
        row(VILLAGE_B, title="别村的事"),
        row(title="清理村内坑塘"),
        row(title="乱填状态", status="差不多"),
        row(title="放弃无因", status="已放弃"),
    ]
    report = ledger_import(actor=cadre, stream=workbook(rows))
    assert not report.saved and not Commitment.objects.exists() and not VillageSummary.objects.exists()
    problems = {r.line: " ".join(r.errors) for r in report.bad_rows}
    assert set(problems) == {3, 4, 5, 6, 7}
    assert "完成时限" in problems[3] and "不在您负责的区域内" in problems[4]
    assert "与第 2 行是同一事项" in problems[5] and "状态" in problems[6] and "放弃须写明原因" in problems[7]


def test_the_user_may_choose_to_import_the_good_rows(cadre: Any) -> None:
    report = ledger_import(actor=cadre, stream=workbook([row(), row(VILLAGE_B, title="x")]), import_good_rows=True)
    assert report.saved and report.created == 1 and len(report.bad_rows) == 1
    c = Commitment.objects.get()
    assert c.ledger_no == f"{VILLAGE_A}-{YEAR}-001" and c.source == "representatives"
    assert VillageSummary.objects.get(region_id=VILLAGE_A).planned == 1
    assert RecordEntry.objects.filter(event="commitments.imported", region_id=VILLAGE_A).count() == 1


def test_importing_the_same_file_twice_changes_nothing(cadre: Any) -> None:
    rows = [row(), row(title="修路", category="改善生产生活条件", status="已完成", completed_on=date(YEAR, 1, 5))]
    first = ledger_import(actor=cadre, stream=workbook(rows))
    assert first.saved and first.created == 2
    entries, versions = RecordEntry.objects.count(), list(Commitment.objects.values_list("version", flat=True))
    again = ledger_import(actor=cadre, stream=workbook(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert RecordEntry.objects.count() == entries
    assert list(Commitment.objects.values_list("version", flat=True)) == versions


def test_export_then_import_is_lossless_and_a_changed_row_updates_its_commitment(
    cadre: Any, make_commitment: Any
) -> None:
    make_commitment(actor=cadre, content="第一行\n第二行：多行内容")
    done = make_commitment(actor=cadre, title="修路")
    commitment_move(
        actor=cadre, commitment=done, to_status=Status.DONE, expected_version=1, evidence="验收单", completed_on=None
    )
    dropped = make_commitment(actor=cadre, title="建广场")
    commitment_move(actor=cadre, commitment=dropped, to_status=Status.DROPPED, expected_version=1, reason="用地未批")
    before = {c.ledger_no: c for c in Commitment.objects.all()}
    content = exported(cadre)
    report = ledger_import(actor=cadre, stream=BytesIO(content))
    assert (report.created, report.updated, report.unchanged, report.bad_rows) == (0, 0, 3, [])
    assert exported(cadre) == content or cells(exported(cadre)) == cells(content)
    after = {c.ledger_no: c for c in Commitment.objects.all()}
    fields = [f.name for f in Commitment._meta.fields if f.name not in ("created_at",)]
    assert all(getattr(before[n], f) == getattr(after[n], f) for n in before for f in fields)
    table = cells(content)
    header, first = table[0], table[1]
    table[1] = [("硬化主路" if h == "事项" else v) for h, v in zip(header, first, strict=True)]
    report = ledger_import(actor=cadre, stream=workbook_from_cells(table))
    assert report.updated == 1 and report.created == 0
    changed = Commitment.objects.get(ledger_no=first[header.index("台账编号")])
    assert changed.title == "硬化主路" and changed.version == 2


def workbook_from_cells(table: list[list[Any]]) -> BytesIO:
    header = [str(h) for h in table[0]]
    keys = {c.header: c.key for c in LEDGER_COLUMNS}
    rows = [{keys[h]: v for h, v in zip(header, r, strict=True)} for r in table[1:]]
    for r in rows:  # calamine gives labels as written; the layout maps them back to values
        for column in LEDGER_COLUMNS:
            if column.choices and r.get(column.key) in column.choices:
                r[column.key] = column.choices[r[column.key]]
    return workbook(rows)


def test_a_file_cannot_move_a_status_backwards_or_a_commitment_to_another_village(
    cadre: Any, make_commitment: Any
) -> None:
    c = make_commitment(actor=cadre)
    c = commitment_move(actor=cadre, commitment=c, to_status=Status.DONE, expected_version=1, evidence="验收")
    report = ledger_import(actor=cadre, stream=workbook([row(ledger_no=c.ledger_no, title=c.title, status="推进中")]))
    assert not report.saved and report.bad_rows[0].errors == ["状态：事项不能从“已完成”转为“推进中”（可转为：无）。"]
    other = row(
        "371681001214", ledger_no=c.ledger_no, title=c.title, status="已完成", completed_on=timezone.localdate()
    )
    report = ledger_import(actor=SYSTEM, stream=workbook([other]))
    assert not report.saved and "属于另一个村(社区)" in report.bad_rows[0].errors[0]
    assert Commitment.objects.get(pk=c.pk).status == Status.DONE


def test_an_import_across_villages_appends_one_chained_entry_per_village(organizer: Any, make_commitment: Any) -> None:
    make_commitment(VILLAGE_B, title="已有事项")
    before = RecordChain.objects.get(chain="371681")
    villages = [VILLAGE_B, "371681001214", VILLAGE_A]
    rows = [row(v, title=f"事项{n}") for v in villages for n in range(2)]
    report = ledger_import(actor=organizer, stream=workbook(rows))
    assert report.saved and report.created == 6
    entries = list(RecordEntry.objects.filter(chain="371681", seq__gt=before.last_seq).order_by("seq"))
    assert [e.region_id for e in entries] == sorted(villages)
    assert [e.seq for e in entries] == list(range(before.last_seq + 1, before.last_seq + 4))
    assert entries[0].prev_hash == before.last_hash and all(e.actor_id == organizer.pk for e in entries)
    assert entries[0].after == {"新增": [f"{VILLAGE_A}-{YEAR}-001", f"{VILLAGE_A}-{YEAR}-002"]}
    assert RecordChain.objects.get(chain="371681").last_hash == entries[-1].hash
    out = StringIO()
    call_command("records", "verify", stdout=out)
    assert "全部校验通过" in out.getvalue()


def test_new_rows_continue_each_villages_numbers_in_a_constant_number_of_queries(
    organizer: Any, make_commitment: Any, django_assert_max_num_queries: Any
) -> None:
    make_commitment(VILLAGE_B, title="已有事项")
    numbered = row(VILLAGE_A, title="带编号", ledger_no=f"{VILLAGE_A}-{YEAR}-001")
    few = [numbered, row(VILLAGE_A, title="新一"), row(VILLAGE_B, title="新二")]
    report = ledger_import(actor=organizer, stream=workbook(few))
    assert report.saved and report.created == 3
    assert set(Commitment.objects.filter(title__in=["新一", "新二"]).values_list("ledger_no", flat=True)) == {
        f"{VILLAGE_A}-{YEAR}-002",  # after the number the file itself gives
        f"{VILLAGE_B}-{YEAR}-002",  # after the one already saved
    }
    villages = [f"371681001{n:03d}" for n in range(214, 224)]
    with django_assert_max_num_queries(40) as small:
        ledger_import(actor=organizer, stream=workbook([row(v, title="甲") for v in villages[:2]]))
    with django_assert_max_num_queries(len(small)) as large:
        ledger_import(actor=organizer, stream=workbook([row(v, title="乙") for v in villages]))
    assert len(large) == len(small)


def test_the_exported_ledger_says_overdue_on_the_day_it_is_made_without_the_daily_check(
    make_commitment: Any, officer: Any
) -> None:
    """Issue 14 item 2: the ledger sheet is one of the places a number is read; overdue is true on the day it is."""
    late, on_time = make_commitment(title="已过期限"), make_commitment(title="期限未到")
    Commitment.objects.filter(pk=late.pk).update(deadline=timezone.localdate().replace(day=1) - timedelta(days=1))
    assert Commitment.objects.get(pk=late.pk).status == Status.PLANNED  # the daily check has not run
    table = cells(exported(officer))
    status_column = table[0].index("状态")
    by_title = {r[table[0].index("事项")]: r[status_column] for r in table[1:]}
    assert by_title == {"已过期限": "已逾期", "期限未到": "未开始"}
    # importing the sheet back records the move the daily check would have made, and then changes nothing
    first = ledger_import(actor=officer, stream=BytesIO(exported(officer)))
    assert first.saved and first.updated == 1 and Commitment.objects.get(pk=late.pk).status == Status.OVERDUE
    again = ledger_import(actor=officer, stream=BytesIO(exported(officer)))
    assert again.updated == 0 and again.created == 0
    assert on_time.status == Status.PLANNED


def test_the_api_imports_the_ledger_or_names_the_bad_rows(cadre: Any, api_as: Any, make_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"file": SimpleUploadedFile("台账.xlsx", workbook(rows).getvalue())}

    api = api_as(cadre)
    mixed = [row(), row(VILLAGE_B, title="别村的事")]
    refused = api.post("/api/v1/commitments/import", upload(mixed))
    assert refused.status_code == 400 and "第 3 行" in refused.content.decode() and not Commitment.objects.exists()
    answer = api.post("/api/v1/commitments/import", {**upload(mixed), "import_good_rows": "true"}).json()
    assert answer["created"] == 1 and [r["line"] for r in answer["bad_rows"]] == [3]
    assert list(Commitment.objects.values_list("region_id", "title")) == [(VILLAGE_A, "清理村内坑塘")]
    # A read-only supervisor may not import at all.
    supervisor = api_as(make_user("discipline_supervisor", "371681"))
    assert supervisor.post("/api/v1/commitments/import", upload([row(title="监督")])).status_code == 403
