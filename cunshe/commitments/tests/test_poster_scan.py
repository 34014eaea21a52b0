"""The poster's QR code must scan as printed: the page is rendered by headless Chromium (cunshe/web/tests/browser.py)
at A4 print size and the screenshot is decoded with zxing-cpp, so a code that is cropped rather than scaled fails."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from PIL import Image

from conftest import VILLAGE_A
from cunshe.web.tests.browser import allow_orm_beside_playwright, chromium

__all__ = ["allow_orm_beside_playwright"]  # its autouse fixture applies to this module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_poster_qr_code_decodes_to_the_village_page(live_server: Any, make_commitment: Any) -> None:
    import zxingcpp

    make_commitment(title="修缮村史馆")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 794, "height": 1123}, locale="zh-CN")  # A4 at 96 dpi
        page.goto(f"{live_server.url}/public/commitments/{VILLAGE_A}/poster/")
        qr = page.locator(".qr svg")
        box = qr.bounding_box()
        assert box is not None and 200 < box["width"] < 260  # 60 mm at 96 dpi ≈ 227 px
        shot = Image.open(BytesIO(page.screenshot(full_page=True)))
    found = [b.text for b in zxingcpp.read_barcodes(shot)]
    assert found == [f"{live_server.url}/public/commitments/{VILLAGE_A}/"]
