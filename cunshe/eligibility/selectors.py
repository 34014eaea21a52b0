from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.permissions import exclusion_rule_policy


def rules_visible(user: Any) -> QuerySet[ExclusionRule]:
    return exclusion_rule_policy.visible_to(user).select_related("department", "county")


def rules_in_force(county_code: str, on: date) -> QuerySet[ExclusionRule]:
    """The county's rules in force on a date, for services that have already checked access."""
    return ExclusionRule.objects.in_force(on).filter(county_id=county_code[:6]).select_related("department")
