"""Headless Chromium through Playwright against the live server (see browser.py): a town officer logs in on the
Chinese login page, lands on the home page, and the top navigation stays visible on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cunshe.access.roles import Role
from cunshe.accounts.models import User
from cunshe.accounts.services import account_create, role_assign
from cunshe.core.actors import SYSTEM
from cunshe.regions.models import Region
from cunshe.regions.services import regions_import
from cunshe.regions.slice import DEMO_COUNTY, SLICE_FILES
from cunshe.web.tests import browser
from cunshe.web.tests.browser import PHONE, allow_orm_beside_playwright, chromium, watch_requests

__all__ = ["allow_orm_beside_playwright"]  # its autouse fixture applies to this module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOWN = "371681001"  # 黛溪街道
USERNAME = "liulan"
DISPLAY_NAME = "黛溪街道 浏览器测试"
PASSWORD = "Cunshe@2026"


@pytest.fixture
def town_officer(live_server: Any) -> User:
    """A town officer made through the real services, as the county's organizer would make one."""
    if not Region.objects.filter(code=TOWN).exists():
        regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
    user = account_create(  # an account in use: a first password opens only the password page
        actor=SYSTEM,
        username=USERNAME,
        display_name=DISPLAY_NAME,
        password=PASSWORD,
        region_code=TOWN,
        must_change_password=False,
    )
    role_assign(actor=SYSTEM, user=user, role=Role.TOWN_OFFICER, region_code=TOWN)
    return user


def log_in(page: Any, base_url: str) -> None:
    browser.log_in(page, base_url, USERNAME, PASSWORD)


def test_login_lands_on_home_with_name_and_todo(live_server: Any, town_officer: User) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        problems = watch_requests(page, live_server.url)
        log_in(page, live_server.url)
        expect(page.get_by_role("heading", level=1)).to_contain_text(DISPLAY_NAME)
        expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
        expect(page.get_by_role("heading", name=re.compile("待办事项"))).to_be_visible()
        expect(page.locator("main")).to_contain_text("黛溪街道")
        page.close()
    assert problems == [], "页面请求了外部地址或有请求失败"


def test_top_navigation_visible_on_a_phone(live_server: Any, town_officer: User) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url)
        nav = page.get_by_role("navigation", name="主导航")
        expect(nav).to_be_visible()
        for link in ("首页", DISPLAY_NAME):
            expect(nav.get_by_role("link", name=link)).to_be_visible()
        people = nav.get_by_role("link", name="人员")
        expect(people).to_be_hidden()  # inside the closed 基础信息 menu
        nav.get_by_text("基础信息").tap()
        expect(people).to_be_visible()
        expect(nav.get_by_role("button", name="退出")).to_be_visible()
        box = nav.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, f"导航超出手机屏幕宽度：{box}"
        assert box["height"] <= PHONE["height"] / 3, (
            f"导航占去手机首屏的大半：{box}"
        )  # the page must start on screen one
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "手机上页面出现横向滚动"
        context.close()
