"""The bell in the shell: the unread count, read only when a page shows it, at most once a request, and kept by the
worker while the account's marker stands still (the services that write or read notifications move it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cunshe.access.policy import region_prefixes
from cunshe.notifications.selectors import unread_count
from cunshe.records.kept import kept_while_marked


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(request, "_cunshe_unread", None)
    if cached is None:
        cached = SimpleLazyObject(lambda: kept_while_marked("unread", user, lambda: unread_count(user)))
        request._cunshe_unread = cached  # type: ignore[attr-defined]
    # From the grants the shell has read already: no query.
    return {"unread_notifications": cached, "can_remind": bool(region_prefixes(user, "notifications.remind"))}
