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
