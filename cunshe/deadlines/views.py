from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cunshe.deadlines.work_items import overdue_items_for


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "deadlines/overdue.html", {"items": overdue_items_for(request.user)})
