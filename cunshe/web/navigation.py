"""The top navigation: each module's entry, shown only to roles that hold the capability to use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

from cunshe.access.policy import grants_of, roles_with


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capabilities: tuple[str, ...] = ()  # any of them; empty means every signed-in user
    group: str = ""  # entries of a group share one menu, so a county organizer's bar fits a phone


@dataclass
class NavItem:
    """What the bar shows: a link, or a menu of links when a user may use more than one entry of a group."""

    label: str
    url: str = ""
    children: list[tuple[str, str]] = field(default_factory=list)


PREPARATION, REVIEW, BASICS = "换届准备", "选举交接", "基础信息"
# The new team's first year and the day-to-day service grew to twenty entries: as plain links they filled a phone's
# whole first screen before the page began (a village cadre works from the phone).
FIRST_YEAR, SERVICE = "新班子履职", "治理服务"

NAVIGATION = [
    NavEntry("首页", "web:home"),
    NavEntry("作战图", "command:index", ("command.view",)),
    NavEntry("换届", "termchanges:list", ("termchanges.view",), PREPARATION),
    NavEntry("走访", "visits:overview", ("visits.view",), PREPARATION),
    NavEntry("问题清单", "issueboard:board", ("issueboard.view",), PREPARATION),
    NavEntry("选情", "readiness:overview", ("readiness.view",), PREPARATION),
    NavEntry("两票一度", "assessments:index", ("assessments.view",), PREPARATION),
    NavEntry("后备干部", "reserves:list", ("reserves.view",), PREPARATION),
    NavEntry("人选库", "reserves:pool", ("reserves.view",), PREPARATION),
    NavEntry("负面清单", "negativelist:list", ("negativelist.view",), PREPARATION),
    NavEntry("双评三考", "appraisals:list", ("appraisals.view",), PREPARATION),
    NavEntry("云联审", "reviews:index", ("reviews.view", "reviews.answer"), REVIEW),
    NavEntry("选举", "elections:list", ("elections.view",), REVIEW),
    NavEntry("选举日看板", "counts:board", ("elections.view",), REVIEW),
    NavEntry("交接", "handovers:list", ("handovers.view",), REVIEW),
    NavEntry("开门一件事", "commitments:ledger", ("commitments.view",), FIRST_YEAR),
    NavEntry("开门七件事", "firstyear:index", ("firstyear.view",), FIRST_YEAR),
    NavEntry("任职培训", "trainings:list", ("trainings.view",), FIRST_YEAR),
    NavEntry("四议两公开", "decisions:index", ("decisions.view",), SERVICE),
    NavEntry("村务公开", "disclosures:index", ("disclosures.view",), SERVICE),
    NavEntry("党建工作", "partywork:index", ("partywork.view",), SERVICE),
    NavEntry("民意调查", "surveys:list", ("surveys.view",), SERVICE),
    NavEntry("服务队", "serviceteams:index", ("serviceteams.view",), SERVICE),
    NavEntry("调研组与六清", "investigations:index", ("investigations.view",), FIRST_YEAR),
    NavEntry("换届志愿服务队", "volunteers:index", ("volunteers.view",), REVIEW),
    NavEntry("信用+积分", "points:index", ("points.view",), SERVICE),
    NavEntry("暖心清单", "carelist:index", ("carelist.view",), FIRST_YEAR),
    NavEntry("初心清单", "annuallists:index", ("annuallists.view",), FIRST_YEAR),
    NavEntry("书记突破项目", "breakthroughs:index", ("breakthroughs.view",), FIRST_YEAR),
    NavEntry("集中教育", "education:list", ("education.view",), FIRST_YEAR),
    NavEntry("第一书记", "firstsecretaries:index", ("firstsecretaries.view",), FIRST_YEAR),
    NavEntry("驻村干部", "liaison:index", ("liaison.view",), FIRST_YEAR),
    NavEntry("点评谈心", "talks:index", ("talks.view",), FIRST_YEAR),
    NavEntry("电话公开", "directory:index", ("directory.view",), SERVICE),
    NavEntry("民情诉求", "requests:list", ("requests.view", "requests.department"), SERVICE),
    NavEntry("每日必查", "dailychecks:index", ("dailychecks.view",), FIRST_YEAR),
    NavEntry("区划", "regions:index", ("regions.view",), BASICS),
    NavEntry("人员", "people:list", ("people.view",), BASICS),
    NavEntry("账号管理", "accounts:manage_list", ("accounts.manage",), BASICS),
    NavEntry("我的待办", "deadlines:todo"),
]


def navigation_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = frozenset(g.role for g in grants_of(user))
    # The bar depends only on which roles the user holds (an entry shows when any role grants one of its
    # capabilities, wherever) and on the URL prefix; building it reversed ~40 URLs and asked the policy ~40 times on
    # every page (issue 15: about a fifth of a small list page's time). Kept per process; callers only read it.
    key = (roles, get_script_prefix())
    found = _BUILT.get(key)
    if found is None:
        found = _BUILT[key] = _build(roles)
    return found


_BUILT: dict[tuple[frozenset[str], str], list[NavItem]] = {}


def navigation_html(user: Any, path: str) -> SafeString:
    """The bar's links as the shell shows them (web/_navigation.html), the current page's link marked.

    Rendering the ~30 links with a comparison each was a third of the shell's own rendering time on every page;
    the result depends only on the roles, the URL prefix and which of the bar's links (if any) is this page, so it
    is rendered once per such combination and kept per process."""
    items = navigation_for(user)
    if not items:
        return mark_safe("")
    roles = frozenset(g.role for g in grants_of(user))
    links = _LINKS.get(id(items))
    if links is None:
        links = _LINKS[id(items)] = frozenset(
            url for i in items for url in ([i.url] if not i.children else [u for _, u in i.children])
        )
    current = path if path in links else ""
    key = (roles, get_script_prefix(), current)
    found = _RENDERED.get(key)
    if found is None:
        found = _RENDERED[key] = mark_safe(
            render_to_string("web/_navigation.html", {"navigation": items, "current": current})
        )
    return found


# Keyed by the id of a list kept in _BUILT for the life of the process, so the id is never reused.
_LINKS: dict[int, frozenset[str]] = {}
_RENDERED: dict[tuple[frozenset[str], str, str], SafeString] = {}


def _build(roles: frozenset[str]) -> list[NavItem]:
    items: list[NavItem] = []
    menus: dict[str, NavItem] = {}
    for entry in NAVIGATION:
        if entry.capabilities and not any(roles & roles_with(c) for c in entry.capabilities):
            continue
        link = (entry.label, reverse(entry.url_name))
        if not entry.group:
            items.append(NavItem(label=entry.label, url=link[1]))
        elif entry.group in menus:
            menus[entry.group].children.append(link)
        else:
            menus[entry.group] = NavItem(label=entry.group, children=[link])
            items.append(menus[entry.group])
    # A menu of one would be a detour: show its only entry as a plain link.
    return [NavItem(label=i.children[0][0], url=i.children[0][1]) if len(i.children) == 1 else i for i in items]
