"""Reads of the people registry, always through the access rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cunshe.people.models import Person
from cunshe.people.permissions import person_policy


def people_visible(user: Any, *, under: str = "", query: str = "") -> QuerySet[Person]:
    qs = person_policy.visible_to(user, "view").select_related("region")
    if under:
        qs = qs.filter(region__startswith=under)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(id_number__endswith=query.upper()) | Q(phone__contains=query))
    return qs.order_by("region_id", "name", "id")


def shows_id_number(user: Any, person: Person) -> bool:
    return person_policy.can(user, "view_id_number", person)
