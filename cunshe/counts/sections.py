"""The count's section of the election page (order 50): the boxes and their sheets, and the result of the count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from cunshe.elections.models import ElectionResult
from cunshe.elections.sections import Section, register_section


def render(request: HttpRequest, election: Any) -> str:
    from cunshe.counts.permissions import sheet_policy
    from cunshe.counts.selectors import boxes
    from cunshe.elections.permissions import election_policy

    user = request.user
    if not election_policy.can(user, "view", election):
        return ""
    result = ElectionResult.objects.filter(election=election).first()
    return render_to_string(
        "counts/_section.html",
        {
            "election": election,
            "boxes": boxes(user, election),
            "can_enter": election_policy.can(user, "enter", election) and election.status == "voting",
            "can_settle": sheet_policy.can_in_region(user, "settle", election.region_id),
            "result": result,
        },
        request=request,
    )


def register() -> None:
    register_section(Section(key="counts", title="计票", order=50, render=render))
