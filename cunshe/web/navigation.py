"""The top navigation: each module's entry, shown only to roles that hold the capability to use it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from cunshe.access.policy import region_prefixes


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capabilities: tuple[str, ...] = ()  # any of them; empty means every signed-in user


NAVIGATION = [
    NavEntry("首页", "web:home"),
    NavEntry("换届", "termchanges:list", ("termchanges.view",)),
    NavEntry("走访", "visits:overview", ("visits.view",)),
    NavEntry("问题清单", "issueboard:board", ("issueboard.view",)),
    NavEntry("选情", "readiness:overview", ("readiness.view",)),
    NavEntry("两票一度", "assessments:index", ("assessments.view",)),
    NavEntry("人选库", "reserves:pool", ("reserves.view",)),
    NavEntry("云联审", "reviews:index", ("reviews.view", "reviews.answer")),
    NavEntry("交接", "handovers:list", ("handovers.view",)),
    NavEntry("开门一件事", "commitments:ledger", ("commitments.view",)),
    NavEntry("区划", "regions:index", ("regions.view",)),
    NavEntry("人员", "people:list", ("people.view",)),
    NavEntry("我的逾期事项", "deadlines:overdue"),
    NavEntry("账号管理", "accounts:manage_list", ("accounts.manage",)),
]


def navigation_for(user: Any) -> list[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        (entry.label, reverse(entry.url_name))
        for entry in NAVIGATION
        if not entry.capabilities or any(region_prefixes(user, c) for c in entry.capabilities)
    ]
