"""Re-saving a workbook with LibreOffice, as an official does after opening an exported file (WPS reads and writes
the same OOXML). LibreOffice is Debian's libreoffice-calc-nogui; without it a test is skipped on a workstation and
fails in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI 需要 LibreOffice（apt-get install libreoffice-calc-nogui）来检验 Excel 文件。")
        pytest.skip("LibreOffice is not installed")
    return path


def resaved_by_libreoffice(content: bytes, name: str = "表格.xlsx") -> bytes:
    binary = soffice()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(content)
        out = Path(folder) / "out"
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xlsx",
             "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        resaved = (out / name).read_bytes()
    assert resaved != content  # really rewritten by LibreOffice
    return resaved
