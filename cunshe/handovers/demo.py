"""Leader handovers (a post changing hands mid-term) in a few villages of 黛溪街道 and 黄山街道 that hold no election in
the current term change: one completed with its care checklist, some in progress (one overdue, one with an item not
handed over). The committee handovers of the term change are opened from election results (results demo)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.elections.demo import demo_villages
from cunshe.handovers.models import CareAct, Handover, ItemKind, ItemStatus, Party
from cunshe.handovers.services import (
    care_record,
    handover_confirm,
    handover_open,
    item_update,
    templates_ensure_defaults,
)
from cunshe.people.models import Person
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.teams.models import Post
from cunshe.teams.selectors import current_members

TOWNS = {"371681001": "daixi", "371681002": "huangshan"}
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
    rng = random.Random(seed + 5)
    _committee, leader = templates_ensure_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    supervisor = User.objects.filter(username="jiwei").first()
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
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
