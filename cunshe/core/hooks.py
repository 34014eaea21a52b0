"""The one shape of "a module hears back from another without the other knowing it".

The module that acts owns a hook and calls it; a listening module registers a handler in its AppConfig.ready().
Handlers are kept by name, so a ready() that runs twice (tests) replaces its handler rather than adding a second one,
and they run in the caller's transaction: the listener's write and the caller's commit together or neither does.

- `Hook`: every registered handler hears every call (the issue board telling whoever counts its items).
- `KeyedHook`: one handler per key, and a call reaches the one for its key only (an order placed by "requests:12"
  goes back to requests).
"""

from __future__ import annotations

from collections.abc import Callable


class _Handlers[**P]:
    def __init__(self, name: str) -> None:
        self.name = name  # what the hook is, for a reader of a traceback
        self._handlers: dict[str, Callable[P, object]] = {}

    def register(self, name: str, handler: Callable[P, object]) -> None:
        """Register (or replace, by name or key) a handler; what it returns is ignored."""
        self._handlers[name] = handler

    def unregister(self, name: str) -> None:
        self._handlers.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._handlers


class Hook[**P](_Handlers[P]):
    """Handlers by name; `call` runs each of them (in the order registered) with the same arguments."""

    def call(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for handler in list(self._handlers.values()):  # a handler may register another: run the ones there now
            handler(*args, **kwargs)


class KeyedHook[**P](_Handlers[P]):
    """One handler per key; `call(key, ...)` runs the handler of that key, if any (a key nobody registered is silent)."""

    def call(self, key: str, /, *args: P.args, **kwargs: P.kwargs) -> None:
        handler = self._handlers.get(key)
        if handler is not None:
            handler(*args, **kwargs)
