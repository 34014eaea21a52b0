"""Who sees and handles requests. Staff reach them by region like everything else (a town its villages, a village
its own); a county department's account (a reviewer bound to accounts.Department) reaches only the requests routed
to its department in its county. The public reaches none of these: it sees published requests, anonymised, through
the public selectors and Open311."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from cunshe.access.policy import RegionPolicy, grants_of, scope_q
from cunshe.access.roles import roles_with
from cunshe.core.actors import is_system
from cunshe.requests.models import Category, Event, Photo, Request, ResponseTemplate, TierLimit, VillageTally

_VIEW = "requests.view"
_HANDLE = "requests.handle"
_CONFIGURE = "requests.configure"
_DEPARTMENT = "requests.department"


class RequestPolicy(RegionPolicy[Request]):
    """The region rule, or the department rule: a grant bound to a department sees (and handles) the requests
    routed to that department under the grant's region."""

    def _departments(self, user: Any) -> list[tuple[str, int]]:
        allowed = roles_with(_DEPARTMENT)
        return [(g.region_code, g.department_id) for g in grants_of(user) if g.role in allowed and g.department_id]

    def _department_q(self, user: Any) -> Q | None:
        pairs = self._departments(user)
        if not pairs:
            return None
        return reduce(or_, (Q(region__startswith=code, department_id=dept) for code, dept in pairs))

    def visible_to(
        self, user: Any, action: str = "view", queryset: QuerySet[Request] | None = None
    ) -> QuerySet[Request]:
        qs = queryset if queryset is not None else Request.objects.all()
        parts = [q for q in (scope_q(user, self.capability(action), "region"), self._department_q(user)) if q]
        return qs.filter(reduce(or_, parts)) if parts else qs.none()

    def can(self, user: Any, action: str, obj: Request) -> bool:
        if is_system(user) or super().can(user, action, obj):
            return True
        if action not in ("view", "handle"):
            return False
        return any(obj.region_id.startswith(code) and obj.department_id == d for code, d in self._departments(user))

    def departments_of(self, user: Any) -> list[int]:
        return sorted({d for _, d in self._departments(user)})


request_policy = RequestPolicy(Request, region_path="region", actions={"view": _VIEW, "handle": _HANDLE})
# A county's categories, limits and templates are read by everyone working under it, changed by the county.
category_policy = RegionPolicy(
    Category, region_path="county", actions={"view": _VIEW, "change": _CONFIGURE}, seen_from_below=("view",)
)
tier_policy = RegionPolicy(
    TierLimit, region_path="county", actions={"view": _VIEW, "change": _CONFIGURE}, seen_from_below=("view",)
)
template_policy = RegionPolicy(
    ResponseTemplate, region_path="county", actions={"view": _VIEW, "change": _CONFIGURE}, seen_from_below=("view",)
)
event_policy = RegionPolicy(Event, region_path="region", actions={"view": _VIEW})
photo_policy = RegionPolicy(Photo, region_path="region", actions={"view": _VIEW})
tally_policy = RegionPolicy(VillageTally, region_path="village", actions={"view": _VIEW})
