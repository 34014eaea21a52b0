"""Sections that modules add to a region's page (e.g. a handover's account freeze on the village page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString

_sections: dict[str, Callable[[Any, Any], SafeString | str]] = {}


def register_region_section(name: str, render: Callable[[Any, Any], SafeString | str]) -> None:
    """`render(request, region)` returns an HTML fragment, or "" when the module has nothing to show there."""
    _sections[name] = render


def region_sections(request: Any, region: Any) -> list[SafeString | str]:
    return [html for html in (render(request, region) for render in _sections.values()) if html]
