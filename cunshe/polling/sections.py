"""Polling on the election page (order 40) and the published lists on the village's public page."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.elections.models import Election
from cunshe.elections.permissions import election_policy
from cunshe.polling.models import ListKind
from cunshe.polling.selectors import overview
from cunshe.polling.services import scrutineer_problems
from cunshe.regions.models import Level


def election_section(request: Any, election: Any) -> str:
    if not election_policy.can(request.user, "view", election):
        return ""
    o = overview(election)
    problems = [p for s in o.stations for p in scrutineer_problems(s)]
    return render_to_string(
        "polling/_section.html", {"election": election, "o": o, "problems": problems}, request=request
    )


def public_section(request: Any, region: Any) -> SafeString | str:
    """Published lists only (no ID numbers: names and groups)."""
    if region.level != Level.VILLAGE:
        return ""
    items = []
    for election in Election.objects.filter(region_id=region.code, polling_publications__isnull=False).distinct():
        o = overview(election)
        items.append(
            {
                "election": election,
                "stations": o.stations,
                "proxies": o.proxies,
                "mobile": o.published.get(ListKind.MOBILE),
                "proxy": o.published.get(ListKind.PROXY),
            }
        )
    if not items:
        return ""
    return render_to_string("polling/_public.html", {"items": items})


def register_sections() -> None:
    from cunshe.elections.sections import Section, register_section
    from cunshe.web.public import register_public_section

    register_section(Section(key="polling", title="投票安排", order=40, render=election_section))
    register_public_section("polling", public_section)
