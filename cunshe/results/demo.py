"""The results of the demo county's story (today: the day the demo is built, cunshe.elections.demo.story_today):
黛溪街道's counted elections certified by its town officer, party committees electing their secretaries (approved by
the town party committee three days later), the new teams in place, an invalid election confirmed void with its
rerun set for a week after today (with the further round); 黄山街道's party committees (11-22) certified too, and
each new villagers' committee's handover opened from its result (from the day it was elected), most of them
completed with the 六个一 for those leaving. Only what the count has decided is taken further: an election the counts
demo has not counted stays as it is (黄山街道 votes today)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.commitments.models import Commitment, Source
from cunshe.commitments.services import commitment_create, progress_add
from cunshe.elections.demo import TOWN_A, TOWN_B, further_round_day, story_today
from cunshe.elections.models import Election, ElectionResult, Kind, ResultStatus, Round, Status
from cunshe.handovers.models import CareAct, Handover, ItemKind, ItemStatus, Party
from cunshe.handovers.models import Status as HandoverStatus
from cunshe.handovers.services import care_record, handover_confirm, item_update
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.results.models import Certification, PartyPostVote
from cunshe.results.selectors import elected_of, handover_plan_ready
from cunshe.results.services import (
    CERTIFIABLE,
    party_post_elect,
    party_posts_approve,
    result_certify,
    result_handover_open,
    result_void_confirm,
)
from cunshe.teams.models import Post
from cunshe.termchanges.selectors import current_term_change

OFFICERS = {TOWN_A: "daixi", TOWN_B: "huangshan"}
TOWN_REF = {TOWN_A: "黛组字", TOWN_B: "黄组字"}
KIND_ORDER: dict[str, int] = {Kind.PARTY: 0, Kind.VILLAGERS: 1, Kind.RESIDENTS: 1, Kind.SUPERVISION: 2}
OPEN_HANDOVERS = 1  # the last village's handover is still open (an item not yet handed over)


def _certify_all(officer: User, town: str) -> None:
    today = story_today()
    counted = [
        e
        for e in Election.objects.filter(region_id__startswith=town, status=Status.COUNTED).select_related("region")
        if ElectionResult.objects.filter(election=e).exists()
    ]
    for election in sorted(counted, key=lambda e: (e.election_day, KIND_ORDER[e.kind], e.region_id)):
        election.refresh_from_db()
        if election.status != Status.COUNTED:  # certified with its further round
            continue
        result = election.result
        on = min(election.election_day, today)
        if result.status in CERTIFIABLE:
            result_certify(actor=officer, election=election, on=on, expected_version=election.version)
        elif result.status == ResultStatus.RERUN and not election.rounds.filter(round=Round.RERUN).exists():
            result_void_confirm(
                actor=officer,
                election=election,
                on=on + timedelta(days=1),
                rerun_day=further_round_day(story_today()),
                expected_version=election.version,
            )


def _party_posts(officer: User, town: str) -> None:
    for n, election in enumerate(
        Election.objects.filter(region_id__startswith=town, kind=Kind.PARTY, status=Status.CERTIFIED)
        .exclude(round=Round.FURTHER)
        .order_by("region_id"),
        start=21,
    ):
        if PartyPostVote.objects.filter(election=election).exists():
            continue
        committee = [m.person_id for m, _ in elected_of(election)]
        if len(committee) < 3:
            continue
        size = len(committee)
        held_on = election.election_day
        party_post_elect(
            actor=officer,
            election=election,
            post=Post.SECRETARY,
            held_on=held_on,
            votes={committee[0]: size - 1, committee[1]: 1},
        )
        party_post_elect(
            actor=officer,
            election=election,
            post=Post.DEPUTY_SECRETARY,
            held_on=held_on,
            votes={committee[1]: size // 2 + 1, committee[2]: size - size // 2 - 1},
        )
        party_posts_approve(
            actor=officer,
            election=election,
            on=held_on + timedelta(days=3),
            approval_ref=f"{TOWN_REF[town]}〔2026〕{n}号",
        )


def _handovers(officer: User, supervisor: User) -> None:
    tz = timezone.get_current_timezone()
    today = story_today()
    elections = [
        e
        for e in Election.objects.filter(
            region_id__startswith=TOWN_A, kind__in=(Kind.VILLAGERS, Kind.RESIDENTS), status=Status.CERTIFIED
        ).order_by("region_id", "election_day")
        if handover_plan_ready(e)
    ]
    for n, election in enumerate(elections):
        if Certification.objects.filter(election=election, handover__isnull=False).exists():
            continue
        starts_on = (
            election.parent.election_day
            if election.round == Round.FURTHER and election.parent
            else election.election_day
        )
        handover = result_handover_open(
            actor=officer,
            election=election,
            meeting_at=datetime.combine(starts_on + timedelta(days=2), time(9, 30), tz),
            meeting_place="村党群服务中心会议室",
        )
        still_open = n >= len(elections) - OPEN_HANDOVERS
        for item in handover.items.order_by("position"):
            if still_open and item.position == 2:
                item_update(
                    actor=officer,
                    item=item,
                    status=ItemStatus.NOT_HANDED,
                    discrepancy="原负责人称材料在家中，尚未交回",
                    expected_version=item.version,
                )
                continue
            item_update(
                actor=officer,
                item=item,
                status=ItemStatus.HANDED,
                count=3 + item.position % 9 if item.item_kind == ItemKind.COUNT else None,
                amount=Decimal(10000 + 3571 * item.position) if item.item_kind == ItemKind.MONEY else None,
                details="已按清单逐项清点核对",
                expected_version=item.version,
            )
        if still_open:
            continue
        for actor, party in (
            (officer, Party.OUTGOING),
            (officer, Party.INCOMING),
            (officer, Party.WORKING_GROUP),
            (supervisor, Party.SUPERVISOR),
        ):
            current = Handover.objects.get(pk=handover.pk)
            handover_confirm(actor=actor, handover=current, party=party, expected_version=current.version)
        for k, act in enumerate(CareAct.values[:4]):  # 六个一 for the director who left
            care_record(
                actor=officer, handover=handover, act=act, done_on=min(starts_on + timedelta(days=5 + k), today)
            )


# The new teams' first commitments (开门一件事, seed 000): made after the handover, due within the first months.
FIRST_COMMITMENTS = (
    (
        "走访慰问党员群众",
        "新一届两委入户走访全覆盖",
        "两委成员分片包户，逐户走访并建立需求清单",
        "走访全覆盖，建立需求清单",
    ),
    ("改善生产生活条件", "维修村内破损路面和路灯", "排查主街及胡同破损路面、路灯，集中维修", "冬季出行安全"),
    ("抓好班子带好队伍", "建立两委班子坐班值守制度", "党群服务中心每日有人值守，群众办事有人管", "坐班制度上墙公开"),
)


def _first_commitments(officer: User) -> None:
    """Each village whose handover is completed: its new team's first three commitments, in its own term."""
    today = story_today()
    certifications = Certification.objects.filter(
        election__region_id__startswith=TOWN_A, handover__status=HandoverStatus.COMPLETED
    ).select_related("election", "handover")
    for certification in certifications.order_by("election__region_id"):
        election = certification.election
        if Commitment.objects.filter(region_id=election.region_id, term_change=election.term_change_id).exists():
            continue
        for n, (category, title, content, target) in enumerate(FIRST_COMMITMENTS):
            commitment = commitment_create(
                actor=officer,
                village_code=election.region_id,
                year=election.election_day.year,
                category=category,
                title=title,
                content=content,
                target=target,
                deadline=date(election.election_day.year + 1, 1 + n, 28),
                responsible_post="村党组织书记" if n != 1 else "村委会主任",
                source=Source.VISITS,
            )
            if n == 0:
                progress_add(
                    actor=officer,
                    commitment=commitment,
                    written_on=today,  # after the handover that was confirmed today
                    note="已完成 60% 农户走访，收集意见建议 23 条",
                )


def build_demo(*, seed: int) -> None:
    if current_term_change(DEMO_COUNTY) is None:
        return
    officer = User.objects.filter(username="daixi").first()
    supervisor = User.objects.filter(username="jiwei").first()
    if officer is None or supervisor is None:
        return
    for town, username in OFFICERS.items():
        town_officer = User.objects.filter(username=username).first()
        if town_officer is not None:
            _certify_all(town_officer, town)
            _party_posts(town_officer, town)
    _handovers(officer, supervisor)
    _first_commitments(officer)
    # The new teams' first commitments exist now: their self-checks, the town's visit, a case sent upward.
    from cunshe.commitments.demo import build_three_level

    build_three_level(seed=seed)
