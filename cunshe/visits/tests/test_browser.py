"""A village cadre records a visit on a phone in the field (headless Chromium, see cunshe/web/tests/browser.py):
opens the unvisited list, records an in-person visit with a stance on a prospective candidate, and the coverage and
the support rate move."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import TOWN_A, VILLAGE_A, ensure_zouping, new_person, new_user
from cunshe.assessments.rates import village_rates
from cunshe.assessments.selectors import prospects_of
from cunshe.core.actors import SYSTEM
from cunshe.teams.services import member_appoint
from cunshe.termchanges.services import term_change_open
from cunshe.visits.models import Group, Visit
from cunshe.visits.services import visit_plan_generate
from cunshe.web.tests.browser import PHONE, allow_orm_beside_playwright, chromium, log_in, watch_requests

__all__ = ["allow_orm_beside_playwright"]  # its autouse fixture applies to this module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Cunshe@2026"  # conftest's accounts all have it


def test_a_cadre_records_a_visit_on_a_phone(live_server: Any) -> None:
    from playwright.sync_api import expect

    ensure_zouping()
    term_change = term_change_open(actor=SYSTEM, county_code=VILLAGE_A[:6], year=2026, opened_on=date(2026, 9, 1))
    director = new_person(VILLAGE_A, name="现任主任")
    member_appoint(
        actor=SYSTEM, village_code=VILLAGE_A, person=director, committee="villagers", post="director",
        started_on=date(2021, 6, 1),
    )  # fmt: skip
    member = new_person(VILLAGE_A, name="老党员", is_party_member=True, party_joined_on=date(1990, 7, 1))
    officer = new_user("town_officer", TOWN_A)
    visit_plan_generate(
        actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="驻村干部", due_on=date(2026, 12, 1)
    )
    cadre = new_user("village_cadre", VILLAGE_A)

    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
        page = context.new_page()
        problems = watch_requests(page, live_server.url)
        log_in(page, live_server.url, cadre.username, PASSWORD)
        page.goto(f"{live_server.url}/visits/{VILLAGE_A}/")
        expect(page.locator("main")).to_contain_text("未走访")
        page.get_by_role("link", name="老党员").first.tap()
        page.get_by_label("走访日期").fill("2026-11-20")
        page.get_by_label("地点").fill("老党员家中")
        page.get_by_label("谈话内容").fill("宣传一肩挑政策，听取换届意见")
        page.get_by_label("现任主任").select_option(label="支持")
        save = page.get_by_role("button", name="保存走访记录")
        save.scroll_into_view_if_needed()
        save.tap()
        expect(page.locator(".messages")).to_contain_text("已记录对 老党员 的走访")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "手机上页面出现横向滚动"
        context.close()
    assert problems == [], "页面请求了外部地址或有请求失败"

    visit = Visit.objects.get(target__person=member)
    assert visit.visited_on == date(2026, 11, 20) and visit.place == "老党员家中" and visit.recorded_by == cadre
    rates = village_rates(VILLAGE_A, term_change, prospects_of(VILLAGE_A), on=date(2026, 11, 23))
    assert {r.person.name: r.party_support for r in rates}["现任主任"] == 100
