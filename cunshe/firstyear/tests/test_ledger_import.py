"""The progress ledger read back: what the export writes, filled in, imports; all rows or none; again, nothing."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.firstyear.downloads import LEDGER_COLUMNS, ledger_import
from cunshe.firstyear.models import Progress, TownTally
from cunshe.firstyear.tests.helpers import DAY, by_hand, certified, progress
from cunshe.spreadsheets.layout import write_workbook

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _filled(exported: bytes, fill: dict[str, tuple[Any, str]]) -> BytesIO:
    """The exported ledger with 完成日期 and 完成佐证 written into the rows of the named items."""
    book = load_workbook(BytesIO(exported))
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    item, done_on, evidence = header.index("事项"), header.index("完成日期"), header.index("完成佐证")
    for row in sheet.iter_rows(min_row=2):
        if row[item].value in fill:
            row[done_on].value, row[evidence].value = fill[row[item].value]
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_exported_ledger_filled_in_imports_all_or_nothing_and_once(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    certified(VILLAGE_A, make_person)
    officer = make_user("town_officer", TOWN_A)
    exported = web_as(officer).get(f"/firstyear/region/{TOWN_A}/ledger.xlsx").content
    care, handover = progress(VILLAGE_A, by_hand("breakthrough")), progress(VILLAGE_A, "handover")
    # the unchanged export imports and changes nothing
    report = ledger_import(actor=officer, region_code=TOWN_A, stream=BytesIO(exported))
    assert (report.updated, report.unchanged) == (0, 7)
    bad = _filled(
        exported,
        {
            care.item.name: (DAY - timedelta(days=1), ""),  # before the election, no evidence
            handover.item.name: (TODAY, "交接了"),  # an item the handovers module completes
        },
    )
    with pytest.raises(DomainError) as error:
        ledger_import(actor=officer, region_code=TOWN_A, stream=bad)
    reasons = " ".join(m for ms in error.value.field_errors.values() for m in ms)
    assert "早于选举日" in reasons and "完成佐证" in reasons and "自动完成，不能导入" in reasons
    assert not Progress.objects.filter(region_id=VILLAGE_A, done_on__isnull=False).exists()
    good = _filled(exported, {care.item.name: (TODAY, "摸排困难户 14 户，清单经两委会议通过")})
    report = ledger_import(actor=officer, region_code=TOWN_A, stream=good)
    assert (report.updated, report.unchanged) == (1, 6)
    care.refresh_from_db()
    assert (care.done_on, care.done_source, care.version) == (TODAY, "manual", 2)
    assert TownTally.objects.get(region_id=TOWN_A, item=care.item).done == 1
    good.seek(0)
    again = ledger_import(actor=officer, region_code=TOWN_A, stream=good)
    assert (again.updated, again.unchanged) == (0, 7)
    # a changed date for a done item is refused (taken back on the page, with the reason)
    moved = _filled(exported, {care.item.name: (TODAY - timedelta(days=1), "改日期")})
    with pytest.raises(DomainError):
        ledger_import(actor=officer, region_code=TOWN_A, stream=moved)
    # another town, and a role without the right, are refused
    good.seek(0)
    with pytest.raises(Http404):
        ledger_import(actor=make_user("town_officer", TOWN_B), region_code=TOWN_A, stream=good)
    good.seek(0)
    with pytest.raises(NotPermitted):
        ledger_import(actor=make_user("discipline_supervisor", "371681"), region_code=TOWN_A, stream=good)
    # the page and the API
    buffer = BytesIO()
    write_workbook("台账", LEDGER_COLUMNS, [{"region": VILLAGE_A, "item": "不存在的事项", "done_on": TODAY}], buffer)
    page = web_as(officer).post(
        f"/firstyear/region/{TOWN_A}/ledger/import/", {"file": SimpleUploadedFile("a.xlsx", buffer.getvalue())}
    )
    assert page.status_code == 302
    answer = api_as(officer).post(
        f"/api/v1/firstyear/rollup/{TOWN_A}/ledger/import", {"file": SimpleUploadedFile("a.xlsx", buffer.getvalue())}
    )
    assert answer.status_code == 400 and "未导入任何数据" in answer.json()["message"]
