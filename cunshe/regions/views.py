from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cunshe.regions.models import Level, Region
from cunshe.regions.permissions import region_policy
from cunshe.regions.sections import region_sections
from cunshe.regions.selectors import region_ancestors, region_children, regions_search, user_root_regions
from cunshe.web.htmx import HtmxRequest
from cunshe.web.kept_pages import list_page_kept, render_kept


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    roots = user_root_regions(request.user)
    if len(roots) == 1:
        return redirect("regions:detail", code=roots[0].code)
    return render(request, "regions/index.html", {"roots": roots})


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    region = region_policy.get_or_404(request.user, code=code)
    # Kept whole under the region's change number and the day: its units change by an import, recorded on the
    # region's county (or above it), and the sections modules add (a handover's account freeze) by their services,
    # recorded on the village (issue 15).
    kept = list_page_kept(request, "regions.detail", region_code=region.code)
    return render_kept(request, kept, "regions/detail.html", lambda: _detail_context(request, region))


def _detail_context(request: HttpRequest, region: Region) -> dict[str, Any]:
    visible_ancestors = set(
        region_policy.visible_to(request.user).filter(code__in=region.ancestor_codes()).values_list("code", flat=True)
    )
    return {
        "region": region,
        "ancestors": region_ancestors(region),
        "visible_ancestors": visible_ancestors,
        "children": region_children(region) if region.level < Level.VILLAGE else [],
        "is_village": region.level == Level.VILLAGE,
        "sections": region_sections(request, region),
    }


@login_required
@require_GET
def search(request: HtmxRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = list(regions_search(request.user, query, under=request.GET.get("under", "")))
    template = "regions/search.html#results" if request.htmx else "regions/search.html"
    return render(request, template, {"query": query, "results": results})
