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

if TYPE_CHECKING:
    from cunshe.requests.models import Request

SolvedHook = Callable[["Request"], None]
_solved_hooks: dict[str, SolvedHook] = {}


def register_solved_hook(handler: SolvedHook, *, name: str = "") -> None:
    _solved_hooks[name or f"{handler.__module__}.{handler.__qualname__}"] = handler


def unregister_solved_hook(name: str) -> None:
    _solved_hooks.pop(name, None)


def request_solved(request: Request) -> None:
    for handler in list(_solved_hooks.values()):
        handler(request)
