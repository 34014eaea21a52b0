"""The register on the village's public page: once published, names by group (never an ID number, gender or route)
and the decisions on objections."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from cunshe.elections import timeline
from cunshe.elections.models import DIRECT_KINDS, Status
from cunshe.voters.models import ObjectionOutcome, Register
from cunshe.voters.selectors import voters_of


def public_section(request: Any, region: Any) -> SafeString | str:
    register = (
        Register.objects.filter(election__region_id=region.code, election__kind__in=DIRECT_KINDS)
        .exclude(election__status=Status.PREPARING)
        .exclude(election__register_published_on__isnull=True)
        .select_related("election__rules")
        .order_by("-election__election_day")
        .first()
    )
    if register is None:
        return ""
    election = register.election
    voters = list(voters_of(register))
    groups = [(g or "未分组", [v.person.name for v in vs]) for g, vs in groupby(voters, key=lambda v: v.group)]
    published = election.register_published_on
    assert published is not None
    decisions = register.objections.exclude(outcome="").select_related("person")
    return render_to_string(
        "voters/public_section.html",
        {
            "election": election,
            "count": len(voters),
            "groups": groups,
            "objections_close": timeline.objections_close(election.rules, published),
            "decisions": [o for o in decisions if o.outcome in ObjectionOutcome.values],
        },
        request=request,
    )
