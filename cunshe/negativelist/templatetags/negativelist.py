"""`{% negative_flag person %}` (a Person or its id) marks a person with an unresolved negative-list entry on any page; the flag says
only that there is one. `{% negative_entries person as entries %}` gives the details to those who may see them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cunshe.negativelist.selectors import entries_of_person, flagged_person_ids

register = template.Library()


def _flags(context: template.Context) -> set[int]:
    request = context.get("request")
    if request is None:
        return set()
    cached: set[int] | None = getattr(request, "_negative_flags", None)
    if cached is None:
        cached = flagged_person_ids(request.user)
        request._negative_flags = cached
    return cached


@register.simple_tag(takes_context=True)
def negative_flag(context: template.Context, person: Any) -> SafeString | str:
    """`person` is a Person or a person's id: rows that hold only the id (`c.person_id`) need no query for it."""
    if person is None or (person if isinstance(person, int) else person.pk) not in _flags(context):
        return ""
    return format_html('<span class="badge warn" title="{}">负面清单</span>', "此人有未办结的负面清单信息")


@register.simple_tag(takes_context=True)
def negative_entries(context: template.Context, person: Any) -> Any:
    request = context.get("request")
    return entries_of_person(request.user, person) if request is not None else None
