"""The public area (no login). Modules add links to its index and sections to a region's public page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class PublicLink:
    title: str
    url: str


_links: dict[str, PublicLink] = {}
_sections: dict[str, Callable[[Any, Any], SafeString | str]] = {}


def register_public_link(name: str, link: PublicLink) -> None:
    _links[name] = link


def register_public_section(name: str, render: Callable[[Any, Any], SafeString | str]) -> None:
    """`render(request, region)` returns an HTML fragment, or "" when the module has nothing public there."""
    _sections[name] = render


def public_links() -> list[PublicLink]:
    return list(_links.values())


def public_sections(request: Any, region: Any) -> list[SafeString | str]:
    return [html for html in (render(request, region) for render in _sections.values()) if html]
