"""Imports refuse what would exhaust memory before reading it (issue 14, item 15): a small file that inflates hugely
and a sheet of more rows than the cap are refused, in Chinese, without the reader ever being handed them."""

import struct
import zipfile
import zlib
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import TOWN_A
from cunshe.core.errors import DomainError
from cunshe.people.exports import PEOPLE_COLUMNS, people_import
from cunshe.spreadsheets import layout
from cunshe.spreadsheets.layout import Column, read_rows, write_workbook

COLUMNS = [Column("姓名", "name")]


def template() -> dict[str, bytes]:
    """The members of a small valid workbook, to swap one for a hostile one."""
    buffer = BytesIO()
    write_workbook("表", COLUMNS, [{"name": "张三"}], buffer)
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def workbook_with_sheet(chunks: Any) -> BytesIO:
    """An xlsx whose first sheet is written from `chunks` as it is compressed, so the test never holds it whole."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in template().items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in chunks:
                sheet.write(chunk)
    buffer.seek(0)
    return buffer


def one_huge_string(megabytes: int) -> Any:
    yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c></row>'
    yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    for _ in range(megabytes):
        yield b"A" * (1024 * 1024)
    yield b"</t></is></c></row></sheetData></worksheet>"


def many_rows(count: int) -> Any:
    yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c></row>'
    batch = 10_000
    for start in range(2, count + 2, batch):
        yield b"".join(
            b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(start, min(start + batch, count + 2))
        )
    yield b"</sheetData></worksheet>"


@pytest.fixture
def reader_never_called(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal must come before calamine is given the file: that is what keeps memory bounded."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the reader was handed a file that should have been refused")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)


def test_a_small_file_that_inflates_hugely_is_refused_before_reading(reader_never_called: None) -> None:
    bomb = workbook_with_sheet(one_huge_string(layout.MAX_UNCOMPRESSED_BYTES // (1024 * 1024) + 8))
    assert len(bomb.getvalue()) < 1024 * 1024  # ~136 MB of sheet in well under a megabyte
    with pytest.raises(DomainError, match="解压后超过"):
        list(read_rows(bomb, COLUMNS))


def test_an_archive_that_lies_about_its_sizes_is_measured_as_it_really_inflates(reader_never_called: None) -> None:
    """A member whose headers declare a few bytes while its data inflates to more than the limit."""
    bomb = workbook_with_sheet(one_huge_string(layout.MAX_UNCOMPRESSED_BYTES // (1024 * 1024) + 8)).getvalue()
    archive = zipfile.ZipFile(BytesIO(bomb))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > layout.MAX_UNCOMPRESSED_BYTES
    # rewrite the declared size (zip64 extra field of the central directory) to 100 bytes
    real = struct.pack("<Q", info.file_size)
    lying = bytearray(bomb)
    at = lying.rfind(real)
    lying[at : at + 8] = struct.pack("<Q", 100)
    with pytest.raises(DomainError) as refused:
        list(read_rows(BytesIO(bytes(lying)), COLUMNS))
    assert "解压后超过" in refused.value.message or "无法读取" in refused.value.message


def test_a_sheet_past_the_row_cap_is_refused_before_reading(reader_never_called: None) -> None:
    sheet = workbook_with_sheet(many_rows(30_000))
    with pytest.raises(DomainError, match="一次最多导入 20000 行"):
        list(read_rows(sheet, COLUMNS, max_rows=20_000))


def test_a_sheet_at_the_cap_is_read() -> None:
    sheet = workbook_with_sheet(many_rows(2_000))
    assert sum(1 for _ in read_rows(sheet, COLUMNS, max_rows=2_000)) == 2_000


def test_a_file_that_is_no_zip_and_no_spreadsheet_is_refused_in_chinese() -> None:
    with pytest.raises(DomainError, match="无法读取该文件"):
        list(read_rows(BytesIO(b"PK\x03\x04not really a zip"), COLUMNS))
    with pytest.raises(DomainError, match="无法读取该文件"):
        list(read_rows(BytesIO(zlib.compress(b"x" * 1000)), COLUMNS))


def test_the_roster_import_refuses_a_bomb_on_the_page_and_in_the_service(
    make_user: Any, web_as: Any, reader_never_called: None
) -> None:
    officer = make_user("town_officer", TOWN_A)
    bomb = workbook_with_sheet(many_rows(200_010)).getvalue()
    with pytest.raises(DomainError, match="一次最多导入 200000 行"):
        people_import(actor=officer, stream=BytesIO(bomb))
    page = web_as(officer).post("/people/import/", {"file": SimpleUploadedFile("花名册.xlsx", bomb)})
    assert page.status_code in (200, 400) and "一次最多导入" in page.content.decode()
    assert [c.header for c in PEOPLE_COLUMNS]  # the layout is untouched
