"""A table layout: the columns of one sheet, their Chinese headers, and how a cell becomes a value and back."""

from __future__ import annotations

import copy
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
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
    # The system's own bookkeeping (a row's id, its version): read back on import, never to be edited by hand. The
    # sheet marks it grey with a note in its header.
    internal: bool = False

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
    # Rows read and deliberately left alone (a cadre not yet surveyed), said as `skipped_as` (未填写).
    skipped: int = 0
    skipped_as: str = "跳过"

    @property
    def good(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def summary(self) -> str:
        parts = [f"新增 {self.created} {self.unit}"]
        if self.updated:
            parts.append(f"更新 {self.updated} {self.unit}")
        parts.append(f"未变 {self.unchanged} {self.unit}")
        if self.skipped:
            parts.append(f"{self.skipped_as} {self.skipped} {self.unit}")
        return "，".join(parts)

    def answer(self) -> dict[str, Any]:
        """What the API answers for a saved import (ImportReportOut); an import that saved nothing is refused with
        its rows' reasons instead (bad_rows_error)."""
        if not self.saved:
            raise bad_rows_error(self.bad_rows)
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "bad_rows": [{"line": row.line, "errors": row.errors} for row in self.bad_rows],
            "summary": self.summary,
        }


def bad_rows_error(bad_rows: list[Row]) -> DomainError:
    """An import refused because of its bad rows, as the API answers it: one message, the reasons by line."""
    return DomainError(
        f"共 {len(bad_rows)} 行有误，未导入任何数据。", {f"第 {row.line} 行": row.errors for row in bad_rows}
    )


# What an import may cost before a cell is read. A sheet's XML is compressed many times over (a 307 KB file held a
# 300 MB string; a 1.3 MB one a million rows of twenty cells), and calamine reads a sheet whole, so the archive is
# measured by decompressing it in chunks first: nothing larger than these ever reaches the reader.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _too_big() -> DomainError:
    return DomainError(
        f"文件解压后超过 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，不是正常的表格，未导入。请只保留要导入的数据后重试。"
    )


def _too_many(max_rows: int) -> DomainError:
    return DomainError(f"一次最多导入 {max_rows} 行，本表超过了这个行数，未导入。请分成几个文件导入。")


def _unreadable() -> DomainError:
    return DomainError("无法读取该文件：请上传 Excel（.xlsx / .xls）或 WPS、LibreOffice 表格文件。")


def check_upload(stream: BinaryIO, *, max_rows: int) -> BinaryIO:
    """The stream, rewound, once it is known to be small enough to read: the file itself at most MAX_FILE_BYTES, its
    members (xlsx and ods are zip archives) at most MAX_UNCOMPRESSED_BYTES together as they really decompress (the
    sizes an archive declares are not trusted: each member is inflated to its true end, in 1 MB chunks, and dropped),
    and an xlsx sheet at most `max_rows` rows besides the header. Refusals are Chinese DomainErrors."""
    if not stream.seekable():
        stream = BytesIO(stream.read(MAX_FILE_BYTES + 1))
    stream.seek(0, 2)
    if stream.tell() > MAX_FILE_BYTES:
        raise DomainError(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，未导入。请分成几个文件导入。")
    stream.seek(0)
    if not zipfile.is_zipfile(stream):  # .xls is not compressed: its size is the file's
        stream.seek(0)
        return stream
    stream.seek(0)
    total = 0
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                declared = info.file_size
                probe = copy.copy(info)
                probe.file_size = MAX_UNCOMPRESSED_BYTES + 1  # read to the stream's real end, not the declared one
                is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                rows, tail, actual = 0, b"", 0
                with archive.open(probe) as member:
                    while chunk := member.read(1024 * 1024):
                        actual += len(chunk)
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise _too_big()
                        if is_sheet:
                            window = tail + chunk
                            rows += len(_ROW.findall(window)) - len(_ROW.findall(tail))
                            tail = window[-16:]
                            if rows > max_rows + 1:  # + the header row
                                raise _too_many(max_rows)
                if actual != declared:
                    raise _unreadable()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise _unreadable() from exc
    stream.seek(0)
    return stream


def read_rows(stream: BinaryIO, columns: list[Column], *, max_rows: int = 200_000) -> Iterator[Row]:
    """Rows of the first sheet, matched to the layout by header text; blank rows are skipped. The file is measured
    first (check_upload) and rows are taken one at a time, so a sheet past `max_rows` stops there, before it is read
    to the end."""
    stream = check_upload(stream, max_rows=max_rows)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
        sheet = workbook.get_sheet_by_index(0)
        if sheet.total_height > max_rows + 1:  # what the sheet declares (.xls/.ods); checked again row by row
            raise _too_many(max_rows)
        data = sheet.iter_rows()
        first = next(data, None)
    except DomainError:
        raise
    except Exception as exc:  # calamine raises several types for files that are not spreadsheets
        raise _unreadable() from exc
    if first is None:
        raise DomainError("表格是空的。")
    header = [_text(h) for h in first]
    columns = [c for c in columns if not c.export_only]
    missing = [c.header for c in columns if c.header not in header]
    if missing:
        raise DomainError(f"表头缺少列：{'、'.join(missing)}。请使用导出的模板。")
    index = {c.key: header.index(c.header) for c in columns}
    for number, cells in enumerate(data, start=2):
        if number - 1 > max_rows:
            raise _too_many(max_rows)
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


INTERNAL_NOTE = "系统内部字段：导入时用于核对，请勿修改。"


def _choice_list(column: Column) -> list[str]:
    """The values a drop-down offers for a column that comes back on import (empty when it has none)."""
    if column.export_only:
        return []
    if column.choices:
        return list(column.choices)
    if column.parse is parse_yes_no:
        return ["是", "否"]
    return []


def write_workbook(title: str, columns: list[Column], rows: Iterable[dict[str, Any]], target: BinaryIO) -> int:
    """Write one sheet in the layout; returns the number of data rows. Streams, so large ledgers fit in memory.

    The sheet is ready to work with: wrapped headers with filters, drop-down lists on the columns an import reads
    back from a fixed set of values, internal columns marked, and printing on landscape A4 fitted to the page width
    with the header repeated on every page."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for position, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"
    # Written with the sheet's head at the first append, so set before it: print fitted to the page width.
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F2F2F2")
    internal_fill, internal_font = PatternFill("solid", fgColor="D9D9D9"), Font(color="808080")
    header_cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill = bold, internal_fill if column.internal else fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column.internal:
            cell.comment = Comment(INTERNAL_NOTE, "村社")
        header_cells.append(cell)
    sheet.append(header_cells)
    last = get_column_letter(max(len(columns), 1))
    for position, column in enumerate(columns, start=1):
        values = _choice_list(column)
        formula = '"' + ",".join(values) + '"'
        if not values or len(formula) > 255 or any("," in v or '"' in v for v in values):
            continue  # Excel's inline lists stop at 255 characters; the import still checks every value
        letter = get_column_letter(position)
        check = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle="输入有误",
            error=f"{column.header}：请从下拉列表中选择。",
            promptTitle=column.header,
            prompt="请从下拉列表中选择。",
        )
        check.add(f"{letter}2:{letter}1048576")
        sheet.data_validations.append(check)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.print_title_rows = "1:1"
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
            if column.internal:
                cell.font = internal_font
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    workbook.save(target)
    return count
