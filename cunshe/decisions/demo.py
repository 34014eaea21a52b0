"""四议两公开 in the demo county's story (today: the build day): 黛溪街道's new teams (committees elected 11-15,
certified) take their first matters through the four meetings from 11-17 on. Six matters spread over those
villages, at different steps: resolved (its resolution is disclosed by the disclosures demo, once on time and once late), resolved and not
yet disclosed (overdue), a party members' meeting that missed its quorum and was held again, and two still at the
first steps. Where the secretary is also the director (一肩挑) the proposal and the joint meeting are merged. Nothing
is dated before the election or after today; safe to run twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.decisions.models import Decision, Step
from cunshe.decisions.services import decision_create, dual_role_on, meeting_record
from cunshe.elections.models import Election
from cunshe.elections.models import Status as ElectionStatus
from cunshe.results.selectors import COMMITTEE_KINDS
from cunshe.teams.models import Post, TeamMember

TOWN_A = "371681001"  # 黛溪街道
ELECTED = date(2026, 11, 15)

# title, matter, the days of the meetings (proposal, consultation, party review, resolution); None: not held yet.
MATTERS: list[tuple[str, str, list[date | None]]] = [
    (
        "村北集体土地流转方案",
        "将村北 126 亩集体机动地以每亩每年 800 元流转给本村土地股份合作社，期限 5 年，收益归村集体。",
        [date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 23), date(2026, 11, 26)],
    ),
    (
        "2026年冬季村内道路硬化工程",
        "硬化村内东西主街 1.2 公里，预算 46 万元，申请上级一事一议财政奖补，村集体自筹 12 万元。",
        [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 28), None],
    ),
    (
        "村级光伏电站收益分配方案",
        "光伏电站年收益约 9.6 万元：60% 用于村内公益岗位和困难群众帮扶，40% 用于村集体经济再投入。",
        [date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 21), date(2026, 11, 24)],
    ),
    (
        "2027年度一事一议筹资筹劳方案",
        "2027 年村内路灯维修和排水沟清淤，按户筹资每户 50 元，筹劳每个劳动力 2 个工日。",
        [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 27)],
    ),
    (
        "幸福院老年食堂建设",
        "利用闲置村小学校舍改建老年食堂，为 70 岁以上老人提供午餐，每餐收费 3 元，其余由村集体和社会捐助承担。",
        [date(2026, 12, 2), None, None, None],
    ),
    (
        "村集体闲置厂房出租",
        "村东闲置厂房 1,800 平方米公开招租，底价每年 7.2 万元，租期 3 年。",
        [date(2026, 11, 25), date(2026, 11, 26), None, None],
    ),
]
# The second matter's party members' meeting first missed its quorum (19 of 32 came on 11-25).
FAILED_FIRST = {1: date(2026, 11, 25)}
SIZES = {Step.PROPOSAL: 5, Step.CONSULTATION: 9, Step.PARTY_REVIEW: 32, Step.RESOLUTION: 36}


def villages() -> list[str]:
    """黛溪街道's villages whose new committees are certified (of the first six of the demo)."""
    return sorted(
        set(
            Election.objects.filter(
                region_id__startswith=TOWN_A, kind__in=COMMITTEE_KINDS, status=ElectionStatus.CERTIFIED
            ).values_list("region_id", flat=True)
        )
    )[:6]


def _heads(village: str) -> tuple[str, str]:
    members = {
        m.post: m.person.name
        for m in TeamMember.objects.filter(region_id=village, ended_on__isnull=True).select_related("person")
    }
    chair = members.get(Post.SECRETARY, "党组织书记")
    recorder = (
        members.get(Post.COMMITTEE_MEMBER)
        or members.get(Post.DEPUTY_DIRECTOR)
        or members.get(Post.DIRECTOR, "村委委员")
    )
    return chair, recorder


def _hold(
    decision: Decision,
    step: str,
    day: date,
    *,
    actor: Any,
    present_share: tuple[int, int] = (9, 10),
    merged: bool = False,
) -> None:
    decision.refresh_from_db()
    chair, recorder = _heads(decision.region_id)
    due = SIZES[Step(step)] + (4 if merged else 0)
    present = due * present_share[0] // present_share[1]
    absent = due - present
    votes_for = present - 1 if present > 3 else present
    held_at = timezone.make_aware(datetime(day.year, day.month, day.day, 19 if step == Step.PARTY_REVIEW else 9))
    meeting_record(
        actor=actor,
        decision=decision,
        step=step,
        merged=merged,
        held_at=held_at,
        place="村党群服务中心会议室",
        chair=chair,
        recorder=recorder,
        due=due,
        present=present,
        absentees=[
            {
                "name": f"{'党员' if step == Step.PARTY_REVIEW else '代表'}{n + 1}",
                "reason": "外出务工" if n % 2 == 0 else "因病请假",
            }
            for n in range(absent)
        ],
        votes_for=votes_for,
        votes_against=present - votes_for,
        discussion="与会人员逐项讨论；一名与会人员认为方案应先征求相邻村组意见，已记录在案并答复。",
        outcome="同意，按程序提交下一步。",
        notice_sent_on=day - timedelta(days=3) if step == Step.PARTY_REVIEW else None,
        expected_version=decision.version,
    )


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    actor = User.objects.filter(username="daixi").first() or SYSTEM
    certified = villages()
    if not certified:
        return
    for n, (title, matter, days) in enumerate(MATTERS):
        village = certified[n % len(certified)]  # the matters spread over the villages with a new team
        if Decision.objects.filter(region_id=village, title=title).exists():
            continue
        decision = decision_create(actor=actor, village_code=village, title=title, matter=matter, proposer="村党组织")
        steps = [Step.PROPOSAL, Step.CONSULTATION, Step.PARTY_REVIEW, Step.RESOLUTION]
        for step, day in zip(steps, days, strict=True):
            if day is None or day > today or day <= ELECTED:
                break
            decision.refresh_from_db()
            if decision.status != step:  # merged with the proposal
                continue
            if step == Step.PARTY_REVIEW and n in FAILED_FIRST:
                _hold(decision, step, FAILED_FIRST[n], actor=actor, present_share=(19, 32))
            merged = step == Step.PROPOSAL and dual_role_on(village, day)
            _hold(decision, step, day, actor=actor, merged=merged)
