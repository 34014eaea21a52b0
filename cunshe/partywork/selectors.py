"""Reads of party work, from the policies' scoped querysets: a branch's meetings and cadence, the town and county
roll-ups (read from the cadence rows), model-post results, floating members and the seed-003 counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from cunshe.partywork import hooks, rules
from cunshe.partywork.models import (
    Branch,
    FloatingCard,
    FloatingGroup,
    FloatingMember,
    FloatingReport,
    GroupKind,
    GroupMembership,
    MeetingAttendance,
    MeetingKind,
    MeetingStatus,
    ModelPost,
    PartyMeeting,
    PostRating,
)
from cunshe.partywork.permissions import (
    branch_policy,
    cadence_policy,
    floating_policy,
    group_policy,
    meeting_policy,
    post_policy,
    rating_policy,
)
from cunshe.regions.models import Level, Region


def branches_visible(user: Any) -> QuerySet[Branch]:
    return branch_policy.visible_to(user).select_related("region").order_by("region_id")


def meetings_of(user: Any, branch: Branch) -> QuerySet[PartyMeeting]:
    return (
        meeting_policy.visible_to(user)
        .filter(branch=branch)
        .select_related("chair", "recorder", "branch")
        .annotate(
            due=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status="present")),
        )
        .order_by("-held_at", "-id")
    )


def meeting_full(user: Any, pk: int) -> PartyMeeting:
    return meeting_policy.get_or_404(
        user,
        queryset=PartyMeeting.objects.select_related("branch", "chair", "recorder").prefetch_related(
            Prefetch("attendance", queryset=MeetingAttendance.objects.select_related("person")),
            "decisions",
            "addenda",
        ),
        pk=pk,
    )


@dataclass
class CadenceLine:
    kind: str
    label: str
    every: str
    held: int
    last_held_on: date | None
    due_on: date
    overdue: bool
    missed: list[tuple[date, date]]


EVERY = {rules.MONTH: "每月", rules.QUARTER: "每季度", rules.YEAR: "每年"}


def cadence_of(user: Any, branch: Branch, today: date | None = None) -> list[CadenceLine]:
    """Per kind: the rule, how many signed meetings, when the next is due, overdue, and the past periods missed."""
    today = today or timezone.localdate()
    version = rules.cadence_for(branch.region_id, today)
    rows = {c.kind: c for c in cadence_policy.visible_to(user).filter(branch=branch)}
    signed = (
        PartyMeeting.objects.filter(branch=branch, status=MeetingStatus.SIGNED)
        .values_list("kind", "held_at", "by_secretary")
        .order_by()
    )
    days: dict[str, list[date]] = {}
    for kind, held_at, by_secretary in signed:
        cadence = version.kinds.get(kind)
        if cadence is None or (cadence.by_secretary and not by_secretary):
            continue
        days.setdefault(kind, []).append(timezone.localdate(held_at))
    lines = []
    for kind, cadence in version.kinds.items():
        row = rows.get(kind)
        if row is None:
            continue
        every = EVERY[cadence.months] + ("（书记讲授）" if cadence.by_secretary else "")
        lines.append(
            CadenceLine(
                kind=kind,
                label=str(MeetingKind(kind).label),
                every=every,
                held=row.held,
                last_held_on=row.last_held_on,
                due_on=row.due_on,
                overdue=row.due_on < today,
                missed=rules.missed_periods(branch.formed_on, days.get(kind, []), cadence.months, today),
            )
        )
    return lines


@dataclass
class RollupRow:
    code: str
    name: str
    branches: int = 0
    overdue: dict[str, int] = field(default_factory=dict)  # kind -> branches overdue (a village: 0 or 1)
    due_on: dict[str, date] = field(default_factory=dict)  # a village's next due day per kind

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())


@dataclass
class Rollup:
    region: Region
    rows: list[RollupRow]
    total: RollupRow
    drill: bool  # rows are towns


KINDS = [(k, str(label)) for k, label in MeetingKind.choices]


def rollup(user: Any, region: Region, today: date | None = None) -> Rollup:
    """Per town of a county, or per village of a town: branches tracked and, per kind, how many are overdue. Read
    from the cadence rows (one per branch and kind) in a constant number of queries."""
    today = today or timezone.localdate()
    drill = region.level == Level.COUNTY
    level = Level.TOWN if drill else Level.VILLAGE
    children = Region.objects.filter(parent_id=region.code, level=level).order_by("code").values_list("code", "name")
    rows = {code: RollupRow(code=code, name=name) for code, name in children}
    statuses = cadence_policy.visible_to(user).filter(region__startswith=region.code)
    if drill:
        got = (
            statuses.annotate(town=Substr("region_id", 1, 9))
            .values("town", "kind")
            .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
            .order_by()
        )
        for g in got:
            row = rows.get(g["town"])
            if row is not None:
                row.branches = max(row.branches, g["n"])
                row.overdue[g["kind"]] = g["late"]
    else:
        for s in statuses.values("region_id", "kind", "due_on"):
            row = rows.get(s["region_id"])
            if row is not None:
                row.branches = 1
                row.due_on[s["kind"]] = s["due_on"]
                row.overdue[s["kind"]] = int(s["due_on"] < today)
    shown = [r for r in rows.values() if r.branches]
    total = RollupRow(code=region.code, name=f"{region.name}合计", branches=sum(r.branches for r in shown))
    for kind, _ in KINDS:
        total.overdue[kind] = sum(r.overdue.get(kind, 0) for r in shown)
    return Rollup(region=region, rows=shown, total=total, drill=drill)


# Model posts


def posts_of(user: Any, region_code: str) -> QuerySet[ModelPost]:
    return (
        post_policy.visible_to(user)
        .filter(region__startswith=region_code)
        .select_related("person", "region")
        .prefetch_related(Prefetch("ratings", queryset=PostRating.objects.order_by("-year", "-quarter")))
        .order_by("region_id", "id")
    )


def post_results(user: Any, region_code: str, year: int, quarter: int) -> list[dict[str, Any]]:
    """Per village (or town, for a county) the posts rated in the quarter and the count per grade."""
    width = 12 if len(region_code) >= 9 else 9
    got = (
        rating_policy.visible_to(user)
        .filter(region__startswith=region_code, year=year, quarter=quarter)
        .annotate(unit=Substr("region_id", 1, width))
        .values("unit", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    names = dict(Region.objects.filter(parent_id=region_code).values_list("code", "name"))
    per: dict[str, Counter[str]] = {}
    for g in got:
        per.setdefault(g["unit"], Counter())[g["grade"]] = g["n"]
    return [
        {"code": code, "name": names.get(code, code), "rated": sum(c.values()), **dict(c)}
        for code, c in sorted(per.items())
    ]


# Floating members


def floating_of(user: Any, region_code: str) -> QuerySet[FloatingMember]:
    return (
        floating_policy.visible_to(user)
        .filter(region__startswith=region_code, returned_on__isnull=True)
        .select_related("person", "region")
        .prefetch_related("cards", "reports")
        .order_by("region_id", "id")
    )


def member_full(user: Any, pk: int) -> FloatingMember:
    """One floating member the user sees (404 else) with their cards (latest first), reports and group
    memberships (latest first), in a constant number of queries."""
    return floating_policy.get_or_404(
        user,
        queryset=FloatingMember.objects.select_related("person", "region", "region__parent").prefetch_related(
            Prefetch("cards", queryset=FloatingCard.objects.order_by("-issued_on", "-id")),
            Prefetch("reports", queryset=FloatingReport.objects.order_by("year")),
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("group").order_by("-joined_on", "-id"),
            ),
        ),
        pk=pk,
    )


def latest_card(member: FloatingMember) -> FloatingCard | None:
    """The card last issued to a member (prefetched by member_full): the one they hold unless revoked."""
    return next(iter(member.cards.all()), None)


def groups_of(user: Any, region_code: str) -> QuerySet[FloatingGroup]:
    """The temporary groups of a town (for a village: its town's, which the village reads), with their present
    size; dissolved ones last."""
    return (
        group_policy.visible_to(user)
        .filter(Q(region__startswith=region_code) | Q(region_id=region_code[:9]))
        .select_related("leader", "region")
        .annotate(size=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .order_by(F("dissolved_on").desc(nulls_first=True), "region_id", "id")
    )


@dataclass
class GroupLine:
    group: FloatingGroup
    requests_raised: int | None
    requests_solved: int | None


def group_lines(groups: Iterable[FloatingGroup]) -> list[GroupLine]:
    """A page of groups with the requests their present members raised and had solved (from the requests app),
    in two queries whatever the page's length."""
    groups = list(groups)
    rows = GroupMembership.objects.filter(group__in=groups, left_on__isnull=True).values_list(
        "group_id", "member__person_id"
    )
    persons: dict[int, list[int]] = {}
    for group_id, person_id in rows:
        persons.setdefault(group_id, []).append(person_id)
    counted = hooks.requests_per_person(
        GroupMembership.objects.filter(group__in=groups, left_on__isnull=True).values("member__person_id")
    )
    lines = []
    for g in groups:
        if counted is None:
            lines.append(GroupLine(g, None, None))
            continue
        got = [counted.get(p, (0, 0)) for p in persons.get(g.pk, [])]
        lines.append(GroupLine(g, sum(r for r, _ in got), sum(s for _, s in got)))
    return lines


def group_full(user: Any, pk: int) -> FloatingGroup:
    return group_policy.get_or_404(
        user,
        queryset=FloatingGroup.objects.select_related("region", "leader").prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("member__person", "member__region").order_by(
                    F("left_on").desc(nulls_first=True), "joined_on", "id"
                ),
            )
        ),
        pk=pk,
    )


def joinable_members(town_code: str, on: date) -> list[tuple[int, str]]:
    """The town's floating members away with a card valid on the day and in no group now: who a group may take."""
    return [
        (pk, f"{name}（{village}）")
        for pk, name, village in FloatingMember.objects.filter(
            region__startswith=town_code,
            returned_on__isnull=True,
            cards__issued_on__lte=on,
            cards__valid_until__gte=on,
            cards__revoked_on__isnull=True,
        )
        .exclude(pk__in=GroupMembership.objects.filter(left_on__isnull=True).values("member_id"))
        .distinct()
        .order_by("region_id", "person__name", "id")
        .values_list("pk", "person__name", "region__name")
    ]


def floating_counts(user: Any, region_code: str, today: date | None = None) -> dict[str, Any]:
    """What seed 003 counts: floating members, those holding a valid card, boat party groups and other groups,
    reports home overdue, and the requests they raised and had solved (from the requests app, when wired)."""
    today = today or timezone.localdate()
    members = floating_policy.visible_to(user).filter(region__startswith=region_code, returned_on__isnull=True)
    got = members.aggregate(
        members=Count("id", distinct=True),
        carded=Count(
            "id",
            distinct=True,
            filter=Q(cards__issued_on__lte=today, cards__valid_until__gte=today, cards__revoked_on__isnull=True),
        ),
        reports_overdue=Count("id", distinct=True, filter=Q(report_due_on__lt=today)),
    )
    groups = (
        groups_of(user, region_code)
        .filter(dissolved_on__isnull=True)
        .values("kind")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    by_kind = {g["kind"]: g["n"] for g in groups}
    requests = hooks.requests_raised_by_floating_members(region_code) if region_code else None
    return {
        **got,
        "boat_groups": by_kind.get(GroupKind.BOAT, 0),
        "other_groups": by_kind.get(GroupKind.TEMPORARY, 0),
        "requests_raised": requests[0] if requests else None,
        "requests_solved": requests[1] if requests else None,
    }


def count_for_village(village: str, start: date, end: date) -> int:
    """Signed meeting records (三会一课, theme party days) of the village's branch held between start and end, both
    included: for the first secretaries' statistics. Unscoped: the caller has checked access to the village."""
    return PartyMeeting.objects.filter(
        region_id=village, status=MeetingStatus.SIGNED, held_at__date__gte=start, held_at__date__lte=end
    ).count()
