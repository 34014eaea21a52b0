"""To-do items on the home pages and the "my overdue items" list. Each module registers a source: a function
that, for a user, returns that module's open items within the user's regions (read from the scoped querysets)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.utils import timezone

from cunshe.deadlines.calendar import deadline_text, is_overdue
from cunshe.records.kept import kept


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

    @property
    def due_label(self) -> str:
        return deadline_text(self.due_at)

    @property
    def module_label(self) -> str:
        return module_label(self.module)


@dataclass(frozen=True)
class ModuleCount:
    module: str
    label: str
    total: int
    overdue: int


def module_label(module: str) -> str:
    """The module's Chinese name (its app's verbose_name), for grouping the to-do list."""
    return str(apps.get_app_config(module).verbose_name) if apps.is_installed(f"cunshe.{module}") else module


Source = Callable[[Any], Iterable[WorkItem]]
# (total, overdue) of a source's items for a user, counted in the database: a source that lists only the most urgent
# items (a town officer may have hundreds) must still report its totals, never the length of its short list.
Counter = Callable[[Any], tuple[int, int]]
_sources: dict[str, Source] = {}
_counters: dict[str, tuple[str, Counter]] = {}


def register_source(name: str, source: Source, *, module: str = "", counter: Counter | None = None) -> None:
    """Called from a module's AppConfig.ready(); a name registers once. A source that caps its list gives its
    module and a counter of the whole."""
    _sources[name] = source
    if counter is not None:
        _counters[name] = (module or name.split(".")[0], counter)


def unregister_source(name: str) -> None:
    _sources.pop(name, None)
    _counters.pop(name, None)


def work_items_for(user: Any) -> list[WorkItem]:
    items = [item for source in _sources.values() for item in source(user)]
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return sorted(items, key=lambda i: (i.due_at or far, i.title))


def select_items(items: Iterable[WorkItem], *, module: str = "", overdue_only: bool = False) -> list[WorkItem]:
    """The items of one module (all when empty), only the overdue ones on request: the to-do page and API filters."""
    return [i for i in items if (not module or i.module == module) and (i.overdue or not overdue_only)]


def overdue_items_for(user: Any) -> list[WorkItem]:
    return select_items(work_items_for(user), overdue_only=True)


def counts_by_module(items: Iterable[WorkItem]) -> list[ModuleCount]:
    """How many items, and how many overdue, each module has in these items."""
    total: dict[str, int] = {}
    late: dict[str, int] = {}
    for item in items:
        total[item.module] = total.get(item.module, 0) + 1
        late[item.module] = late.get(item.module, 0) + item.overdue
    return _sorted_counts(total, late)


def work_items_and_counts(user: Any) -> tuple[list[WorkItem], list[ModuleCount]]:
    """The user's items (most urgent first) and the counts per module: the head of a long to-do list (a county
    organizer has hundreds), most overdue first. A source that lists only its most urgent items reports the totals
    its counter finds in the database, never the length of its short list."""
    items: list[WorkItem] = []
    total: dict[str, int] = {}
    late: dict[str, int] = {}
    for name, source in _sources.items():
        got = list(source(user))
        items += got
        if name in _counters:
            module, counter = _counters[name]
            all_items, overdue = counter(user)
            if all_items:
                total[module] = total.get(module, 0) + all_items
                late[module] = late.get(module, 0) + overdue
            continue
        for item in got:
            total[item.module] = total.get(item.module, 0) + 1
            late[item.module] = late.get(item.module, 0) + item.overdue
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    return sorted(items, key=lambda i: (i.due_at or far, i.title)), _sorted_counts(total, late)


def _sorted_counts(total: dict[str, int], late: dict[str, int]) -> list[ModuleCount]:
    counts = [ModuleCount(m, module_label(m), total[m], late[m]) for m in total]
    return sorted(counts, key=lambda c: (-c.overdue, -c.total, c.label))


def work_summary(user: Any, *, head: int) -> tuple[list[WorkItem], list[ModuleCount]]:
    """The home page's to-do summary: the `head` most urgent items and the counts per module, as
    work_items_and_counts gives them, kept per user while nothing changed (records.kept: every chain, the minute:
    review batches, disclosures and first-year items fall due at a time of day).

    Building it asks every source for every open item (77% of a county organizer's home page)."""

    def build() -> tuple[list[WorkItem], list[ModuleCount]]:
        items, counts = work_items_and_counts(user)
        return items[:head], counts

    return kept(f"work-summary:{head}", user, build, clock="minute")
