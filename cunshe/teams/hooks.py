"""Where other modules hear that a village's new committee is in place (the elected members hold their posts),
without the election apps knowing them: a module registers a handler in its AppConfig.ready() (e.g. party work opens
the village's branch when its party committee is in place). Handlers run inside the transaction that changed the
team, so both commit together or neither does; they must be idempotent (a rerun or a further round calls again)."""

from __future__ import annotations

from datetime import date

from cunshe.core.hooks import Hook

# a handler gets (village code, committee — a teams.models.Committee value, the day the committee was elected)
team_hooks: Hook[[str, str, date]] = Hook("teams.team_in_place")
register_team_hook = team_hooks.register


def team_in_place(*, village_code: str, committee: str, elected_on: date) -> None:
    team_hooks.call(village_code, committee, elected_on)
