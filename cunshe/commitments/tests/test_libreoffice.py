"""The ledger file officials keep must open in LibreOffice (and WPS, which reads the same OOXML): LibreOffice
re-saves an exported ledger the way an official would after opening it, and importing that file changes nothing.
LibreOffice is Debian's libreoffice-calc-nogui; without it the test is skipped on a workstation and fails in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from cunshe.commitments.models import Commitment, Status
from cunshe.commitments.services import commitment_move, ledger_export, ledger_import


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI 需要 LibreOffice（apt-get install libreoffice-calc-nogui）来检验台账文件。")
        pytest.skip("LibreOffice is not installed")
    return path


def test_a_ledger_saved_again_by_libreoffice_imports_unchanged(cadre: Any, make_commitment: Any) -> None:
    binary = soffice()
    make_commitment(actor=cadre, content="第一行\n第二行：多行内容")
    done = make_commitment(actor=cadre, title="修路")
    commitment_move(
        actor=cadre, commitment=done, to_status=Status.DONE, expected_version=1, evidence="验收单", completed_on=None
    )
    buffer = BytesIO()
    ledger_export(commitments=Commitment.objects.all(), target=buffer)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "台账.xlsx"
        source.write_bytes(buffer.getvalue())
        out = Path(folder) / "out"
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xlsx",
             "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        resaved = (out / "台账.xlsx").read_bytes()
    assert resaved != buffer.getvalue()  # really rewritten by LibreOffice
    versions = list(Commitment.objects.order_by("pk").values_list("version", flat=True))
    report = ledger_import(actor=cadre, stream=BytesIO(resaved))
    assert (report.created, report.updated, report.unchanged, report.bad_rows) == (0, 0, 2, [])
    assert list(Commitment.objects.order_by("pk").values_list("version", flat=True)) == versions
