from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cunshe.spreadsheets.layout import CellError, Column, parse_date, parse_yes_no, read_rows, write_workbook


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-1-5", date(2024, 1, 5)),
        ("2024/01/05", date(2024, 1, 5)),
        ("2024.1.5", date(2024, 1, 5)),
        ("2024年1月5日", date(2024, 1, 5)),
        (datetime(2024, 1, 5, 0, 0), date(2024, 1, 5)),
        ("", None),
    ],
)
def test_dates_as_officials_type_them(raw: object, expected: date | None) -> None:
    assert parse_date(raw) == expected


def test_yes_no_in_chinese() -> None:
    assert parse_yes_no("是") is True and parse_yes_no("否") is False and parse_yes_no("") is False
    with pytest.raises(CellError, match="应填"):
        parse_yes_no("也许")


def test_written_files_keep_codes_as_text_and_read_back() -> None:
    columns = [Column("代码", "code", as_text=True, required=True), Column("日期", "day", parse=parse_date)]
    buffer = BytesIO()
    write_workbook(
        "表",
        columns,
        [{"code": "371681001213", "day": date(2024, 1, 5)}, {"code": "", "day": date(2024, 2, 1)}],
        buffer,
    )
    sheet = load_workbook(BytesIO(buffer.getvalue())).active
    assert sheet is not None and sheet["A2"].number_format == "@" and sheet.freeze_panes == "A2"
    buffer.seek(0)
    rows = list(read_rows(buffer, columns))
    assert rows[0].values == {"code": "371681001213", "day": date(2024, 1, 5)} and rows[0].line == 2
    assert rows[1].errors == ["代码：必填"]


def test_a_number_typed_into_a_code_cell_reads_as_its_digits() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["代码"])
    sheet.append([371681001213])
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    assert next(read_rows(buffer, [Column("代码", "code")])).values["code"] == "371681001213"


def test_a_written_sheet_filters_prints_and_offers_its_choices() -> None:
    columns = [
        Column("编号", "id", internal=True, width=8),
        Column("村(社区)名称，导出时附上的长表头", "name", export_only=True),
        Column("状态", "status", choices={"未开始": "planned", "已完成": "done"}, required=True),
        Column("党员", "member", parse=parse_yes_no),
        Column("版本", "version", internal=True),
    ]
    buffer = BytesIO()
    write_workbook("表", columns, [{"id": 1, "name": "甲村", "status": "done", "member": True, "version": 3}], buffer)
    sheet = load_workbook(BytesIO(buffer.getvalue())).active
    assert sheet.auto_filter.ref == "A1:E2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert sheet["B1"].alignment.wrap_text
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {"C2:C1048576": '"未开始,已完成"', "D2:D1048576": '"是,否"'}
    assert sheet["A1"].comment is not None and "请勿修改" in sheet["A1"].comment.text
    assert sheet["E1"].comment is not None and sheet["C1"].comment is None
    assert [c.value for c in sheet[2]] == [1, "甲村", "已完成", "是", 3]
