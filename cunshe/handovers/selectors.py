from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.access.roles import Role
from cunshe.accounts.models import User
from cunshe.handovers.models import (
    ConductRecord,
    Confirmation,
    GroupMember,
    Handover,
    Kind,
    Leftover,
    Scan,
    Status,
    VillageSummary,
)
from cunshe.handovers.permissions import conduct_policy, handover_policy, leftover_policy
from cunshe.regions.models import Level, Region


def handovers_visible(user: Any, *, under: str = "") -> QuerySet[Handover]:
    qs = handover_policy.visible_to(user).select_related("region", "outgoing", "incoming")
    return qs.filter(region__startswith=under) if under else qs


def handover_full(user: Any, pk: int) -> Handover:
    queryset = (
        handover_policy.visible_to(user)
        .select_related("region", "outgoing", "incoming", "working_group", "supervisor", "template", "term_change")
        .prefetch_related(
            "items",
            # The pages list scans by name; their bytes are read only when one is opened.
            Prefetch("items__scans", queryset=Scan.objects.defer("content")),
            Prefetch("confirmations", queryset=Confirmation.objects.select_related("confirmed_by")),
            "leftovers",
            "care",
            Prefetch("group", queryset=GroupMember.objects.select_related("user")),
            "freeze_notices",
        )
    )
    return handover_policy.get_or_404(user, queryset=queryset, pk=pk)


def leftovers_visible(user: Any, *, under: str = "", open_only: bool = False) -> QuerySet[Leftover]:
    qs = leftover_policy.visible_to(user).select_related("region", "handover", "supervisor")
    if under:
        qs = qs.filter(region__startswith=under)
    return qs.filter(status="open") if open_only else qs


def leftover_full(user: Any, pk: int) -> Leftover:
    return leftover_policy.get_or_404(
        user, queryset=leftovers_visible(user).prefetch_related("notes__written_by"), pk=pk
    )


WORKING_GROUP_ROLES = {Role.TOWN_OFFICER, Role.COUNTY_ORGANIZER}
SUPERVISOR_ROLES = {Role.DISCIPLINE_SUPERVISOR}


def staff_for(village_code: str, roles: Collection[str]) -> QuerySet[User]:
    """The accounts holding one of these roles at the village's town or county: whom the opening form offers as
    working group or supervisor (the service then checks that they really cover the village)."""
    return (
        User.objects.filter(
            role_assignments__is_active=True,
            role_assignments__role__in=roles,
            role_assignments__region_id__in=[village_code[:9], village_code[:6]],
        )
        .distinct()
        .order_by("display_name")
    )


def frozen_handovers(village_code: str) -> QuerySet[Handover]:
    """For the village page: handovers whose accounts are still frozen (callers have checked access)."""
    return Handover.objects.filter(region_id=village_code, accounts_frozen=True).select_related("outgoing")


@dataclass
class RollupRow:
    code: str
    name: str
    planned: int = 0
    done: int = 0
    overdue: int = 0
    frozen: int = 0
    leftovers_open: int = 0


def rollup(under: Region) -> tuple[list[RollupRow], RollupRow]:
    """Per child region (towns of a county, villages of a town): sums of the village summary rows by code prefix,
    plus the overdue count from the open handovers' due moment. Three queries whatever the number of rows."""
    width = {Level.COUNTY: 9, Level.TOWN: 12}.get(Level(under.level), 12)
    rows = {
        r.code: RollupRow(code=r.code, name=r.name)
        for r in Region.objects.filter(parent=under).only("code", "name").order_by("code")
    }
    sums = (
        VillageSummary.objects.filter(region__startswith=under.code)
        .annotate(key=Substr("region_id", 1, width))
        .values("key")
        .annotate(planned=Sum("planned"), done=Sum("done"), frozen=Sum("frozen"), leftovers=Sum("leftovers_open"))
    )
    for s in sums:
        row = rows.setdefault(s["key"], RollupRow(code=s["key"], name=s["key"]))
        row.planned, row.done, row.frozen, row.leftovers_open = s["planned"], s["done"], s["frozen"], s["leftovers"]
    overdue = (
        Handover.objects.filter(region__startswith=under.code, status=Status.OPEN, due_at__lt=timezone.now())
        .exclude(kind=Kind.UNIT)  # a town's or county unit's handover is no village's (the roll-up counts villages)
        .annotate(key=Substr("region_id", 1, width))
        .values("key")
        .annotate(n=Count("id"))
    )
    for o in overdue:
        rows.setdefault(o["key"], RollupRow(code=o["key"], name=o["key"])).overdue = o["n"]
    total = RollupRow(code=under.code, name=f"{under.name}合计")
    for row in rows.values():
        for field in ("planned", "done", "overdue", "frozen", "leftovers_open"):
            setattr(total, field, getattr(total, field) + getattr(row, field))
    return list(rows.values()), total


def conduct_of(user: Any, person_id: int) -> QuerySet[ConductRecord]:
    """A person's 执行力档案 entries this user may read (those of handovers in their regions)."""
    return conduct_policy.visible_to(user).filter(person_id=person_id).select_related("filed_by", "handover")


def unit_staff(region_code: str, roles: Collection[str]) -> QuerySet[User]:
    """Accounts holding one of these roles at the unit's region or the county: whom the unit form offers."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__is_active=True,
            role_assignments__role__in=roles,
            role_assignments__region_id__in=sorted({region_code, region_code[:6]}),
        )
        .distinct()
        .order_by("display_name")
    )
