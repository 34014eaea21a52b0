"""What other modules already record, read as the day an item of the programme was done (None: not yet). Each
reads only facts dated on or after the committee's election day: nothing is done before its cause."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from cunshe.commitments.models import Commitment
from cunshe.commitments.models import Kind as CommitmentKind
from cunshe.commitments.models import Status as CommitmentStatus
from cunshe.firstyear.models import Programme, Source
from cunshe.handovers.models import CareAct, CareRecord, Handover
from cunshe.handovers.models import Kind as HandoverKind
from cunshe.handovers.models import Status as HandoverStatus
from cunshe.trainings.models import Attendance, Presence


def _committee_handovers(programme: Programme) -> list[Handover]:
    return list(
        Handover.objects.filter(
            region_id=programme.region_id, kind=HandoverKind.COMMITTEE, term_change_id=programme.term_change_id
        )
    )


def handover_done_on(programme: Programme) -> date | None:
    """Every committee handover of the village in this term change completed: the day the last one did."""
    handovers = _committee_handovers(programme)
    if not handovers or any(h.status != HandoverStatus.COMPLETED or h.completed_at is None for h in handovers):
        return None
    day = max(timezone.localdate(h.completed_at) for h in handovers if h.completed_at)
    return day if day >= programme.elected_on else None


def care_done_on(programme: Programme) -> date | None:
    """ "六个一" done for every departing cadre (each committee handover's outgoing person): the day of the last act."""
    handovers = _committee_handovers(programme)
    if not handovers:
        return None
    records = CareRecord.objects.filter(handover__in=handovers, done_on__gte=programme.elected_on)
    acts: dict[int, set[str]] = {}
    last = programme.elected_on
    for care in records:
        acts.setdefault(care.handover_id, set()).add(care.act)
        last = max(last, care.done_on)
    if all(acts.get(h.pk, set()) >= set(CareAct.values) for h in handovers):
        return last
    return None


def _first_commitments(programme: Programme) -> list[Commitment]:
    """The new team's 开门一件事: those of this term change, entered since the election (the ledger keeps earlier
    teams' too)."""
    return [
        c
        for c in Commitment.objects.filter(
            region_id=programme.region_id, kind=CommitmentKind.FIRST, term_change_id=programme.term_change_id
        ).order_by("created_at", "pk")
        if timezone.localdate(c.created_at) >= programme.elected_on
    ]


def commitments_made_on(programme: Programme) -> date | None:
    """As many 开门一件事 as the county requires of a village (its minimum) entered: the day the last of them was."""
    from cunshe.commitments.services import rules_of

    needed = rules_of(programme.region_id).min_per_village
    made = [c for c in _first_commitments(programme) if c.status != CommitmentStatus.DROPPED]
    return timezone.localdate(made[needed - 1].created_at) if len(made) >= needed else None


def commitment_done_on(programme: Programme) -> date | None:
    """The first 开门一件事 of the new team done: the day it was."""
    days = [
        c.completed_on
        for c in _first_commitments(programme)
        if c.status == CommitmentStatus.DONE and c.completed_on and c.completed_on >= programme.elected_on
    ]
    return min(days) if days else None


def training_done_on(programme: Programme) -> date | None:
    """Every member of the village's new team (those due at the county's or town's sessions) present at a session
    held since the election: the day the last of them first attended."""
    from cunshe.trainings.services import new_team_members

    members = {m.person_id for m in new_team_members(programme.region_id)}
    if not members:
        return None
    first: dict[int, date] = {}
    present = Attendance.objects.filter(
        village_id=programme.region_id,
        person_id__in=members,
        status=Presence.PRESENT,
        session__held_on__gte=programme.elected_on,
    ).values_list("person_id", "session__held_on")
    for person_id, held_on in present:
        first[person_id] = min(held_on, first.get(person_id, held_on))
    return max(first.values()) if members <= set(first) else None


def care_list_done_on(programme: Programme) -> date | None:
    """The care list made and visited: every household on the village's list has had a month of "3+N" completed
    since the election; the day the last of them first did."""
    from cunshe.carelist.models import CareMonth, Household

    listed = set(
        Household.objects.filter(region_id=programme.region_id, removed_on__isnull=True).values_list("pk", flat=True)
    )
    if not listed:
        return None
    first: dict[int, date] = {}
    done = CareMonth.objects.filter(
        household_id__in=listed, done_on__isnull=False, done_on__gte=programme.elected_on
    ).values_list("household_id", "done_on")
    for household_id, day in done:
        if day is not None:
            first[household_id] = min(day, first.get(household_id, day))
    return max(first.values()) if listed <= set(first) else None


def breakthrough_done_on(programme: Programme) -> date | None:
    """The secretary's breakthrough project of this term change approved by the town: the day it was."""
    from cunshe.breakthroughs.models import Project

    days = Project.objects.filter(
        region_id=programme.region_id,
        term_change_id=programme.term_change_id,
        approved_on__isnull=False,
        approved_on__gte=programme.elected_on,
    ).values_list("approved_on", flat=True)
    return min((d for d in days if d is not None), default=None)


def annual_list_done_on(programme: Programme) -> date | None:
    """The new team's annual list (初心清单) publicly committed at a theme party day: the day it was."""
    from cunshe.annuallists.models import AnnualList
    from cunshe.annuallists.models import Status as ListStatus

    days = AnnualList.objects.filter(
        region_id=programme.region_id,
        term_change_id=programme.term_change_id,
        status=ListStatus.PUBLIC,
        pledged_on__gte=programme.elected_on,
    ).values_list("pledged_on", flat=True)
    return min((d for d in days if d is not None), default=None)


FACTS: dict[str, Callable[[Programme], date | None]] = {
    Source.HANDOVER: handover_done_on,
    Source.CARE: care_done_on,
    Source.COMMITMENTS_MADE: commitments_made_on,
    Source.COMMITMENT_DONE: commitment_done_on,
    Source.TRAINING: training_done_on,
    Source.CARE_LIST: care_list_done_on,
    Source.BREAKTHROUGH: breakthrough_done_on,
    Source.ANNUAL_LIST: annual_list_done_on,
}

EVIDENCE: dict[str, str] = {
    Source.HANDOVER: "据交接记录：本村(社区)两委换届交接全部完成，各方签字确认。",
    Source.CARE: "据交接记录：离任干部“六个一”荣退关爱全部完成。",
    Source.COMMITMENTS_MADE: "据开门一件事台账：新一届班子承诺事项达到县定件数。",
    Source.COMMITMENT_DONE: "据开门一件事台账：首件开门一件事已办结。",
    Source.TRAINING: "据任职培训签到：新一届班子成员均已参加任职培训。",
    Source.CARE_LIST: "据暖心清单：清单内各户均已完成“3+N”慰问帮扶。",
    Source.BREAKTHROUGH: "据书记突破项目：项目已经乡镇(街道)党(工)委审定。",
    Source.ANNUAL_LIST: "据初心清单：初心清单和五年规划已在主题党日公开承诺。",
}
