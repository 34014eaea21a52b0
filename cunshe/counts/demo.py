"""The count in the demo county (ELECTIONS.md, "The demo story"), only as far as the story has come and only for the
elections the earlier demos brought to polling (registered voters, formal candidates, polling stations, status
投票中): 黛溪街道's November rounds are entered twice, settled, signed off and counted — its second village's
villagers' committee leaves a member seat for 另行选举 (set for a week after today) and its third is invalid by
turnout; 黄山街道 votes today (the day the demo is built, cunshe.elections.demo.story_today): its first box entered
twice and agreeing, the second with differing entries, the third quarantined, the rest not yet in. Two entry clerks (计票录入员) per village enter the sheets; the town officer settles and signs off.
Safe to run twice: a sheet already entered is left as it is."""

from __future__ import annotations

import random
from typing import Any

from cunshe.accounts.models import User
from cunshe.accounts.services import role_assign
from cunshe.candidates.models import Candidate, CandidateStatus
from cunshe.core.actors import SYSTEM
from cunshe.counts.models import Sheet, SheetStatus
from cunshe.counts.services import (
    further_round_open,
    scan_add,
    sheet_enter,
    sheet_sign_off,
)
from cunshe.demo.county import demo_account
from cunshe.elections.demo import (
    FURTHER_ROUND_PLACE,
    INVALID_PLACE,
    TOWN_A,
    TOWN_B,
    further_round_day,
    story_today,
    story_village,
)
from cunshe.elections.models import Election, ElectionResult, Kind, Round, Status
from cunshe.people.models import Person
from cunshe.polling.models import Station
from cunshe.voters.selectors import registered_total

# A tiny PNG standing for the photo of the signed paper sheet.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 16


def _clerks(village: str) -> tuple[User, User]:
    found = []
    for n in (1, 2):
        user, created = demo_account(
            username=f"jp{village[-6:]}{n}", display_name=f"计票录入员{n}（{village[-3:]}）", region_code=village
        )
        if created:
            role_assign(actor=SYSTEM, user=user, role="village_cadre", region_code=village)
        found.append(user)
    return found[0], found[1]


def _paper(
    election: Election, station: Station | None, rng: random.Random, *, share: float, weak_member: bool
) -> dict[str, Any]:
    """A plausible paper sheet: `share` of the box's voters return a ballot; the first candidate of each post gets
    most votes; with `weak_member` the members' votes spread so that one seat stays empty."""
    registered = max(registered_total(election), 1) if election.is_direct else 0
    boxes: list[Station | None] = list(Station.objects.filter(election=election).order_by("position")) or [None]
    box = boxes.index(station) if station in boxes else 0
    meeting = not election.is_direct
    # a party meeting is due every member of the village's party organisation; a representatives' meeting ~30
    members = Person.objects.filter(region=election.region, is_party_member=True).count()
    due = (members if election.kind == Kind.PARTY else 30) if meeting else 0
    if meeting:  # only those present are given a ballot, and all of them put it in the box
        issued = returned = max(int(due * share), 1)
    else:  # the voters split over the boxes; each box's turnout a little different (no two sheets alike)
        issued = max(registered // len(boxes) + (1 if box < registered % len(boxes) else 0), 5)
        returned = max(int(issued * share) - box, 1)
    invalid = 1 if returned > 10 else 0
    valid = returned - invalid
    votes: dict[str, int] = {}
    for post in election.posts.all():
        ranked = list(
            Candidate.objects.filter(election=election, post=post.post, status=CandidateStatus.FORMAL)
            .select_related("person")
            .order_by("rank")
        )
        women = [c for c in ranked if c.person.gender == "F"]
        if post.post.endswith("member") and women:  # the committee's woman is among the strong (woman's seat)
            ranked = [women[0], *(c for c in ranked if c.pk != women[0].pk)]
        strong, weak = {}, {}
        for n, c in enumerate(ranked):
            elected = n < post.seats and not (weak_member and post.post.endswith("member") and n == post.seats - 1)
            # distinct figures (no ties): the elected well over half, the others well under
            if elected:  # clearly over half of those who voted (or were present), each a different figure
                strong[str(c.pk)] = min(
                    max(int(valid * rng.uniform(0.75, 0.95)), returned // 2 + 1) + post.seats - n, valid - n
                )
            else:
                weak[str(c.pk)] = int(valid * rng.uniform(0.1, 0.3)) - n
        # a ballot names at most as many as there are seats: the others share what the elected leave
        room = valid * post.seats - sum(strong.values())
        spread = sum(v for v in weak.values() if v > 0)
        scale = min(1.0, room / spread) if spread else 1.0
        votes.update(strong)
        votes.update({k: max(int(v * scale), 0) for k, v in weak.items()})
    data: dict[str, Any] = {
        "issued": issued, "returned": returned, "valid": valid, "invalid": invalid, "void": {}, "votes": votes,
        "write_ins": [],
    }  # fmt: skip
    if meeting:
        data.update(
            due=due,
            present=returned,
            absent=[{"name": f"党员{n}", "reason": "外出务工"} for n in range(due - returned)],
        )
    return data


def _count_round(election: Election, rng: random.Random, officer: Any, *, share: float, weak: bool) -> None:
    first, second = _clerks(election.region_id)
    stations: list[Station | None] = list(Station.objects.filter(election=election)) if election.is_direct else [None]
    for station in stations:
        if Sheet.objects.filter(election=election, station=station).exists():
            continue
        data = _paper(election, station, rng, share=share, weak_member=weak)
        sheet_enter(actor=first, election=election, station=station, data=data)
        sheet = sheet_enter(actor=second, election=election, station=station, data=data)
        scan_add(actor=first, sheet=sheet, name="签字计票单.png", content_type="image/png", content=PNG)
        if sheet.status == SheetStatus.RECONCILED:
            election.refresh_from_db()
            sheet_sign_off(actor=officer, sheet=sheet, expected_version=sheet.version)


def _ready(election: Election) -> bool:
    has_boxes = Station.objects.filter(election=election).exists() or not election.is_direct
    return election.status == Status.VOTING and has_boxes and election.candidates.exists()


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed)
    today = story_today()
    officer_a = User.objects.filter(username="daixi").first() or SYSTEM
    officers = {TOWN_A: officer_a, TOWN_B: User.objects.filter(username="huangshan").first() or SYSTEM}
    past = Election.objects.filter(region_id__startswith=TOWN_A[:6], election_day__lt=today).order_by(
        "election_day", "region_id"
    )
    villages = sorted({e.region_id for e in past if e.kind == Kind.VILLAGERS and e.round == Round.MAIN})
    further_village = story_village(villages, FURTHER_ROUND_PLACE)
    invalid_village = story_village(villages, INVALID_PLACE)
    for election in past:
        if not _ready(election):
            continue
        direct_main = election.kind == Kind.VILLAGERS and election.round == Round.MAIN
        share = 0.45 if direct_main and election.region_id == invalid_village else 0.9
        weak = direct_main and election.region_id == further_village
        _count_round(election, rng, officers.get(election.region_id[:9], SYSTEM), share=share, weak=weak)
        election.refresh_from_db()
        result = ElectionResult.objects.filter(election=election).first()
        if weak and result and result.status in ("further_round", "tie") and not election.rounds.exists():
            # its candidates and boxes are still being prepared
            further_round_open(actor=officer_a, election=election, election_day=further_round_day(today))
    # 黄山街道 today: the first box agreed, the second differing, the third quarantined, the rest not yet in.
    for election in Election.objects.filter(region_id__startswith=TOWN_B, election_day=today, kind=Kind.VILLAGERS):
        if not _ready(election) or election.count_sheets.exists():
            continue
        first, second = _clerks(election.region_id)
        boxes = list(Station.objects.filter(election=election).order_by("position"))
        for n, station in enumerate(boxes[:3]):
            data = _paper(election, station, rng, share=0.7, weak_member=False)
            if n == 2:  # the box's sheet says more ballots returned than issued: stopped by the checks
                data = {**data, "returned": data["issued"] + 1, "valid": data["valid"] + 1}
            other = data
            if n == 1:  # the second clerk keys one candidate's votes differently: waits for the town to settle
                key = next(iter(data["votes"]))
                other = {**data, "votes": {**data["votes"], key: data["votes"][key] + 1}}
            sheet_enter(actor=first, election=election, station=station, data=data)
            sheet_enter(actor=second, election=election, station=station, data=other)
