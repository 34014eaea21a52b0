"""`{% conduct_link person as url %}`: the address of the person's 执行力档案 when one exists that this user may read
(the same selector and access rule as the 执行力档案 page), else "". Lets the person page link to it without the
people module knowing handovers."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from cunshe.handovers.selectors import conduct_of

register = template.Library()


@register.simple_tag(takes_context=True)
def conduct_link(context: template.Context, person: Any) -> str:
    request = context.get("request")
    if request is None or person is None or not conduct_of(request.user, person.pk).exists():
        return ""
    return reverse("handovers:person_conduct", kwargs={"pk": person.pk})
