"""The candidates section of an election's page and of a village's public page (after publication only)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.candidates.selectors import ballot_order, board, person_facts
from cunshe.elections.models import Election, Status
from cunshe.regions.models import Level

# Published and not yet decided: after the result the results module shows the elected instead.
SHOWN_PUBLIC = (Status.CANDIDATES_PUBLISHED, Status.VOTING, Status.COUNTED)


def election_section(request: Any, election: Election) -> str:
    return render_to_string("candidates/_section.html", {"election": election, "board": board(election)}, request)


def public_section(request: Any, region: Any) -> SafeString | str:
    if region.level != Level.VILLAGE:
        return ""
    published = Election.objects.filter(
        region=region.code, status__in=SHOWN_PUBLIC, candidates_published_on__isnull=False
    ).order_by("election_day", "pk")
    lists = [(e, [(c, person_facts(c, e.election_day)) for c in ballot_order(e)]) for e in published]
    if not lists:
        return ""
    return render_to_string("candidates/_public.html", {"lists": lists})


def register_sections() -> None:
    from cunshe.elections.sections import Section, register_section
    from cunshe.web.public import register_public_section

    register_section(Section(key="candidates", title="提名与候选人", order=30, render=election_section))
    register_public_section("candidates", public_section)
