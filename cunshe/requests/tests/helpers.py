"""A county's categories (village, town and department routes) and requests filed through the services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cunshe.accounts.models import Department
from cunshe.core.actors import SYSTEM
from cunshe.requests.models import Category, Request
from cunshe.requests.services import category_create, request_create
from cunshe.serviceteams.models import ServiceTeam
from cunshe.serviceteams.services import team_create

COUNTY = "371681"
SINCE = date(2026, 1, 1)


def categories(county: str = COUNTY) -> dict[str, Category]:
    if Category.objects.filter(county_id=county, code="road").exists():
        return {c.code: c for c in Category.objects.filter(county_id=county)}
    department, _ = Department.objects.get_or_create(county_id=county, name="市住房城乡建设局")
    return {
        "road": category_create(
            actor=SYSTEM, county_code=county, code="road", name="道路破损", route="village", valid_from=SINCE
        ),
        "water": category_create(
            actor=SYSTEM, county_code=county, code="water", name="停水漏水", route="town", tier="urgent",
            valid_from=SINCE,
        ),
        "building": category_create(
            actor=SYSTEM, county_code=county, code="building", name="房屋安全", route="department",
            department_id=department.pk, tier="complex", valid_from=SINCE,
        ),
        "dispute": category_create(
            actor=SYSTEM, county_code=county, code="dispute", name="邻里纠纷", route="village", public=False,
            valid_from=SINCE,
        ),
    }  # fmt: skip


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def file_request(
    village: str, *, actor: Any = SYSTEM, category: str = "road", title: str = "村口路面塌陷", **more: Any
) -> Request:
    categories(village[:6])
    fields: dict[str, Any] = {
        "channel": "visit",
        "description": "村口主路有一处塌陷，夜间通行危险。",
        "reporter_name": "王大爷",
        "reporter_phone": "13800000001",
        **more,
    }
    return request_create(actor=actor, village_code=village, category_code=category, title=title, **fields)


def village_team(village: str) -> ServiceTeam:
    """The village's service team that takes requests (团队接单), made once through the serviceteams service."""
    name = "诉求承办服务队"
    existing = ServiceTeam.objects.filter(region_id=village, name=name).first()
    return existing or team_create(actor=SYSTEM, region_code=village, name=name, kind="volunteer")
