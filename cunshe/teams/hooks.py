"""Where other modules hear that a village's new committee is in place (the elected members hold their posts),
without the election apps knowing them: a module registers a handler in its AppConfig.ready() (e.g. party work opens
the village's branch when its party committee is in place). Handlers run inside the transaction that changed the
team, so both commit together or neither does; they must be idempotent (a rerun or a further round calls again)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

# (village code, committee — a teams.models.Committee value, the day the committee was elected); what a handler
# returns is ignored
TeamHook = Callable[[str, str, date], Any]
_hooks: dict[str, TeamHook] = {}


def register_team_hook(name: str, handler: TeamHook) -> None:
    """Register (or replace, by name) a handler; the name keeps a reloaded app from registering twice."""
    _hooks[name] = handler


def team_in_place(*, village_code: str, committee: str, elected_on: date) -> None:
    for handler in list(_hooks.values()):
        handler(village_code, committee, elected_on)
