"""The command view in Chromium (see cunshe/web/tests/browser.py): the charts draw (a canvas per chart) under the
Content-Security-Policy the server sends, with ECharts served from this server, no console errors, no request
leaving it, readable on a phone without sideways scrolling and on a wall screen; a click on a town's bar opens the
town's view."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, ensure_zouping, new_user
from cunshe.command.tests.test_command import _build
from cunshe.web.tests.browser import PHONE, allow_orm_beside_playwright, chromium, log_in, watch_requests

__all__ = ["allow_orm_beside_playwright"]  # its autouse fixture applies to this module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Cunshe@2026"  # conftest's accounts all have it
CHARTS = 7  # visits, readiness, reviews, elections by state and by kind, handovers, commitments


def _open(browser: Any, base: str, user: Any, path: str, **context: Any) -> tuple[Any, Any, list[str], list[str]]:
    from playwright.sync_api import expect

    page_context = browser.new_context(locale="zh-CN", **context)
    page = page_context.new_page()
    problems = watch_requests(page, base)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, base, user.username, PASSWORD)
    page.goto(f"{base}{path}")
    expect(page.locator(".command-chart canvas")).to_have_count(CHARTS)
    return page_context, page, problems, errors


def test_the_charts_draw_on_a_wall_screen_and_a_phone(live_server: Any) -> None:
    from playwright.sync_api import expect

    ensure_zouping()  # a transactional test before this one may have emptied the tables
    organizer = new_user("county_organizer", COUNTY)
    supervisor = new_user("discipline_supervisor", COUNTY)
    _build(villages=[VILLAGE_A, VILLAGE_B], supervisor=supervisor, working_group=organizer, elections=False)
    base = live_server.url

    with chromium() as browser:
        # A wall screen: the county's view, then a click on 黛溪街道's bar opens the town's view.
        context, page, problems, errors = _open(
            browser, base, organizer, "/command/", viewport={"width": 1920, "height": 1080}
        )
        expect(page).to_have_url(re.compile(rf"/command/{COUNTY}/$"))
        # The charts drew under the policy the server sends (no inline script, nothing but this server).
        headers = context.request.get(f"{base}/command/{COUNTY}/").headers
        assert "script-src 'self'" in headers.get("content-security-policy", ""), "页面未发送内容安全策略"
        canvas = page.locator("[data-chart=visits] canvas")
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        # The town rows are drawn top to bottom in code order: 黛溪街道 (the first town) is the top bar.
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 60)
        expect(page).to_have_url(re.compile(rf"/command/{TOWN_A}/$"))
        expect(page.locator(".command-chart canvas")).to_have_count(CHARTS)
        expect(page.locator("h1")).to_contain_text("黛溪街道")
        context.close()

        # A phone: the same board in one column, no sideways scrolling.
        phone, page, phone_problems, phone_errors = _open(
            browser, base, organizer, f"/command/{COUNTY}/", viewport=PHONE, is_mobile=True, has_touch=True
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "手机上页面出现横向滚动"
        page.get_by_text("明细（", exact=False).first.tap()
        expect(page.get_by_role("link", name="黛溪街道").first).to_be_visible()
        phone.close()
    assert problems == [] and phone_problems == [], "页面请求了外部地址或有请求失败"
    assert errors == [] and phone_errors == [], f"控制台有错误：{errors + phone_errors}"
