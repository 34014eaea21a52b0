from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from cunshe.termchanges.models import Milestone, Status, TermChange
from cunshe.termchanges.permissions import term_change_policy


def term_changes_visible(user: Any) -> QuerySet[TermChange]:
    return (
        term_change_policy.visible_to(user)
        .select_related("county")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("position")))
    )


def current_term_change(county_code: str) -> TermChange | None:
    """The county's term change in progress, for modules whose records belong to it."""
    return (
        TermChange.objects.filter(county_id=county_code[:6]).exclude(status=Status.COMPLETED).order_by("-year").first()
    )
