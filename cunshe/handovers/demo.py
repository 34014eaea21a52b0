"""Leader handovers (a post changing hands mid-term) in a few villages of 黛溪街道 and 黄山街道 that hold no election in
the current term change: one completed with its care checklist, some in progress (one overdue, one with an item not
handed over). The committee handovers of the term change are opened from election results (results demo).

Leader handovers above the village (seed 003), dated from the story's today (the day the demo is built,
cunshe.elections.demo.story_today): 黛溪街道党工委's secretary, moved by the county committee two days before, handed
over from the day before under the joint supervising group (组织部 zzb, 纪委监委 jiwei, 财政局 caizheng, 审计局
shenji), the freeze notice sent to 市财政局 first and lifted by the completion, one 询问追问 answered, the conduct
filed to the leaver's 执行力档案; and 市农业农村局's director, whose handover opened on the demo's day with the
freeze notice sent and the items still being counted."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.elections.demo import demo_villages, story_today
from cunshe.handovers.models import CareAct, GroupParty, Handover, ItemKind, ItemStatus, Kind, Party
from cunshe.handovers.services import (
    care_record,
    handover_confirm,
    handover_open,
    item_update,
    templates_ensure_defaults,
)
from cunshe.handovers.units import conduct_file, freeze_notice_send, inquiry_add, inquiry_answer, unit_handover_open
from cunshe.people.models import Person
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.teams.models import Post
from cunshe.teams.selectors import current_members

TOWNS = {"371681001": "daixi", "371681002": "huangshan"}
TOWN_A = "371681001"
FINANCE = "邹平市财政局"
# (region, unit, post, who runs it, leavers' town, days before today it started, completed): the leader handovers
# above the village
UNITS = [
    (TOWN_A, "黛溪街道党工委", "党工委书记", "daixi", TOWN_A, 1, True),
    (DEMO_COUNTY, "邹平市农业农村局", "党组书记、局长", "zzb", "371681002", 0, False),
]
STATES = ("done", "open", "overdue", "not_handed")


def _record_items(handover: Handover, actor: User, *, missing: int | None, rng: random.Random) -> None:
    for item in handover.items.order_by("position"):
        if item.position == missing:
            item_update(
                actor=actor,
                item=item,
                status=ItemStatus.NOT_HANDED,
                discrepancy="原负责人称材料在家中，尚未交回",
                expected_version=item.version,
            )
            continue
        item_update(
            actor=actor,
            item=item,
            status=ItemStatus.HANDED,
            count=rng.randint(1, 12) if item.item_kind == ItemKind.COUNT else None,
            amount=Decimal(rng.randint(1000, 900000)) if item.item_kind == ItemKind.MONEY else None,
            details="已按清单逐项清点核对",
            expected_version=item.version,
        )


def build_demo(*, seed: int) -> None:
    today = story_today()
    _leader_handovers(seed, today)
    rng = random.Random(seed + 5)
    _committee, leader = templates_ensure_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    supervisor = User.objects.filter(username="jiwei").first()
    tz = timezone.get_current_timezone()
    for town, username in TOWNS.items():
        officer = User.objects.filter(username=username).first()
        # Committee handovers come from election results (results demo); here, mid-term leader handovers in
        # villages without an election in the current term change.
        electing = {v.code for v in demo_villages(town)}  # the elections demo runs after this one
        people = sorted(set(Person.objects.filter(region_id__startswith=town).values_list("region_id", flat=True)))
        villages = [v for v in people if v not in electing][:4]
        for n, village in enumerate(villages):
            # Draw before any skip, so a second run makes the same choices.
            state = STATES[n % len(STATES)]
            days_ago = rng.randint(12, 20) if state == "overdue" else rng.randint(1, 5)
            item_rng = random.Random(rng.random())
            if officer is None or supervisor is None or Handover.objects.filter(region_id=village).exists():
                continue
            members = list(current_members(village))
            director = next((m.person for m in members if m.post == Post.DIRECTOR), None)
            newcomer = (
                Person.objects.filter(region_id=village)
                .exclude(pk__in=[m.person_id for m in members])
                .order_by("id")
                .first()
            )
            if director is None or newcomer is None:
                continue
            starts_on: date = today - timedelta(days=days_ago)
            handover = handover_open(
                actor=officer,
                village_code=village,
                template=leader,
                outgoing=director,
                incoming=newcomer,
                working_group=officer,
                supervisor=supervisor,
                starts_on=starts_on,
                meeting_at=datetime.combine(starts_on, time(9, 30), tz),
                meeting_place="村党群服务中心会议室",
                working_group_members="乡镇包村干部、财政所会计、管区书记",
            )
            if state == "overdue":
                continue
            _record_items(handover, officer, missing=2 if state == "not_handed" else None, rng=item_rng)
            if state != "done":
                continue
            for actor, party in (
                (officer, Party.OUTGOING),
                (officer, Party.INCOMING),
                (officer, Party.WORKING_GROUP),
                (supervisor, Party.SUPERVISOR),
            ):
                current = Handover.objects.get(pk=handover.pk)
                handover_confirm(actor=actor, handover=current, party=party, expected_version=current.version)
            for act in CareAct.values[:4]:
                care_record(actor=officer, handover=handover, act=act, done_on=today)


def _group() -> list[tuple[str, User, str]] | None:
    accounts = {u.username: u for u in User.objects.filter(username__in=["zzb", "jiwei", "caizheng", "shenji"])}
    if len(accounts) < 4:
        return None
    return [
        (GroupParty.ORGANIZATION, accounts["zzb"], "市委组织部"),
        (GroupParty.DISCIPLINE, accounts["jiwei"], "市纪委监委"),
        (GroupParty.FINANCE, accounts["caizheng"], "市财政局"),
        (GroupParty.AUDIT, accounts["shenji"], "市审计局"),
    ]


def _leavers(town: str) -> tuple[Person, Person] | None:
    """Two people of the town's last demo village that holds no election (the leaver and the successor)."""
    electing = {v.code for v in demo_villages(town)}
    codes = sorted(set(Person.objects.filter(region_id__startswith=town).values_list("region_id", flat=True)))
    quiet = [c for c in codes if c not in electing]
    if not quiet:
        return None
    pair = list(Person.objects.filter(region_id=quiet[-1]).order_by("-pk")[:2])
    return (pair[0], pair[1]) if len(pair) == 2 else None


def _sign_all(handover: Handover, runner: User, group: list[tuple[str, User, str]]) -> None:
    """The leaver, successor and working group sign on paper (recorded by the runner); 组织部 and 纪委监委 in the
    system under their own accounts; 财政局 and 审计局 on paper, as their accounts see no handovers."""
    signers: list[tuple[User, str]] = [(runner, p) for p in (Party.OUTGOING, Party.INCOMING, Party.WORKING_GROUP)]
    signers += [(runner, GroupParty.FINANCE), (runner, GroupParty.AUDIT)]
    signers += [(user, party) for party, user, _d in group if party in (GroupParty.ORGANIZATION, GroupParty.DISCIPLINE)]
    for actor, party in signers:
        current = Handover.objects.get(pk=handover.pk)
        handover_confirm(actor=actor, handover=current, party=party, expected_version=current.version)


def _leader_handovers(seed: int, today: date) -> None:
    group = _group()
    tz = timezone.get_current_timezone()
    for n, (region, unit, post, runner_name, town, days_ago, completed) in enumerate(UNITS):
        item_rng = random.Random(seed + 50 + n)
        runner = User.objects.filter(username=runner_name).first()
        leavers = _leavers(town)
        starts_on = today - timedelta(days=days_ago)
        if group is None or runner is None or leavers is None or timezone.localdate() < starts_on:
            continue
        if Handover.objects.filter(kind=Kind.UNIT, region_id=region, unit_name=unit).exists():
            continue  # built by an earlier run
        handover = unit_handover_open(
            actor=runner,
            region_code=region,
            unit_name=unit,
            post=post,
            outgoing=leavers[0],
            incoming=leavers[1],
            working_group=runner,
            group=group,
            starts_on=starts_on,
            meeting_at=datetime.combine(starts_on, time(14, 30), tz),
            meeting_place="街道机关三楼会议室" if region == TOWN_A else "市委组织部二楼会议室",
            working_group_members="组织部干部科、纪委监委派驻纪检组、财政局会计科、审计局经责科",
        )
        freeze_notice_send(actor=runner, handover=handover, addressed_to=FINANCE)
        if not completed:
            continue
        _record_items(handover, runner, missing=None, rng=item_rng)
        _sign_all(handover, runner, group)
        question = inquiry_add(
            actor=runner,
            handover=handover,
            question="街道在建污水管网工程的尾款何时结清？",
            due_on=today + timedelta(days=7),
        )
        inquiry_answer(
            actor=runner,
            leftover=question,
            answer="已列入明年一季度街道预算，审计结算后支付。",
            expected_version=question.version,
        )
        conduct_file(
            actor=runner,
            handover=Handover.objects.get(pk=handover.pk),
            conduct="交接主动，一单一表逐项核对、应交尽交；对询问追问答复及时，未发现隐瞒遗漏。",
        )
