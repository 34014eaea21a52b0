"""Reads of the visits module: plans and visits of a village, and the coverage table of any region, summed from
the per-village coverage rows by code prefix (one query, however many villages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Substr

from cunshe.assessments.models import SupportKind
from cunshe.people.models import Person
from cunshe.records.kept import Kept
from cunshe.regions.selectors import CHILD_LENGTH, rollup_rows
from cunshe.teams.selectors import current_members
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.models import (
    ANSWERED,
    DEFAULT_TARGETS,
    LISTED_GROUPS,
    TALK_GROUPS,
    CandidateOpinion,
    CoverageTarget,
    Group,
    GroupMember,
    Stance,
    Visit,
    VisitTarget,
)
from cunshe.visits.permissions import coverage_policy, target_policy, visit_policy


@dataclass
class Cell:
    planned: int = 0
    visited: int = 0
    by_phone: int = 0
    away: int = 0
    target: int = 100

    @property
    def rate(self) -> float | None:
        return round(100 * self.visited / self.planned, 1) if self.planned else None

    @property
    def in_person(self) -> int:
        return self.visited - self.by_phone

    @property
    def unvisited(self) -> int:
        return self.planned - self.visited

    @property
    def met(self) -> bool:
        # Integer arithmetic: 99.5% of 200 party members is not 100%.
        return self.planned > 0 and self.visited * 100 >= self.target * self.planned

    def add(self, other: Cell) -> None:
        self.planned += other.planned
        self.visited += other.visited
        self.by_phone += other.by_phone
        self.away += other.away


@dataclass
class CoverageRow:
    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)

    @property
    def ordered(self) -> list[Cell]:
        return [self.cells[g] for g in Group.values]

    @property
    def talk_cells(self) -> list[tuple[str, Cell]]:
        return [(Group(g).label, self.cells[g]) for g in TALK_GROUPS]

    @property
    def talks_covered(self) -> bool:
        """三个谈话全覆盖: every listed party member, villager representative and notable talked to — all of them,
        whatever coverage target the county set for the group, and only once each group has someone listed."""
        return all(c.planned > 0 and c.visited == c.planned for _, c in self.talk_cells)


@dataclass
class CoverageTable:
    under: str
    term_change: TermChange | None
    targets: dict[str, int]
    rows: list[CoverageRow]
    total: CoverageRow


def targets_set(term_change: TermChange | None) -> dict[str, int]:
    """The targets the county set for this term change, by group (the others stay at their default)."""
    if term_change is None:
        return {}
    return dict(CoverageTarget.objects.filter(term_change=term_change).values_list("group", "percent"))


def target_versions(term_change: TermChange | None) -> dict[str, int]:
    """The version of each group's target, 0 for a group still at its default: what an edit starts from."""
    chosen = (
        dict(CoverageTarget.objects.filter(term_change=term_change).values_list("group", "version"))
        if term_change
        else {}
    )
    return {group: chosen.get(group, 0) for group in DEFAULT_TARGETS}


def coverage_targets(term_change: TermChange | None) -> dict[str, int]:
    return {**DEFAULT_TARGETS, **targets_set(term_change)}


def coverage_table(user: Any, under: str) -> CoverageTable:
    return coverage_kept(user, under).value


def coverage_kept(user: Any, under: str) -> Kept[CoverageTable]:
    """`_coverage_table`, kept while the county's record book stands still, with the key of its rendered tables
    (records.kept, issue 15)."""
    return Kept(f"visits.coverage:{under}", user, lambda: _coverage_table(user, under), region_code=under)


def coverage_form_kept(user: Any, under: str) -> Kept[tuple[bool, dict[str, int]]]:
    """Whether the county has a term change to set targets for, and the targets' versions: what the target form
    beside the kept table needs, kept small so the page does not read the table for it (records.kept, issue 15)."""

    def build() -> tuple[bool, dict[str, int]]:
        term_change = current_term_change(under) if len(under) >= 6 else None
        return term_change is not None, target_versions(term_change)

    return Kept(f"visits.coverage-form:{under}", user, build, region_code=under)


def _coverage_table(user: Any, under: str) -> CoverageTable:
    term_change = current_term_change(under) if len(under) >= 6 else None
    targets = coverage_targets(term_change)
    groups = list(Group.values)
    total = CoverageRow(code=under, name="合计", cells={g: Cell(target=targets[g]) for g in groups})
    if term_change is None:
        return CoverageTable(under=under, term_change=None, targets=targets, rows=[], total=total)
    length = CHILD_LENGTH.get(len(under), 12)
    sums = (
        coverage_policy.visible_to(user)
        .filter(term_change=term_change, region_id__startswith=under)
        .annotate(child=Substr("region_id", 1, length))
        .values("child", "group")
        .annotate(planned=Sum("planned"), visited=Sum("visited"), by_phone=Sum("by_phone"), away=Sum("away"))
        .order_by("child")
    )
    rows: dict[str, CoverageRow] = {}
    for s in sums:
        row = rows.setdefault(
            s["child"], CoverageRow(code=s["child"], name="", cells={g: Cell(target=targets[g]) for g in groups})
        )
        cell = Cell(s["planned"], s["visited"], s["by_phone"], s["away"], targets[s["group"]])
        row.cells[s["group"]] = cell
        row.total.add(cell)
        total.cells[s["group"]].add(cell)
        total.total.add(cell)
    names = rollup_rows(user, under)
    for code in names.keys() - rows.keys():
        rows[code] = CoverageRow(code=code, name="", cells={g: Cell(target=targets[g]) for g in groups})
    for row in rows.values():
        row.name = names.get(row.code, row.code)
    ordered = sorted(rows.values(), key=lambda r: r.code)
    return CoverageTable(under=under, term_change=term_change, targets=targets, rows=ordered, total=total)


def targets_of_village(user: Any, village_code: str, *, unvisited_only: bool = False) -> QuerySet[VisitTarget]:
    qs = target_policy.visible_to(user).filter(region_id=village_code).select_related("person")
    if unvisited_only:
        qs = qs.filter(visited_on__isnull=True)
    return qs.order_by("visited_on", "group", "person__name")


def visits_of_target(user: Any, target: VisitTarget) -> QuerySet[Visit]:
    opinions = CandidateOpinion.objects.select_related("candidate").order_by("id")
    return (
        visit_policy.visible_to(user)
        .filter(target=target)
        .prefetch_related(Prefetch("opinions", queryset=opinions))
        .order_by("-visited_on", "-id")
    )


@dataclass(frozen=True)
class Listed:
    """One person on a village's group list (what a visit plan is generated from); `listed` when registered in
    this module rather than taken from the people registry (党员) or the team (现任村干部)."""

    person: Person
    group: str
    listed: bool

    @property
    def group_label(self) -> str:
        return str(Group(self.group).label)

    @property
    def source_label(self) -> str:
        if self.listed:
            return "登记"
        return "两委班子" if self.group == Group.CADRE else "人员信息"


def group_lists(term_change: TermChange, village_code: str, groups: list[str] | None = None) -> list[Listed]:
    """Everyone of the chosen groups (all when None) in a village already checked for access: party members from
    the registry, current cadres from the team, the rest as registered here."""
    groups = list(Group.values) if groups is None else groups
    found: list[Listed] = []
    if Group.PARTY_MEMBER in groups:
        found += [
            Listed(p, Group.PARTY_MEMBER, False)
            for p in Person.objects.filter(region_id=village_code, is_party_member=True).order_by("id")
        ]
    if Group.CADRE in groups:
        seen: set[int] = set()
        for m in current_members(village_code).order_by("person_id"):
            if m.person_id not in seen:
                seen.add(m.person_id)
                found.append(Listed(m.person, Group.CADRE, False))
    listed = [g for g in groups if g in LISTED_GROUPS]
    if listed:
        members = GroupMember.objects.filter(term_change=term_change, region_id=village_code, group__in=listed)
        found += [
            Listed(m.person, m.group, True) for m in members.select_related("person").order_by("group", "person_id")
        ]
    return found


def support_counts(
    village_code: str, term_change: TermChange, person_ids: list[int]
) -> dict[int, dict[str, tuple[int, int]]]:
    """The visits' opinion source for the support rates (两率) of cunshe.assessments.rates, for a village already
    checked for access: per prospective candidate, (said 支持, said 支持 or 不支持) among the visited party members
    (党内支持, SupportKind.PARTY_SUPPORT) and among the visited others (党外支持, PUBLIC_SUPPORT).

    - A person is one voice: of everything one visited person said of a candidate in this village and term change,
      only the latest counts (latest visit date, then the later-recorded visit), so visiting someone twice neither
      counts them twice nor keeps an opinion they have since changed.
    - 未表态 is not an answer: such a latest opinion counts in neither part (the person is not "asked"), and an
      earlier 支持 or 不支持 it replaced no longer counts either.
    - Party or not is the visited person's registry entry (党员) now, as in the electorate's party share.
    - Visits in other villages or other term changes do not count.
    One aggregate query, however many candidates."""
    if not person_ids:
        return {}
    heard = CandidateOpinion.objects.filter(region_id=village_code, visit__target__term_change=term_change)
    later = heard.filter(
        candidate_id=OuterRef("candidate_id"), visit__target__person_id=OuterRef("visit__target__person_id")
    ).filter(
        Q(visit__visited_on__gt=OuterRef("visit__visited_on"))
        | Q(visit__visited_on=OuterRef("visit__visited_on"), visit_id__gt=OuterRef("visit_id"))
    )
    member, outsider = Q(visit__target__person__is_party_member=True), Q(visit__target__person__is_party_member=False)
    answered, support = Q(stance__in=ANSWERED), Q(stance=Stance.SUPPORT)
    rows = (
        heard.filter(candidate_id__in=person_ids)
        .filter(~Exists(later))
        .values("candidate_id")
        .annotate(
            party_for=Count("id", filter=member & support),
            party_asked=Count("id", filter=member & answered),
            public_for=Count("id", filter=outsider & support),
            public_asked=Count("id", filter=outsider & answered),
        )
        .order_by()
    )
    return {
        row["candidate_id"]: {
            SupportKind.PARTY_SUPPORT.value: (row["party_for"], row["party_asked"]),
            SupportKind.PUBLIC_SUPPORT.value: (row["public_for"], row["public_asked"]),
        }
        for row in rows
    }


def intended_candidates(village_code: str, term_change: TermChange) -> QuerySet[Visit]:
    """Visits that found an intention to stand, for the rehearsal view of a village already checked for access."""
    return Visit.objects.filter(
        region_id=village_code, target__term_change=term_change, intends_to_stand=True
    ).select_related("target__person")
