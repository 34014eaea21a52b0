"""What every page's shell needs: the site name and the user's role assignments (read once per request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cunshe.access.policy import grants_of
from cunshe.access.roles import Role
from cunshe.web.navigation import navigation_for, navigation_html

SITE_NAME = "村社 · 村(社区)两委工作平台"


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    grants = grants_of(user)
    return {
        "site_name": SITE_NAME,
        "role_labels": sorted({Role(g.role).label for g in grants}),
        "navigation": navigation_for(user),
        # The bar as HTML, kept per roles and current link (web.navigation.navigation_html); lazy, as partial
        # (htmx) answers never show it.
        "navigation_bar": SimpleLazyObject(lambda: navigation_html(user, request.path)),
    }
