from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cunshe.records.modules import module_label
from cunshe.records.permissions import record_policy
from cunshe.records.selectors import modules_in_book, record_book
from cunshe.regions.models import Region
from cunshe.web.htmx import HtmxRequest


@login_required
@require_GET
def book(request: HtmxRequest, code: str) -> HttpResponse:
    if not record_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该记录本。")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404("未找到该区域。")
    module = request.GET.get("module", "")
    page = Paginator(record_book(request.user, code, module=module), 50).get_page(request.GET.get("page"))
    modules = [(m, module_label(m)) for m in modules_in_book(request.user, code)]
    template = "records/book.html#entries" if request.htmx else "records/book.html"
    return render(request, template, {"region": region, "page": page, "module": module, "modules": modules})
