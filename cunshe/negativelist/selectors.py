from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cunshe.negativelist.models import UNRESOLVED, NegativeEntry
from cunshe.negativelist.permissions import entry_policy


def entries_visible(user: Any, *, under: str = "", state: str = "") -> QuerySet[NegativeEntry]:
    qs = entry_policy.visible_to(user, "view").select_related("person", "rule", "region")
    if under:
        qs = qs.filter(region__startswith=under)
    if state:
        qs = qs.filter(state=state)
    return qs


def entries_of_person(user: Any, person: Any) -> QuerySet[NegativeEntry] | None:
    """The details for those who may see them; None for everyone else (they see only the flag)."""
    if not entry_policy.can_in_region(user, "view", person.region_id):
        return None
    return entries_visible(user).filter(person=person)


def flagged_person_ids(user: Any) -> set[int]:
    """Ids of the people with an unresolved entry in the user's regions: one query, reused by the template tag
    for every row of a page, so flagging a list costs the same for ten rows as for a thousand."""
    return set(entry_policy.visible_to(user, "flag").filter(state__in=UNRESOLVED).values_list("person_id", flat=True))


def is_flagged(person_id: int) -> bool:
    """For services of other modules (the candidate pool, the joint review) that have already checked access."""
    return NegativeEntry.objects.filter(person_id=person_id, state__in=UNRESOLVED).exists()
