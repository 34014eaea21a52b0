"""The demo issue boards: problems found by the cadres beside those raised in visits, about half closed with a
resolution, and two difficult villages (重点难点村) clearing theirs."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.issueboard.models import Issue, Source, Status
from cunshe.issueboard.services import issue_move, issue_raise, village_flag
from cunshe.people.models import Person
from cunshe.termchanges.selectors import current_term_change

CADRE_PROBLEMS = [
    ("村级集体经济收入偏低", "村党组织书记"),
    ("历史遗留的征地补偿纠纷", "包村领导"),
    ("部分党员组织关系未转接", "村党组织副书记"),
    ("村务公开栏内容未及时更新", "村委会委员"),
    ("信访户诉求反复", "包村领导"),
]


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 12)
    villages = sorted(set(Person.objects.values_list("region_id", flat=True)))
    for n, village in enumerate(villages):
        term_change = current_term_change(village)
        picks = rng.sample(range(len(CADRE_PROBLEMS)), 2)
        closes = [rng.random() for _ in range(6)]
        if term_change is None or Issue.objects.filter(region_id=village, source=Source.CADRE).exists():
            continue
        today = timezone.localdate()
        for k in picks:
            title, owner = CADRE_PROBLEMS[k]
            issue_raise(
                actor=SYSTEM,
                village_code=village,
                title=title,
                owner=owner,
                due_on=term_change.opened_on + timedelta(days=30 + 15 * k),
            )
        difficult = n % 12 == 3
        if difficult:
            village_flag(actor=SYSTEM, village_code=village, is_difficult=True, reason="矛盾面大、信访频发")
        for issue, roll in zip(Issue.objects.filter(region_id=village).order_by("id"), closes, strict=False):
            if roll < (0.7 if difficult else 0.45):
                issue_move(
                    actor=SYSTEM,
                    issue=issue,
                    to_status=Status.CLOSED,
                    expected_version=issue.version,
                    resolution="经村两委会议研究，已落实整改并向群众反馈。",
                    closed_on=min(term_change.opened_on + timedelta(days=40), today),
                )
            elif roll < 0.7:
                issue_move(actor=SYSTEM, issue=issue, to_status=Status.IN_PROGRESS, expected_version=issue.version)
