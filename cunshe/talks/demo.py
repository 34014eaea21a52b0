"""点评谈心 in the demo county's story (today: the build day): after 黛溪街道's new teams took office (committees elected
2026-11-15), the street's party secretary talked with each new village secretary from 2026-11-16, taking up the
issues the villages' issue lists hold, with follow-ups (one already overdue, some done). 黄山街道 votes today: no
talks there yet. Every step goes through the services; running it twice changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.issueboard.models import OPEN_STATUSES, Issue
from cunshe.regions.models import Region
from cunshe.talks.models import FollowUp, Talk
from cunshe.talks.services import current_secretary, followup_done, talk_record
from cunshe.teams.models import Post, TeamMember

TOWN_A = "371681001"  # 黛溪街道
FIRST_DAY = date(2026, 11, 16)  # the day after the committees' election
TALKER = "黛溪街道党工委书记 刘建国"
POINTS = [
    "新班子到位后分工明确，但村务公开栏更新不及时，群众在走访中反映较多；要求本月内规范公开。",
    "换届后班子团结，干事热情高；环境整治推进偏慢，主街两侧柴草乱堆问题要限期清理。",
    "村集体经济收入来源单一，要用好第一书记帮扶资源，谋划党支部领办合作社。",
    "“三会一课”记录不规范，部分会议缺少表决和签字；要求对照规范整改。",
    "群众反映的道路破损和路灯不亮问题要列入开门一件事，明确时限。",
    "新任书记要带头入户走访，摸清困难群众底数，建立暖心清单。",
]
TASKS = [
    ("更新村务公开栏，补齐三季度财务公开", 10),
    ("清理主街两侧柴草杂物", 7),
    ("拿出党支部领办合作社方案报街道", 30),
    ("规范三会一课会议记录，补签字", 14),
    ("修复村内破损路段并更换路灯", 20),
]


def _secretary(village: str) -> str:
    name = current_secretary(village)
    if name:
        return name
    head = (
        TeamMember.objects.filter(region_id=village, ended_on__isnull=True, post=Post.DIRECTOR)
        .select_related("person")
        .first()
    )
    return head.person.name if head else ""


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today <= FIRST_DAY or Talk.objects.filter(town_id=TOWN_A, held_on__gte=FIRST_DAY).exists():
        return
    rng = random.Random(seed + 77)
    actor = User.objects.filter(username="daixi").first() or SYSTEM
    villages = list(Region.objects.filter(parent_id=TOWN_A).order_by("code").values_list("code", flat=True)[:6])
    span = (today - FIRST_DAY).days - 1
    for n, village in enumerate(villages):
        secretary = _secretary(village)
        if not secretary:
            continue  # no new team on record: nobody to talk with yet
        held_on = FIRST_DAY + timedelta(days=min(span, 2 + n * 3))
        issues = list(Issue.objects.filter(region_id=village, status__in=OPEN_STATUSES).order_by("id")[:2])
        picks = rng.sample(TASKS, 2)
        talk = talk_record(
            actor=actor,
            village_code=village,
            held_on=held_on,
            place=rng.choice(("村党群服务中心", "村委会议室", "书记家中")),
            talker=TALKER,
            secretary=secretary,
            points="\n".join(rng.sample(POINTS, 2)),
            issue_ids=[i.pk for i in issues],
            follow_ups=[
                {"task": task, "owner": f"{secretary}（村党组织书记）", "due_on": held_on + timedelta(days=days)}
                for task, days in picks
            ],
        )
        for f in FollowUp.objects.filter(talk=talk, due_on__lt=today).order_by("id"):
            if n % 3 == 0:
                continue  # left open: overdue on the town's to-do list
            done_on = min(f.due_on - timedelta(days=1), today)
            followup_done(
                actor=actor,
                follow_up=f,
                result="已按要求整改到位，街道包村干部现场核实。",
                done_on=max(done_on, held_on),
                expected_version=f.version,
            )
