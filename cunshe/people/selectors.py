"""Reads of the people registry, always through the access rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from cunshe.access.policy import region_prefixes, scope_q
from cunshe.people import id_numbers
from cunshe.people.models import KINSHIP_INVERSE, Kinship, Person, Relation
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region


def people_visible(user: Any, *, under: str = "", query: str = "") -> QuerySet[Person]:
    qs = person_policy.visible_to(user, "view").select_related("region")
    if under:
        qs = qs.filter(region__startswith=under)
    query = query.strip()
    if query:
        condition = Q(name__contains=query) | Q(phone__contains=query)
        # Everyone sees the last four characters of an ID number, so those may be searched; a whole number only by
        # roles that see whole numbers (otherwise a search would confirm a number the user may not see).
        if len(query) == 4:
            condition |= Q(id_number__endswith=query.upper())
        elif len(query) == 18 and region_prefixes(user, "people.view_id_number"):
            condition |= Q(id_number=id_numbers.normalize(query)) & (
                scope_q(user, "people.view_id_number", "region") or Q(pk__in=[])
            )
        qs = qs.filter(condition)
    return qs.order_by("region_id", "name", "id")


def shows_id_number(user: Any, person: Person) -> bool:
    return person_policy.can(user, "view_id_number", person)


def person_values(person: Person) -> dict[str, Any]:
    """The editable fields of a person by their input names (the form, the API and the roster share them)."""
    return {
        "name": person.name,
        "id_number": person.id_number,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity,
        "education": person.education,
        "is_party_member": person.is_party_member,
        "party_joined_on": person.party_joined_on,
        "phone": person.phone,
        "region": person.region_id,
        "version": person.version,
    }


def kinship_between(a: Person | int, b: Person | int) -> str:
    """How b is related to a (a Kinship value), or "" when they are not recorded as close relatives."""
    a_id, b_id = (x if isinstance(x, int) else x.pk for x in (a, b))
    row = Relation.objects.filter(person_id=a_id, relative_id=b_id).values_list("kinship", flat=True).first()
    if row:
        return str(row)
    row = Relation.objects.filter(person_id=b_id, relative_id=a_id).values_list("kinship", flat=True).first()
    return KINSHIP_INVERSE[row] if row else ""


def close_relatives(person_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each person id, the ids of their recorded close relatives (both directions), in two queries."""
    ids = set(person_ids)
    found: dict[int, set[int]] = {pk: set() for pk in ids}
    for a, b in Relation.objects.filter(person_id__in=ids).values_list("person_id", "relative_id"):
        found[a].add(b)
    for a, b in Relation.objects.filter(relative_id__in=ids).values_list("person_id", "relative_id"):
        found[b].add(a)
    return found


def relations_of(person: Person) -> list[tuple[Person, str]]:
    """The recorded close relatives of `person`, each with how they are related to `person` (Chinese label), in
    two queries, read both ways."""
    found = [
        (r.relative, Kinship(r.kinship).label)
        for r in Relation.objects.filter(person=person).select_related("relative")
    ]
    found += [
        (r.person, Kinship(KINSHIP_INVERSE[r.kinship]).label)
        for r in Relation.objects.filter(relative=person).select_related("person")
    ]
    return sorted(found, key=lambda pair: pair[0].pk)


def people_for_export(user: Any, *, under: str = "", query: str = "") -> list[Person]:
    """The roster a user may download: the people they see, with the resident ID masked where they may not read
    it whole (the same rule as the pages)."""
    people = list(people_visible(user, under=under, query=query))
    for person in people:
        if not shows_id_number(user, person):
            person.id_number = person.id_number_masked
    return people


def villages_user_may_change(user: Any) -> list[Region]:
    """The villages where the user may register and change people (where an import may put them)."""
    condition = scope_q(user, "people.change", "code")
    if condition is None:
        return []
    return list(Region.objects.filter(condition, level=Level.VILLAGE).order_by("code"))
