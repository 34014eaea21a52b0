"""The village's public page links its points listing (信用积分公示): residents check their household's points and
raise an objection within the window from there, without knowing the listing's own address."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cunshe.points.models import Listing, ListingStatus
from cunshe.regions.models import Level


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE:
        return ""
    latest = Listing.objects.filter(region_id=region.code).order_by("-year", "-quarter").first()
    if latest is None:
        return ""
    state = (
        f"公示中，异议截止 {latest.objection_until:%Y-%m-%d}"
        if latest.status == ListingStatus.PUBLISHED
        else "公示已结束"
    )
    return format_html(
        '<h2>信用积分公示</h2><p>{} 年第 {} 季度：{}。<a href="{}">查看各户积分</a></p>',
        latest.year,
        latest.quarter,
        state,
        reverse("points_public:village", args=[region.code]),
    )


def register_sections() -> None:
    from cunshe.web.public import register_public_section

    register_public_section("points", public_section)
