from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string


def election_section(request: HttpRequest, election: Any) -> str:
    return ""


def public_section(request: Any, region: Any) -> str:
    return ""
