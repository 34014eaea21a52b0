"""Where other modules hear that an item of the issue board changed, without the board knowing them.

A module that keeps something counted off board items (liaison's matters, for one) registers a handler under its
own name in its AppConfig.ready(); the board calls every handler after an item is raised, moved or closed, inside
the same transaction, so the module's count and the board commit together or neither does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cunshe.issueboard.models import Issue

IssueHook = Callable[["Issue"], None]
# keyed by the registering module's name: registering twice (tests re-running ready()) replaces, never doubles
_hooks: dict[str, IssueHook] = {}


def register_issue_hook(name: str, handler: IssueHook) -> None:
    _hooks[name] = handler


def issue_changed(issue: Issue) -> None:
    for handler in list(_hooks.values()):
        handler(issue)
