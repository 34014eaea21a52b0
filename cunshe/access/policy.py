"""The access rule in code. Every view, endpoint and service asks a RegionPolicy; nothing else filters by region.

Answers two questions for a model (after Wagtail's permission policies): which objects may this user act on
(a queryset, so that anything else is a 404), and may this user do this to this object (for services)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from cunshe.access.roles import roles_with
from cunshe.core.actors import is_system
from cunshe.core.errors import NotPermitted
from cunshe.records.kept import kept_while_marked


@dataclass(frozen=True)
class Grant:
    role: str
    region_code: str
    department_id: int | None


def grants_of(user: Any) -> list[Grant]:
    """The user's active role assignments, kept on the user object for the request and by each worker while the
    account's marker (User.shell_version, moved by role_assign and role_revoke) stands still."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_cunshe_grants", None)
    if cached is None:

        def read() -> list[Grant]:
            return [
                Grant(role=a.role, region_code=a.region_id, department_id=a.department_id)
                for a in user.role_assignments.filter(is_active=True).order_by("region_id", "role")
            ]

        cached = kept_while_marked("grants", user, read)
        user._cunshe_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    for kept in ("_cunshe_grants", "_cunshe_prefixes"):
        if hasattr(user, kept):
            delattr(user, kept)


def region_prefixes(user: Any, capability: str) -> list[str]:
    """Codes of the regions under which the user holds `capability`, shortest first, without redundant children.

    Kept on the user object beside the grants, per capability: a roll-up asks `can_in_region` for every village of
    a county (hundreds of calls a request), each of which needs these prefixes."""
    allowed = roles_with(capability)  # an unknown capability is an error even for a user without grants
    grants = grants_of(user)
    if not grants:
        return []
    memo: dict[str, list[str]] | None = getattr(user, "_cunshe_prefixes", None)
    if memo is None:
        memo = user._cunshe_prefixes = {}
    found = memo.get(capability)
    if found is None:
        codes = sorted({g.region_code for g in grants if g.role in allowed}, key=lambda c: (len(c), c))
        found = []
        for code in codes:
            if not any(code.startswith(k) for k in found):
                found.append(code)
        memo[capability] = found
    return list(found)


def scope_root(user: Any) -> str:
    """The longest code every one of the user's regions lies under ("" without grants, or across provinces): what
    a list of the user's rows is written under in the record book (records.kept: its chains and those above it)."""
    codes = [g.region_code for g in grants_of(user)]
    root = min(codes, default="")
    for code in codes:
        while not code.startswith(root):
            root = root[:-1]
    return root


# The code lengths of the levels above a region: 37 › 3716 › 371681 › 371681001 › 371681001213.
_ANCESTOR_LENGTHS = (2, 4, 6, 9)


def _ancestors(code: str) -> list[str]:
    return [code[:n] for n in _ANCESTOR_LENGTHS if n < len(code)]


def holds(user: Any, capability: str, region_code: str, *, from_below: bool = False) -> bool:
    """Does the user hold the capability at this region: under one of their regions, or, with `from_below`,
    at a region above one of theirs (a county's term change concerns everyone working in the county)."""
    prefixes = region_prefixes(user, capability)
    if any(region_code.startswith(p) for p in prefixes):
        return True
    return from_below and any(region_code in _ancestors(p) for p in prefixes)


def scope_q(user: Any, capability: str, column: str, *, from_below: bool = False) -> Q | None:
    """Q for "the value of `column` (a region code) lies under one of the user's regions" (and, with `from_below`,
    "or at a region above one of them"); None means nothing."""
    prefixes = region_prefixes(user, capability)
    if not prefixes:
        return None
    condition = reduce(or_, (Q(**{f"{column}__startswith": p}) for p in prefixes))
    if from_below:
        condition |= Q(**{f"{column}__in": sorted({a for p in prefixes for a in _ancestors(p)})})
    return condition


class RegionPolicy[M: Model]:
    """The access rule for one model whose rows belong to a region through `region_path` (e.g. "region").

    `seen_from_below` names the actions for which a row at a region above the user's is in scope too: a county's
    term change or settings are read by the town and village users working under it, but changed only from above.
    """

    def __init__(
        self, model: type[M], *, region_path: str, actions: dict[str, str], seen_from_below: tuple[str, ...] = ()
    ) -> None:
        self.model = model
        self.region_path = region_path
        self.actions = actions
        self.column = region_path
        self.seen_from_below = seen_from_below

    def capability(self, action: str) -> str:
        try:
            return self.actions[action]
        except KeyError as exc:
            raise LookupError(f"{self.model.__name__} has no action {action!r}") from exc

    def visible_to(self, user: Any, action: str = "view", queryset: QuerySet[M] | None = None) -> QuerySet[M]:
        qs = queryset if queryset is not None else self.model._default_manager.all()
        condition = scope_q(user, self.capability(action), self.column, from_below=action in self.seen_from_below)
        return qs.none() if condition is None else qs.filter(condition)

    def region_code_of(self, obj: M) -> str:
        if self.region_path == "code":
            return str(obj.pk)
        *hops, last = self.region_path.split("__")
        target: Any = obj
        for hop in hops:
            target = getattr(target, hop)
        return str(getattr(target, f"{last}_id"))

    def regions_for(self, user: Any, action: str = "view") -> list[str]:
        """To which regions may this user do `action` (their widest codes, shortest first): pickers and lists."""
        return region_prefixes(user, self.capability(action))

    def anywhere(self, user: Any, action: str = "view") -> bool:
        """May this user do `action` at all, somewhere: whether a page or a button is offered."""
        return bool(self.regions_for(user, action))

    def counties_for(self, user: Any, action: str = "view") -> list[str]:
        """The codes of the counties in which the user may do `action` somewhere (a town officer's county too)."""
        return sorted({code[:6] for code in self.regions_for(user, action) if len(code) >= 6})

    def can(self, user: Any, action: str, obj: M) -> bool:
        return self.can_in_region(user, action, self.region_code_of(obj))

    def can_in_region(self, user: Any, action: str, region_code: str) -> bool:
        if is_system(user):  # the explicit system actor: a deliberate, recorded skip of the check
            return True
        return holds(user, self.capability(action), region_code, from_below=action in self.seen_from_below)

    def get_or_404(self, user: Any, action: str = "view", queryset: QuerySet[M] | None = None, **lookup: Any) -> M:
        """Fetch through the scope: what the user may not see does not exist for them."""
        try:
            return self.visible_to(user, "view", queryset).get(**lookup)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404("未找到该记录。") from exc

    def check(self, user: Any, action: str, obj: M, *, message: str = "您的角色无权执行此操作。") -> None:
        """For services and views: a visible object the role may not change is refused (403, `message`); an
        invisible one does not exist (404, neutral)."""
        if self.can(user, action, obj):
            return
        if action != "view" and self.can(user, "view", obj):
            raise NotPermitted(message)
        raise Http404("未找到该记录。")

    def village_or_404(self, user: Any, code: str, action: str = "view") -> Any:
        """The village (level 5) with this code when the user may do `action` there; otherwise it does not exist."""
        from cunshe.regions.models import Level, Region

        village = (
            Region.objects.filter(code=code, level=Level.VILLAGE).first()
            if self.can_in_region(user, action, code)
            else None
        )
        if village is None:
            raise Http404("未找到该村(社区)。")
        return village

    def home_region_code(self, user: Any, action: str = "view") -> str:
        """The widest region where the user may do `action`: where a roll-up opens when nothing else is asked."""
        prefixes = region_prefixes(user, self.capability(action))
        return prefixes[0] if prefixes else ""

    def rollup_region(self, user: Any, asked: str, action: str = "view", *, fallback: bool = True) -> Any:
        """The region a roll-up table is for: the one asked for when the user may see it; else, for pages, their own
        widest (a table outside their regions would only be empty) and, for the API (`fallback=False`), a 404.
        A user with no region for this gets a 404."""
        from cunshe.regions.selectors import region_kept

        region = None
        if asked and self.can_in_region(user, action, asked):
            region = region_kept(asked)
        if region is None and asked and not fallback:
            raise Http404("未找到该区域。")
        if region is None:
            region = region_kept(self.home_region_code(user, action))
        if region is None:
            raise Http404("您没有可查看的区域。")
        return region

    def check_in_region(
        self,
        user: Any,
        action: str,
        region_code: str,
        *,
        message: str = "您无权在该区域执行此操作。",
        missing: str = "未找到该记录。",
    ) -> None:
        """The one refusal rule for acting in a region: a region the user may not even see does not exist for them
        (404, the neutral `missing`: "未找到该县。", never "您无权…"); one they see but may not act in is a 403
        (`message`)."""
        if self.can_in_region(user, action, region_code):
            return
        if action != "view" and self.can_in_region(user, "view", region_code):
            raise NotPermitted(message)
        raise Http404(missing)

    def check_region(self, user: Any, action: str, region_code: str) -> None:
        if not self.can_in_region(user, action, region_code):
            raise NotPermitted("您无权在该区域执行此操作。")
