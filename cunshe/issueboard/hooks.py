"""Where other modules hear that an item of the issue board changed, without the board knowing them.

A module that keeps something counted off board items (liaison's matters, for one) registers a handler under its
own name in its AppConfig.ready(); the board calls every handler after an item is raised, moved or closed, inside
the same transaction, so the module's count and the board commit together or neither does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunshe.core.hooks import Hook

if TYPE_CHECKING:
    from cunshe.issueboard.models import Issue

# by the registering module's name: registering twice (tests re-running ready()) replaces, never doubles
issue_hooks: Hook[[Issue]] = Hook("issueboard.issue_changed")
register_issue_hook = issue_hooks.register
issue_changed = issue_hooks.call
