"""Where other modules hook into requests without this module knowing them.

Points (信用+积分, built beside this module): a request the resident confirms as solved may earn points for whoever
solved it. The lead registers the points module's handler here (e.g. in its AppConfig.ready()):

    from cunshe.requests.hooks import register_solved_hook
    register_solved_hook(points_for_solved_request)

Each handler is called inside the transaction of the resident's answer (so the points entry and the answer commit
together, or neither), with the request; it must be idempotent per request (an answer can be given once per
closing, and a request reopened and solved again calls it again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cunshe.core.hooks import Hook

if TYPE_CHECKING:
    from cunshe.requests.models import Request

solved_hooks: Hook[[Request]] = Hook("requests.request_solved")
unregister_solved_hook = solved_hooks.unregister
request_solved = solved_hooks.call


def register_solved_hook(handler: Callable[[Request], object], *, name: str = "") -> None:
    """The name defaults to the handler's own dotted name (points registers without one)."""
    solved_hooks.register(name or f"{handler.__module__}.{handler.__qualname__}", handler)
