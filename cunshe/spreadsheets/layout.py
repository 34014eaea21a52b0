"""A table layout: the columns of one sheet, their Chinese headers, and how a cell becomes a value and back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

import python_calamine
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from cunshe.core.errors import DomainError


class CellError(ValueError):
    """A cell that cannot be read; the message is Chinese and names what was expected."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps long digit strings as numbers when typed without a leading '
    return str(value).strip()


def parse_text(value: Any) -> str:
    return _text(value)


def parse_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError as exc:
        raise CellError(f"“{_text(value)}”不是日期，应写成 2024-01-31") from exc


def parse_yes_no(value: Any) -> bool:
    text = _text(value)
    if text in ("是", "1", "Y", "y", "√", "TRUE", "True", "true", "党员", "中共党员"):
        return True
    if text in ("", "否", "0", "N", "n", "×", "FALSE", "False", "false", "群众"):
        return False
    raise CellError(f"“{text}”应填“是”或“否”")


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any] = parse_text
    width: int = 12
    required: bool = False
    # Text format keeps ID numbers and codes exact (18 digits would otherwise become 3.7E+17).
    as_text: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # Chinese label -> stored value
    export_only: bool = False  # written for the reader's benefit (a name beside a code), ignored on import

    def read(self, value: Any) -> Any:
        if self.choices:
            text = _text(value)
            if not text:
                if self.required:
                    raise CellError("必填")
                return ""
            if text in self.choices:
                return self.choices[text]
            if text in self.choices.values():
                return text
            raise CellError(f"“{text}”不在可选值中（{'、'.join(self.choices)}）")
        parsed = self.parse(value)
        if self.required and parsed in ("", None):
            raise CellError("必填")
        return parsed


@dataclass
class Row:
    line: int  # as Excel numbers it, header = 1
    values: dict[str, Any]
    errors: list[str]


@dataclass
class ImportReport:
    """What an import of rows did: how many were new, changed or already so, the rows refused with their reasons,
    and whether anything was saved. `unit` counts the rows in the page's words (人, 件)."""

    unit: str = "行"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad_rows: list[Row] = field(default_factory=list)
    saved: bool = False

    @property
    def good(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def summary(self) -> str:
        parts = [f"新增 {self.created} {self.unit}"]
        if self.updated:
            parts.append(f"更新 {self.updated} {self.unit}")
        parts.append(f"未变 {self.unchanged} {self.unit}")
        return "，".join(parts)


def bad_rows_error(bad_rows: list[Row]) -> DomainError:
    """An import refused because of its bad rows, as the API answers it: one message, the reasons by line."""
    return DomainError(
        f"共 {len(bad_rows)} 行有误，未导入任何数据。", {f"第 {row.line} 行": row.errors for row in bad_rows}
    )


def read_rows(stream: BinaryIO, columns: list[Column], *, max_rows: int = 200_000) -> Iterator[Row]:
    """Rows of the first sheet, matched to the layout by header text; blank rows are skipped."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
        sheet = workbook.get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for files that are not spreadsheets
        raise DomainError("无法读取该文件：请上传 Excel（.xlsx / .xls）或 WPS、LibreOffice 表格文件。") from exc
    if not data:
        raise DomainError("表格是空的。")
    header = [_text(h) for h in data[0]]
    columns = [c for c in columns if not c.export_only]
    missing = [c.header for c in columns if c.header not in header]
    if missing:
        raise DomainError(f"表头缺少列：{'、'.join(missing)}。请使用导出的模板。")
    if len(data) - 1 > max_rows:
        raise DomainError(f"一次最多导入 {max_rows} 行，本表有 {len(data) - 1} 行。")
    index = {c.key: header.index(c.header) for c in columns}
    for number, cells in enumerate(data[1:], start=2):
        if all(_text(c) == "" for c in cells):
            continue
        values: dict[str, Any] = {}
        errors: list[str] = []
        for column in columns:
            position = index[column.key]
            raw = cells[position] if position < len(cells) else None
            try:
                values[column.key] = column.read(raw)
            except CellError as exc:
                errors.append(f"{column.header}：{exc}")
        yield Row(line=number, values=values, errors=errors)


# What Excel, WPS and LibreOffice take as the start of a formula when a cell is typed or re-entered (OWASP's list
# for formula injection): leading tab and carriage return hide one from the eye.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise_formula(cell: Any) -> None:
    """Keep a text that looks like a formula as text: openpyxl stores any string starting with "=" as a live formula
    (a name "=HYPERLINK(...)" in the ledger would become a link on the official's PC), so the cell is forced to a
    string, and quotePrefix (Excel's leading apostrophe, not part of the value) keeps it text when someone edits the
    cell. The value itself is unchanged, so the import still reads back exactly what was written."""
    cell.data_type = "s"
    cell.quotePrefix = True


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download, under a Chinese file name (the page and the API hand out the same file)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def write_workbook(title: str, columns: list[Column], rows: Iterable[dict[str, Any]], target: BinaryIO) -> int:
    """Write one sheet in the layout; returns the number of data rows. Streams, so large ledgers fit in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    labels = {c.key: {v: k for k, v in c.choices.items()} for c in columns if c.choices}
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column.key)
            if column.key in labels:
                value = labels[column.key].get(str(value), value)
            if isinstance(value, bool):
                value = "是" if value else "否"
            cell = WriteOnlyCell(sheet, value="" if value is None else value)
            if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                neutralise_formula(cell)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif column.as_text:
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count
