"""Sections of an election's page. The election page belongs to this app, but what it shows comes from the apps
that build on it (the register, the candidates, polling, the count, the result): each registers a section in its
AppConfig.ready(), and the page renders those the user may see, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int  # register 20, candidates 30, polling 40, count 50, result 60, ...
    # Returns the section's HTML (render_to_string of the app's own partial), or "" to show nothing.
    render: Callable[[HttpRequest, Any], str]
    kinds: tuple[str, ...] = ()  # the election kinds it applies to; empty for all


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _sections[section.key] = section


def sections_for(request: HttpRequest, election: Any) -> list[tuple[Section, str]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        if section.kinds and election.kind not in section.kinds:
            continue
        html = section.render(request, election)
        if html:
            shown.append((section, html))
    return shown
