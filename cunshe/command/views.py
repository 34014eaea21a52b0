"""Pages of the command view: the county's or the town's board, and its printable A3 wall chart."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cunshe.command.permissions import command_policy
from cunshe.command.printouts import wall_chart_response
from cunshe.command.selectors import board
from cunshe.command.serialize import board_data
from cunshe.regions.models import Level, Region


def board_region(request: HttpRequest, code: str) -> Region:
    """A county or a town the user may open; anything else (another town, a village, an unknown code) is a 404
    that says nothing of what exists."""
    if len(code) not in (6, 9) or not command_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该区域。")
    region = Region.objects.filter(code=code, level__in=[Level.COUNTY, Level.TOWN]).first()
    if region is None:
        raise Http404("未找到该区域。")
    return region


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The user's own widest region: a county organizer's county, a town officer's town."""
    code = command_policy.home_region_code(request.user)
    if not code:
        raise Http404("未找到该区域。")
    return redirect("command:board", code)


@login_required
@require_GET
def board_page(request: HttpRequest, code: str) -> HttpResponse:
    region = board_region(request, code)
    found = board(request.user, region)
    return render(request, "command/board.html", {"board": found, "data": board_data(found)})


@login_required
@require_GET
def wall_chart(request: HttpRequest, code: str) -> HttpResponse:
    region = board_region(request, code)
    return wall_chart_response(board(request.user, region))
