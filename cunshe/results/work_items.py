"""To-dos of those who run elections: a counted round to certify (or confirm void), a certified committee whose
handover is not opened yet (due 10 days after the day it was elected, with the reason it cannot be opened, e.g. no
discipline supervisor), a party committee whose secretary awaits the town's approval."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, When
from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.elections.models import Kind, Round, Status
from cunshe.elections.permissions import election_policy
from cunshe.results.selectors import COMMITTEE_KINDS, committee_day
from cunshe.teams.models import Post, TeamMember

# Enough for a to-do list; `result_counts` counts the whole in the database (the home page's true totals).
LIMIT = 200


def _queries(user: Any) -> tuple[Any, Any, Any]:
    visible = election_policy.visible_to(user, "change").select_related("region", "parent")
    to_certify = visible.filter(status=Status.COUNTED, result__isnull=False).order_by("election_day")
    pending = visible.filter(
        status=Status.CERTIFIED,
        kind__in=COMMITTEE_KINDS,
        certification__isnull=False,
        certification__handover__isnull=True,
    ).order_by("election_day")
    awaiting = visible.filter(
        kind=Kind.PARTY, status=Status.CERTIFIED, party_post_votes__approved_on__isnull=True
    ).distinct()
    return to_certify, pending, awaiting


def result_counts(user: Any) -> tuple[int, int]:
    """(total, overdue) of `result_items` without its cap. A certified committee needs a handover unless its director
    was re-elected (handover_plan's "needed"): a current director who started before the committee's day (the main
    round's day for a further round)."""
    to_certify, pending, awaiting = _queries(user)
    day = Case(
        When(round=Round.FURTHER, parent__isnull=False, then=F("parent__election_day")), default=F("election_day")
    )
    reelected = TeamMember.objects.filter(
        region_id=OuterRef("region_id"), post=Post.DIRECTOR, ended_on__isnull=True, started_on__lt=OuterRef("day")
    )
    needed = pending.annotate(day=day).exclude(Exists(reelected))
    # Due 11 days after the committee's day (the midnight after the tenth day): overdue once that has passed.
    late = needed.filter(day__lt=timezone.localdate() - timedelta(days=10))
    return to_certify.count() + needed.count() + awaiting.count(), late.count()


def result_items(user: Any) -> list[WorkItem]:
    from cunshe.results.services import handover_plans

    tz = timezone.get_current_timezone()
    to_certify, pending_all, awaiting_all = _queries(user)
    items: list[WorkItem] = []
    for election in to_certify[:LIMIT]:
        items.append(
            WorkItem(
                module="results",
                title=f"确认选举结果：{election}",
                url=reverse("results:result", kwargs={"pk": election.pk}),
                region_name=election.region.name,
            )
        )
    pending = list(pending_all[:LIMIT])
    plans = handover_plans(pending)
    for election in pending:
        plan = plans[election.pk]
        if not plan["needed"]:
            continue
        reason = f"（{plan['problems'][0]}）" if plan["problems"] else ""
        items.append(
            WorkItem(
                module="results",
                title=f"据选举结果发起交接{reason}",
                url=reverse("results:result", kwargs={"pk": election.pk}),
                region_name=election.region.name,
                due_at=datetime.combine(committee_day(election) + timedelta(days=11), time.min, tz),
            )
        )
    for election in awaiting_all[:LIMIT]:
        items.append(
            WorkItem(
                module="results",
                title="党组织书记待乡镇党委批复",
                url=reverse("results:result", kwargs={"pk": election.pk}),
                region_name=election.region.name,
            )
        )
    return items
