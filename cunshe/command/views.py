"""Pages of the command view: the county's or the town's board, and its printable A3 wall chart."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from cunshe.command.permissions import command_policy
from cunshe.command.printouts import wall_chart_response
from cunshe.command.selectors import board
from cunshe.command.serialize import board_data
from cunshe.regions.models import Level, Region
from cunshe.regions.selectors import region_kept
from cunshe.web.kept_pages import list_page_kept, render_kept


def board_region(request: HttpRequest, code: str) -> Region:
    """A county or a town the user may open; anything else (another town, a village, an unknown code) is a 404
    that says nothing of what exists."""
    if len(code) not in (6, 9) or not command_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该区域。")
    region = region_kept(code)
    if region is None or region.level not in (Level.COUNTY, Level.TOWN):
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
    # Kept whole under the reader, the region's change number and the minute (handovers go overdue at their due
    # moment): the board's ten grouped queries and its charts' data are read only when something changed (issue 15).
    kept = list_page_kept(request, "command.board", region_code=region.code, clock="minute")

    def context() -> dict[str, Any]:
        found = board(request.user, region)
        return {"board": found, "data": board_data(found)}

    return render_kept(request, kept, "command/board.html", context)


@login_required
@require_GET
def wall_chart(request: HttpRequest, code: str) -> HttpResponse:
    region = board_region(request, code)
    return wall_chart_response(board(request.user, region))
