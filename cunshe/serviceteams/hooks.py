"""Where a module that hands orders to the teams hears back (团队接单 → 结果反馈) without this module knowing it.

An order placed for another module carries `external_ref` "<module>:<id>" (e.g. "requests:123"); that module
registers a handler for its prefix (in its AppConfig.ready()). The handler runs inside the transaction of the team's
completion, decline or cancellation, so both sides commit together or neither does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cunshe.serviceteams.models import Order

# (the order after the change, the name of the team it was with, whether the placing module withdrew it itself)
OrderHook = Callable[["Order", str, bool], None]
_hooks: dict[str, OrderHook] = {}


def register_order_hook(prefix: str, handler: OrderHook) -> None:
    _hooks[prefix] = handler


def order_changed(order: Order, team_name: str, *, withdrawn: bool = False) -> None:
    prefix = order.external_ref.split(":", 1)[0] if ":" in order.external_ref else ""
    handler = _hooks.get(prefix)
    if handler is not None:
        handler(order, team_name, withdrawn)
