"""The shell's pages: the root, the home page per role, the public area and the Chinese error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.accounts.models import Department
from cunshe.deadlines.work_items import work_summary
from cunshe.records.kept import Kept
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import region_ancestors, region_children, region_counts
from cunshe.web.kept_pages import render_kept
from cunshe.web.public import public_links, public_sections

# The most urgent items; the rest are one click away on the to-do page, by module.
HOME_ITEMS = 15


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    return redirect("web:home" if request.user.is_authenticated else "accounts:login")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The roles card and the to-do card kept and rendered once while nothing is recorded anywhere (every chain: the
    # to-do sources span modules and counties), the reader's grants stand still and the minute has not turned
    # (records.Kept, issue 15); the summary inside keeps itself on the same key parts.
    kept = Kept(f"web.home:{HOME_ITEMS}", request.user, lambda: _home(request.user), clock="minute")
    return render_kept(request, kept, "web/home.html", {"kept": kept, "home": kept.lazy()})


def _home(user: Any) -> dict[str, Any]:
    grants = grants_of(user)
    regions = Region.objects.in_bulk([g.region_code for g in grants])
    departments = Department.objects.in_bulk([g.department_id for g in grants if g.department_id])
    counts_under = region_counts([g.region_code for g in grants if regions[g.region_code].level < Level.VILLAGE])
    rows: list[dict[str, Any]] = [
        {
            "role": g.role,
            "role_label": Role(g.role).label,
            "region": regions[g.region_code],
            "department": departments.get(g.department_id) if g.department_id else None,
            "counts": counts_under.get(g.region_code),
        }
        for g in grants
    ]
    items, counts = work_summary(user, head=HOME_ITEMS)
    return {
        "grants": rows,
        "work_items": items,
        "total": sum(c.total for c in counts),
        "counts": counts,
        "overdue_count": sum(c.overdue for c in counts),
    }


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    counties = Region.objects.filter(level=Level.COUNTY).order_by("code")
    return render(request, "public/index.html", {"counties": counties, "public_links": public_links()})


@require_GET
def public_region(request: HttpRequest, code: str) -> HttpResponse:
    # Region names and codes are public data (published by the statistics bureau); nothing else is shown here.
    region = get_object_or_404(Region, code=code)
    return render(
        request,
        "public/region.html",
        {
            "region": region,
            "ancestors": region_ancestors(region),
            "children": region_children(region) if region.level < Level.VILLAGE else [],
            "public_sections": public_sections(request, region),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    response = render(request, "web/csrf_failure.html", status=403)
    return HttpResponseForbidden(response.content)
