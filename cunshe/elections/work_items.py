"""An election's next legal deadline is a to-do of those who run it (town officers, county organizers): the
register to publish, objections to decide, the candidates to publish, until the step is done."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunshe.deadlines.work_items import WorkItem
from cunshe.elections import timeline
from cunshe.elections.models import Status
from cunshe.elections.permissions import election_policy

OPEN = (Status.PREPARING, Status.REGISTER_PUBLISHED)


def _due(day: date) -> datetime:
    """Due at the end of its day (kept as the midnight after it, shown as the day)."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def election_items(user: Any) -> list[WorkItem]:
    elections = election_policy.visible_to(user, "change").filter(status__in=OPEN).select_related("region", "rules")
    items: list[WorkItem] = []
    for e in elections:
        url = reverse("elections:detail", kwargs={"pk": e.pk})
        where = e.region.name
        if e.status == Status.PREPARING and e.is_direct:
            day = timeline.register_publish_by(e.rules, e.election_day)
            items.append(WorkItem("elections", f"公布选民名单：{where}{e}", url, where, _due(day)))
        elif e.status == Status.REGISTER_PUBLISHED and e.register_published_on:
            decide_by = timeline.objection_decisions_by(e.rules, e.register_published_on)
            if decide_by >= timezone.localdate():
                items.append(WorkItem("elections", f"处理选民名单申诉：{where}{e}", url, where, _due(decide_by)))
        if e.status in OPEN:
            day = timeline.candidates_publish_by(e.rules, e.election_day)
            items.append(WorkItem("elections", f"公布正式候选人：{where}{e}", url, where, _due(day)))
    return items
