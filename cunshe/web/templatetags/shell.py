"""The shell's fixed links (base.html), reversed once per process and script prefix: as {% url %} tags they cost
about 0.4 ms on every page (issue 15)."""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()

SHELL_VIEWS = {
    "home": "web:home",
    "public": "public:index",
    "bell": "notifications:list",
    "queue": "offline:queue",
    "password": "accounts:password_change",
    "logout": "accounts:logout",
    "login": "accounts:login",
}


@functools.cache
def _links(script_prefix: str) -> dict[str, str]:
    return {name: reverse(view) for name, view in SHELL_VIEWS.items()}


@register.simple_tag
def shell_link(name: str) -> str:
    """The URL of one of SHELL_VIEWS, as {% url %} gives it (escaped by the template like any tag's answer)."""
    return _links(get_script_prefix())[name]
