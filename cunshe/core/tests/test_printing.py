"""Printed documents embed their CJK font, so an office PC without it prints what the server drew."""

from __future__ import annotations

import os
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from cunshe.core import checks
from cunshe.core.printing import paragraph, pdf_response, render_pdf


def embedded_fonts(content: bytes) -> list[tuple[str, bool]]:
    """(base font name, whether its glyphs are inside the file) for every font the PDF's pages use."""
    found = []
    for page in PdfReader(BytesIO(content)).pages:
        resources: Any = page["/Resources"]
        for ref in (resources.get("/Font") or {}).values():
            font: Any = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            inside = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), inside))
    return found


def assert_fonts_embedded(content: bytes) -> None:
    """Every font but reportlab's page-default Helvetica (one of the 14 every reader has, drawing no text here) is
    inside the file, and the Chinese one is among them."""
    fonts = [(name, inside) for name, inside in embedded_fonts(content) if name != "/Helvetica"]
    assert fonts and all(inside for _, inside in fonts), fonts
    assert any("WenQuanYi" in name or "Ming" in name for name, _ in fonts) or "CUNSHE_CJK_FONT" in os.environ
    assert b"STSong" not in content


def test_a_document_embeds_its_chinese_font_and_carries_its_title() -> None:
    content = render_pdf([paragraph("换届交接书：印章、账簿、档案")], "西范村换届交接书")
    assert_fonts_embedded(content)
    reader = PdfReader(BytesIO(content))
    assert "印章" in reader.pages[0].extract_text()
    assert reader.metadata is not None and reader.metadata.title == "西范村换届交接书"


def test_downloads_carry_their_chinese_name() -> None:
    response = pdf_response(b"%PDF-", "西范村交接书.pdf")
    assert (
        response["Content-Disposition"]
        == "inline; filename*=utf-8''%E8%A5%BF%E8%8C%83%E6%9D%91%E4%BA%A4%E6%8E%A5%E4%B9%A6.pdf"
    )


def test_cunshe_check_reports_a_missing_font(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert checks.cjk_font_installed() == []
    monkeypatch.setenv("CUNSHE_CJK_FONT", str(tmp_path / "none.ttf"))
    [error] = checks.cjk_font_installed()
    assert "fonts-wqy-zenhei" in error.msg and error.id == "cunshe.E001"
