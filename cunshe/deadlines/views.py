from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cunshe.deadlines.work_items import overdue_items_for, select_items, work_items_and_counts

PER_PAGE = 50


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    """All of the user's to-do items, by module and overdue-only on request, a page at a time."""
    items, counts = work_items_and_counts(request.user)
    module = request.GET.get("module", "")
    late_only = request.GET.get("overdue") == "1"
    shown = select_items(items, module=module, overdue_only=late_only)
    return render(
        request,
        "deadlines/todo.html",
        {
            "total": sum(c.total for c in counts),
            "listed": len(items),
            "counts": counts,
            "module": module,
            "late_only": late_only,
            "page": Paginator(shown, PER_PAGE).get_page(request.GET.get("page")),
        },
    )


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "deadlines/overdue.html", {"items": overdue_items_for(request.user)})
