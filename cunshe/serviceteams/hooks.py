"""Where a module that hands orders to the teams hears back (团队接单 → 结果反馈) without this module knowing it.

An order placed for another module carries `external_ref` "<module>:<id>" (e.g. "requests:123"); that module
registers a handler for its prefix (in its AppConfig.ready()). The handler runs inside the transaction of the team's
completion, decline or cancellation, so both sides commit together or neither does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunshe.core.hooks import KeyedHook

if TYPE_CHECKING:
    from cunshe.serviceteams.models import Order

# keyed by the ref's prefix; a handler gets (the order after the change, the name of the team it was with, whether
# the placing module withdrew it itself)
order_hooks: KeyedHook[[Order, str, bool]] = KeyedHook("serviceteams.order_changed")
register_order_hook = order_hooks.register


def order_changed(order: Order, team_name: str, *, withdrawn: bool = False) -> None:
    prefix = order.external_ref.split(":", 1)[0] if ":" in order.external_ref else ""
    order_hooks.call(prefix, order, team_name, withdrawn)
