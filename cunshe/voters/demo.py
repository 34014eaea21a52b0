"""The demo registers, as far as the story has come by today (the day the demo is built): every direct election the
elections demo opened gets its register built from the village registry about a month before election day, its
voters spread over four 村民小组, published 22 days before (黛溪街道 2026-10-24 for 11-15, 黄山街道 22 days before
today's vote: 2026-11-13 for a vote on 12-05), one voter per
village left out of the total (外出不归), and in the first village of each town three objections decided in time
(one correction upheld, one removal upheld, one rejected). A further round or a rerun votes on its parent's register,
carried over by register_build when that round exists (opened later in the story by the count and result demos)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cunshe.core.actors import SYSTEM
from cunshe.elections import timeline
from cunshe.elections.models import DIRECT_KINDS, Election, Status
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.termchanges.selectors import current_term_change
from cunshe.voters.models import ObjectionClaim, ObjectionOutcome, Register, Voter
from cunshe.voters.services import (
    objection_decide,
    objection_file,
    register_build,
    register_publish,
    voter_leave_out,
)

GROUPS = ("第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组")
PUBLISHED_DAYS_BEFORE = 22
BUILT_DAYS_BEFORE = 30


def build_demo(*, seed: int) -> None:
    term_change = current_term_change(DEMO_COUNTY)
    if term_change is None:
        return
    rng = random.Random(seed + 10)
    elections = (
        Election.objects.filter(term_change=term_change, kind__in=DIRECT_KINDS, register__isnull=True)
        .select_related("region", "rules")
        .order_by("parent_id", "region", "pk")
    )
    first_of_town: set[str] = set()
    for election in elections:
        day = election.election_day
        register = register_build(actor=SYSTEM, election=election, on=day - timedelta(days=BUILT_DAYS_BEFORE)).register
        if election.parent_id:
            continue  # carried over from its parent's register, already published
        voters = list(register.voters.select_related("person").order_by("person__name", "pk"))
        for n, voter in enumerate(voters):
            voter.group = GROUPS[n % len(GROUPS)]
        Voter.objects.bulk_update(voters, ["group"])  # the groups as the cadre entered them, before publication
        if election.status != Status.PREPARING:
            continue
        published = day - timedelta(days=PUBLISHED_DAYS_BEFORE)
        register_publish(actor=SYSTEM, register=register, on=published, expected_version=register.version)
        away = voters[rng.randrange(len(voters))] if voters else None
        if away is not None:
            away.refresh_from_db()
            voter_leave_out(
                actor=SYSTEM,
                voter=away,
                rule="《邹平市村民委员会选举实施细则》：外出不归、既未登记也未在规定期限内提出异议的，不计入登记选民总数",
                decision="村民选举委员会决定：外出务工，经联系未登记，不计入登记选民总数",
                expected_version=away.version,
            )
        town = election.region_id[:9]
        if town in first_of_town or len(voters) < 4:
            continue
        first_of_town.add(town)
        _objections(register, voters, published)


def _objections(register: Register, voters: list[Voter], published: date) -> None:
    rules = register.election.rules
    filed = published + timedelta(days=2)
    decided = min(timeline.objection_decisions_by(rules, published), filed + timedelta(days=4))
    cases = [
        (voters[0], ObjectionClaim.CORRECT, "本人", "小组登记有误，实际居住在第二村民小组", ObjectionOutcome.UPHELD),
        (voters[1], ObjectionClaim.REMOVE, "同组村民", "该村民已于公布前去世", ObjectionOutcome.UPHELD),
        (voters[2], ObjectionClaim.REMOVE, "同组村民", "长期在外居住", ObjectionOutcome.REJECTED),
    ]
    for n, (voter, claim, by, grounds, outcome) in enumerate(cases, start=1):
        objection = objection_file(
            actor=SYSTEM,
            register=register,
            person=voter.person,
            claim=claim,
            filed_by=by if by != "本人" else voter.person.name,
            filed_on=filed,
            grounds=grounds,
            group=GROUPS[1] if claim == ObjectionClaim.CORRECT else "",
        )
        objection_decide(
            actor=SYSTEM,
            objection=objection,
            outcome=outcome,
            decided_on=decided,
            decision_ref=f"{register.election.region.name}村民选举委员会〔{decided.year}〕{n}号",
            decision_text="经核实，申诉成立，予以更正。"
            if outcome == ObjectionOutcome.UPHELD
            else "经核实，户籍在本村并表示参加选举，依法应予登记，申诉不成立。",
            expected_version=objection.version,
        )
