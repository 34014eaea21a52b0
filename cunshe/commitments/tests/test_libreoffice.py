"""The ledger file officials keep must open in LibreOffice (and WPS, which reads the same OOXML): LibreOffice
re-saves an exported ledger the way an official would after opening it, and importing that file changes nothing.
(See cunshe/spreadsheets/tests/libreoffice.py.)"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from cunshe.commitments.models import Commitment, Status
from cunshe.commitments.services import commitment_move, ledger_export, ledger_import
from cunshe.spreadsheets.tests.libreoffice import resaved_by_libreoffice


def test_a_ledger_saved_again_by_libreoffice_imports_unchanged(cadre: Any, make_commitment: Any) -> None:
    make_commitment(actor=cadre, content="第一行\n第二行：多行内容")
    done = make_commitment(actor=cadre, title="修路")
    commitment_move(
        actor=cadre, commitment=done, to_status=Status.DONE, expected_version=1, evidence="验收单", completed_on=None
    )
    buffer = BytesIO()
    ledger_export(commitments=Commitment.objects.all(), target=buffer)
    resaved = resaved_by_libreoffice(buffer.getvalue(), "台账.xlsx")
    versions = list(Commitment.objects.order_by("pk").values_list("version", flat=True))
    report = ledger_import(actor=cadre, stream=BytesIO(resaved))
    assert (report.created, report.updated, report.unchanged, report.bad_rows) == (0, 0, 2, [])
    assert list(Commitment.objects.order_by("pk").values_list("version", flat=True)) == versions
