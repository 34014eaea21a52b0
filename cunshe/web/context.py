"""What every page's shell needs: the site name and the user's role assignments (read once per request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.web.navigation import navigation_for

SITE_NAME = "村社 · 村(社区)两委工作平台"


def shell(request: HttpRequest) -> dict[str, Any]:
    grants = grants_of(getattr(request, "user", None))
    return {
        "site_name": SITE_NAME,
        "role_labels": sorted({Role(g.role).label for g in grants}),
        "navigation": navigation_for(getattr(request, "user", None)),
    }
