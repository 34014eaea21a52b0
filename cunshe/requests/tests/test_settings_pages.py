"""The county's request settings on pages: the organizer manages categories, time limits and answer templates through
the same services as the API; a town officer or a village cadre reads them and is refused every change (403); bad
input shows a Chinese field error and saves nothing; a stale form saves nothing; nothing is deleted, only retired."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import OTHER_COUNTY, TOWN_A, VILLAGE_A, api_client, web_client
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.requests.models import Category, ResponseTemplate, TierLimit
from cunshe.requests.services import categories_in_force, template_create, tier_limit_set
from cunshe.requests.tests.helpers import categories, file_request

pytestmark = pytest.mark.django_db
COUNTY = "371681"


def test_the_organizer_adds_edits_and_retires_a_category_on_pages(
    zouping: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    made = categories()
    organizer = web_client(make_user("county_organizer", COUNTY))
    with django_assert_max_num_queries(16):
        page = organizer.get(f"/requests/settings/{COUNTY}/")
    text = page.content.decode()
    assert page.status_code == 200 and "道路破损" in text and "新增类别" in text and "一般 7个工作日（默认）" in text
    # a bad code and a department route without a department: Chinese field errors, nothing saved
    bad = organizer.post(
        f"/requests/settings/{COUNTY}/categories/new/",
        {"code": "路灯", "name": "路灯不亮", "route": "department", "tier": "general", "valid_from": "2026-12-01"},
    )
    assert bad.status_code == 400
    assert "类别代码为字母" in bad.content.decode() and "须选择本县的承办部门" in bad.content.decode()
    assert not Category.objects.filter(name="路灯不亮").exists()
    done = organizer.post(
        f"/requests/settings/{COUNTY}/categories/new/",
        {
            "code": "light",
            "name": "路灯不亮",
            "route": "village",
            "tier": "urgent",
            "valid_from": "2026-12-01",
            "public": "on",
        },
    )
    assert done.status_code == 302
    light = Category.objects.get(county_id=COUNTY, code="light")
    assert (light.route, light.tier, light.public) == ("village", "urgent", True)
    # editing: the routing changes; a second form still holding the old version saves nothing
    form = organizer.get(f"/requests/settings/category/{light.pk}/")
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    department = made["building"].department
    assert department is not None
    edited = organizer.post(
        f"/requests/settings/category/{light.pk}/",
        {"version": 1, "name": "路灯照明", "route": "department", "department": department.pk, "tier": "general"},
    )
    assert edited.status_code == 302
    light.refresh_from_db()
    assert (light.name, light.route, light.department_id, light.version) == ("路灯照明", "department", department.pk, 2)
    stale = organizer.post(
        f"/requests/settings/category/{light.pk}/",
        {"version": 1, "name": "路灯", "route": "village", "tier": "general"},
    )
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    light.refresh_from_db()
    assert light.name == "路灯照明"
    # retiring: not before today; from today on it is no longer offered, the requests that name it keep it
    request = file_request(VILLAGE_A, category="light", title="村口路灯不亮")
    today = timezone.localdate()
    organizer.post(f"/requests/settings/category/{light.pk}/retire/", {"version": 2, "valid_to": "2020-01-01"})
    light.refresh_from_db()
    assert light.valid_to is None
    organizer.post(f"/requests/settings/category/{light.pk}/retire/", {"version": 2, "valid_to": today.isoformat()})
    light.refresh_from_db()
    assert light.valid_to == today and light.version == 3
    assert light in categories_in_force(COUNTY, today)
    assert light not in categories_in_force(COUNTY, today + timedelta(days=1))
    request.refresh_from_db()
    assert request.category_id == light.pk


def test_limits_are_dated_and_the_past_is_not_edited(zouping: Any, make_user: Any) -> None:
    categories()
    organizer = web_client(make_user("county_organizer", COUNTY))
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    past = organizer.post(
        f"/requests/settings/{COUNTY}/limits/",
        {"tier": "general", "amount": "5", "unit": "working_days", "valid_from": "2026-01-01"},
    )
    assert past.status_code == 400 and "起用日期不能早于今天" in past.content.decode()
    halves = organizer.post(
        f"/requests/settings/{COUNTY}/limits/",
        {"tier": "general", "amount": "2.5", "unit": "hours", "valid_from": tomorrow.isoformat()},
    )
    assert halves.status_code == 400 and "小时和自然日须为整数" in halves.content.decode()
    assert not TierLimit.objects.exists()
    done = organizer.post(
        f"/requests/settings/{COUNTY}/limits/",
        {"tier": "general", "amount": "5", "unit": "working_days", "valid_from": today.isoformat()},
    )
    assert done.status_code == 302
    again = organizer.post(
        f"/requests/settings/{COUNTY}/limits/",
        {"tier": "general", "amount": "4", "unit": "working_days", "valid_from": today.isoformat()},
    )
    assert again.status_code == 400 and "已施行，不能修改" in again.content.decode()
    assert TierLimit.objects.get().amount == Decimal(5)
    # a limit not yet in force may be replaced (the same day's row), and the page marks it as pending
    organizer.post(
        f"/requests/settings/{COUNTY}/limits/",
        {"tier": "general", "amount": "6", "unit": "working_days", "valid_from": tomorrow.isoformat()},
    )
    organizer.post(
        f"/requests/settings/{COUNTY}/limits/",
        {"tier": "general", "amount": "3", "unit": "working_days", "valid_from": tomorrow.isoformat()},
    )
    assert [(t.valid_from, t.amount) for t in TierLimit.objects.order_by("valid_from")] == [
        (today, Decimal(5)),
        (tomorrow, Decimal(3)),
    ]
    assert "待施行" in organizer.get(f"/requests/settings/{COUNTY}/").content.decode()
    # the system (the demo, a county's old settings moved in) may still write history
    tier_limit_set(
        actor=SYSTEM, county_code=COUNTY, tier="urgent", amount="12", unit="hours", valid_from=date(2026, 1, 1)
    )


def test_templates_are_edited_with_their_version_and_retired_not_deleted(zouping: Any, make_user: Any) -> None:
    organizer = web_client(make_user("county_organizer", COUNTY))
    empty = organizer.post(f"/requests/settings/{COUNTY}/templates/new/", {"title": "", "text": "x" * 1001})
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()
    assert "目前字符数 1001" in empty.content.decode()
    assert not ResponseTemplate.objects.exists()
    assert (
        organizer.post(
            f"/requests/settings/{COUNTY}/templates/new/", {"title": "已修复", "text": "经现场核实，已修复。"}
        ).status_code
        == 302
    )
    t = ResponseTemplate.objects.get()
    organizer.post(f"/requests/settings/template/{t.pk}/", {"version": 1, "title": "已修复", "text": "已修复完毕。"})
    stale = organizer.post(f"/requests/settings/template/{t.pk}/", {"version": 1, "title": "已修", "text": "旧的"})
    assert stale.status_code == 400
    t.refresh_from_db()
    assert (t.text, t.version) == ("已修复完毕。", 2)
    organizer.post(f"/requests/settings/template/{t.pk}/active/", {"version": 2})
    t.refresh_from_db()
    assert not t.is_active and ResponseTemplate.objects.count() == 1
    assert "已停用" in organizer.get(f"/requests/settings/{COUNTY}/").content.decode()
    organizer.post(f"/requests/settings/template/{t.pk}/active/", {"version": 3, "active": "on"})
    t.refresh_from_db()
    assert t.is_active


@pytest.mark.parametrize(("role", "region"), [("town_officer", TOWN_A), ("village_cadre", VILLAGE_A)])
def test_town_and_village_staff_read_the_settings_but_change_nothing(
    zouping: Any, make_user: Any, role: str, region: str
) -> None:
    made = categories()
    template = template_create(actor=SYSTEM, county_code=COUNTY, title="已修复", text="已修复。")
    staff = web_client(make_user(role, region))
    page = staff.get(f"/requests/settings/{COUNTY}/")
    assert page.status_code == 200 and "道路破损" in page.content.decode() and "新增类别" not in page.content.decode()
    assert staff.get(f"/requests/settings/{OTHER_COUNTY}/").status_code == 404
    road = made["road"]
    refused = [
        staff.get(f"/requests/settings/{COUNTY}/categories/new/"),
        staff.post(f"/requests/settings/{COUNTY}/categories/new/", {"code": "x", "name": "x", "route": "village",
                                                                     "tier": "general", "valid_from": "2026-12-01"}),
        staff.get(f"/requests/settings/category/{road.pk}/"),
        staff.post(f"/requests/settings/category/{road.pk}/", {"version": 1, "name": "改", "route": "town",
                                                               "tier": "general"}),
        staff.post(f"/requests/settings/category/{road.pk}/retire/", {"version": 1, "valid_to": "2099-01-01"}),
        staff.post(f"/requests/settings/{COUNTY}/limits/", {"tier": "general", "amount": "3", "unit": "working_days",
                                                           "valid_from": "2099-01-01"}),
        staff.get(f"/requests/settings/{COUNTY}/templates/new/"),
        staff.post(f"/requests/settings/template/{template.pk}/", {"version": 1, "title": "改", "text": "改"}),
        staff.post(f"/requests/settings/template/{template.pk}/active/", {"version": 1}),
    ]  # fmt: skip
    assert [r.status_code for r in refused] == [403] * len(refused)
    road.refresh_from_db()
    template.refresh_from_db()
    assert (road.version, road.valid_to, template.version, template.is_active) == (1, None, 1, True)
    assert not TierLimit.objects.exists() and not Category.objects.filter(code="x").exists()


def test_the_api_edits_and_retires_with_the_same_rules(zouping: Any, make_user: Any) -> None:
    made = categories()
    organizer = api_client(make_user("county_organizer", COUNTY))
    officer = api_client(make_user("town_officer", TOWN_A))
    road = made["road"]
    listed = organizer.get(f"/api/v1/requests/settings/{COUNTY}/categories").json()
    assert {c["code"]: c["version"] for c in listed}["road"] == 1
    body = {"version": 1, "name": "道路坑洼", "route": "town", "tier": "general"}
    assert officer.post(f"/api/v1/requests/settings/categories/{road.pk}", body, "application/json").status_code == 403
    changed = organizer.post(f"/api/v1/requests/settings/categories/{road.pk}", body, "application/json")
    assert changed.status_code == 200 and changed.json()["route"] == "town" and changed.json()["version"] == 2
    stale = organizer.post(f"/api/v1/requests/settings/categories/{road.pk}", body, "application/json")
    assert stale.status_code == 409
    past = organizer.post(
        f"/api/v1/requests/settings/categories/{road.pk}/retire",
        {"version": 2, "valid_to": "2020-01-01"},
        "application/json",
    )
    assert past.status_code == 400 and "valid_to" in past.json()["errors"]
    t = template_create(actor=SYSTEM, county_code=COUNTY, title="已修复", text="已修复。")
    off = organizer.post(f"/api/v1/requests/settings/templates/{t.pk}/active", {"version": 1, "active": False},
                         "application/json")  # fmt: skip
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert organizer.get(f"/api/v1/requests/settings/{COUNTY}/templates").json() == []
    assert len(organizer.get(f"/api/v1/requests/settings/{COUNTY}/templates?retired=true").json()) == 1


def test_retiring_refuses_a_day_before_the_category_began(zouping: Any) -> None:
    from cunshe.requests.services import category_create, category_retire

    later = category_create(
        actor=SYSTEM, county_code=COUNTY, code="later", name="将来类别", route="village", valid_from=date(2099, 1, 1)
    )
    with pytest.raises(DomainError) as err:
        category_retire(actor=SYSTEM, category=later, valid_to=date(2098, 12, 31), expected_version=1)
    assert "不能早于起用日期" in err.value.field_errors["valid_to"][0]
