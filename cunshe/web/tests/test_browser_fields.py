"""Every field a person types into looks the same (issue 14, item 7): number fields, text areas and inputs written
without a type were left as the browser's bare boxes. Measured in headless Chromium (cunshe/web/tests/browser.py)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY, ensure_zouping, new_user
from cunshe.web.tests.browser import allow_orm_beside_playwright, chromium, log_in

__all__ = ["allow_orm_beside_playwright"]  # its autouse fixture applies to this module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Cunshe@2026"  # conftest's accounts all have it
STYLE = "e => [getComputedStyle(e).borderTopLeftRadius, getComputedStyle(e).borderTopColor]"


def test_number_fields_text_areas_and_untyped_inputs_are_styled_like_text_fields(live_server: Any) -> None:
    ensure_zouping()
    organizer = new_user("county_organizer", COUNTY)
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        log_in(page, live_server.url, organizer.username, PASSWORD)
        page.goto(f"{live_server.url}/eligibility/rules/new/")
        text = page.locator("input[name=code]").evaluate(STYLE)
        assert text == ["6px", "rgb(201, 205, 212)"]
        assert page.locator("input[name=lookback_years][type=number]").evaluate(STYLE) == text
        assert page.locator("textarea[name=text]").evaluate(STYLE) == text
        page.goto(f"{live_server.url}/reviews/departments/")
        untyped = page.locator("input[name=name]:not([type])").first
        assert untyped.evaluate(STYLE) == text
