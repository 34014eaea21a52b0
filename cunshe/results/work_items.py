"""To-dos of those who run elections: a counted round to certify (or confirm void), a certified committee whose
handover is not opened yet (due 10 days after the day it was elected, with the reason it cannot be opened, e.g. no
discipline supervisor), a party committee whose secretary awaits the town's approval."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.elections.models import Kind, Status
from cunshe.elections.permissions import election_policy
from cunshe.results.selectors import COMMITTEE_KINDS, committee_day


def result_items(user: Any) -> list[WorkItem]:
    from cunshe.results.services import handover_plan

    tz = timezone.get_current_timezone()
    visible = election_policy.visible_to(user, "change").select_related("region", "parent")
    items: list[WorkItem] = []
    for election in visible.filter(status=Status.COUNTED, result__isnull=False).order_by("election_day")[:200]:
        items.append(
            WorkItem(
                module="results",
                title=f"确认选举结果：{election}",
                url=reverse("results:result", kwargs={"pk": election.pk}),
                region_name=election.region.name,
            )
        )
    pending = visible.filter(
        status=Status.CERTIFIED,
        kind__in=COMMITTEE_KINDS,
        certification__isnull=False,
        certification__handover__isnull=True,
    ).order_by("election_day")[:200]
    for election in pending:
        plan = handover_plan(election)
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
    awaiting = visible.filter(
        kind=Kind.PARTY, status=Status.CERTIFIED, party_post_votes__approved_on__isnull=True
    ).distinct()[:200]
    for election in awaiting:
        items.append(
            WorkItem(
                module="results",
                title="党组织书记待乡镇党委批复",
                url=reverse("results:result", kwargs={"pk": election.pk}),
                region_name=election.region.name,
            )
        )
    return items
