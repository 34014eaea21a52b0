"""To-do items on the home pages and the "my overdue items" list. Each module registers a source: a function
that, for a user, returns that module's open items within the user's regions (read from the scoped querysets)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from cunshe.deadlines.calendar import is_overdue


@dataclass(frozen=True)
class WorkItem:
    module: str
    title: str
    url: str
    region_name: str = ""
    due_at: datetime | None = None

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_at)


Source = Callable[[Any], Iterable[WorkItem]]
_sources: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Called from a module's AppConfig.ready(); a name registers once."""
    _sources[name] = source


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def work_items_for(user: Any) -> list[WorkItem]:
    items = [item for source in _sources.values() for item in source(user)]
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return sorted(items, key=lambda i: (i.due_at or far, i.title))


def overdue_items_for(user: Any) -> list[WorkItem]:
    return [item for item in work_items_for(user) if item.overdue]
