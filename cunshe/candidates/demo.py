"""The demo county's nominations and candidates, as far as the story has come by today (the day the demo is built,
cunshe.elections.demo.story_today): for every election the elections demo opened, nominations about two weeks before
election day, the formal candidates, and the list published a week before (黄山街道's villagers' committees, who vote
today, a week ago: after their register, published 22 days before); party lists with their 两推 counts and
the town party committee's approval. Everyone who stands passed the county's joint review in October (a batch per
town submitted here through the reviews services, all departments clearing it). Villagers' committee lists are
published only where the register was published first (the voters demo); one candidate in 黄山街道 withdrew in
writing and the next in the nomination ranking took the place."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from cunshe.candidates.models import Candidate, NominationSheet
from cunshe.candidates.services import (
    NominationRow,
    candidate_withdraw,
    candidates_determine,
    candidates_publish,
    list_approve,
    nominations_enter,
    recommendations_enter,
)
from cunshe.core.actors import SYSTEM
from cunshe.core.printing import heading, paragraph, render_pdf
from cunshe.elections.demo import TOWN_A, TOWN_B
from cunshe.elections.models import Election, Kind, Status
from cunshe.negativelist.models import UNRESOLVED, NegativeEntry
from cunshe.people.models import Person
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.reviews.models import Candidate as ReviewCandidate
from cunshe.reviews.models import DepartmentReview, ReviewRound
from cunshe.reviews.services import (
    answers_clear_rest,
    batch_release,
    batch_submit_people,
    department_review_sign,
    departments_install_defaults,
    round_open,
)
from cunshe.teams.models import TeamMember
from cunshe.termchanges.selectors import current_term_change

# How many are nominated and how many stand, per post (seats as the elections demo opens them).
SLATE: dict[str, dict[str, tuple[int, int]]] = {
    Kind.PARTY: {"party_member": (7, 6)},
    Kind.VILLAGERS: {"director": (2, 2), "deputy_director": (3, 2), "committee_member": (5, 4)},
    Kind.RESIDENTS: {"director": (2, 2), "deputy_director": (3, 2), "committee_member": (5, 4)},
    Kind.SUPERVISION: {"supervision_chair": (2, 2), "supervision_member": (4, 3)},
}
PUBLISHED_DAYS_BEFORE = 7  # the rules ask for 5 at least
TOWN_PREFIX = {TOWN_A: "黛溪", TOWN_B: "黄山"}
REVIEWED_AT = datetime(2026, 10, 26, 9, 0)


def _pool(election: Election, taken: set[int], excluded: set[int]) -> list[Person]:
    people = Person.objects.filter(region=election.region_id).exclude(pk__in=taken | excluded).order_by("pk")
    if election.kind == Kind.PARTY:
        people = people.filter(is_party_member=True)
    return list(people)


def _slates(elections: list[Election], rng: random.Random) -> dict[int, dict[str, list[Person]]]:
    """Nominees per election and post: distinct people within a village's elections, none already reviewed in the
    round, on the negative list, sitting on the election committee or (for supervision) on the villagers' committee."""
    reviewed = set(ReviewCandidate.objects.exclude(person=None).values_list("person_id", flat=True))
    flagged = set(NegativeEntry.objects.filter(state__in=UNRESOLVED).values_list("person_id", flat=True))
    team = set(TeamMember.objects.filter(ended_on__isnull=True).values_list("person_id", flat=True))
    slates: dict[int, dict[str, list[Person]]] = {}
    taken: dict[str, set[int]] = {}
    for election in elections:
        used = taken.setdefault(election.region_id, set())
        committee = set(election.committee_members.values_list("person_id", flat=True))
        excluded = reviewed | flagged | committee | (team if election.kind == Kind.SUPERVISION else set())
        pool = _pool(election, used, excluded)
        need = sum(n for n, _ in SLATE[election.kind].values())
        if len(pool) < need:
            continue
        chosen = rng.sample(pool, need)
        used.update(p.pk for p in chosen)
        slates[election.pk] = {}
        for post, (n, _) in SLATE[election.kind].items():
            slates[election.pk][post], chosen = chosen[:n], chosen[n:]
    return slates


def _review(by_town: dict[str, list[Person]]) -> None:
    departments_install_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    review_round = ReviewRound.objects.filter(county_id=DEMO_COUNTY).order_by("opened_on").first() or round_open(
        actor=SYSTEM, county_code=DEMO_COUNTY, opened_on=date(2026, 10, 20)
    )
    at = timezone.make_aware(REVIEWED_AT)
    for town, people in by_town.items():
        if not people:
            continue
        batch = batch_submit_people(
            actor=SYSTEM, review_round=review_round, town_code=town, people=people, post="村(社区)换届选举候选人"
        )
        batch = batch_release(actor=SYSTEM, batch=batch, expected_version=batch.version, now=at)
        for n, review in enumerate(DepartmentReview.objects.filter(batch=batch).order_by("pk")):
            answers_clear_rest(actor=SYSTEM, review=review, now=at + timedelta(hours=1))
            review.refresh_from_db()
            department_review_sign(
                actor=SYSTEM, review=review, conclusion="经查询本单位系统，未发现不宜人选情形。",
                expected_version=review.version, now=at + timedelta(hours=2, minutes=n * 7),
            )  # fmt: skip


def _letter(name: str) -> bytes:
    return render_pdf(
        [*heading("书面退出申请"), paragraph(f"本人{name}因外出务工，自愿退出正式候选人。")], "书面退出申请"
    )


def build_demo(*, seed: int) -> None:
    term_change = current_term_change(DEMO_COUNTY)
    if term_change is None:
        return
    rng = random.Random(seed + 30)
    elections = list(
        Election.objects.filter(term_change=term_change, round="main")
        .exclude(pk__in=NominationSheet.objects.values("election_id"))
        .select_related("region", "rules")
        .order_by("election_day", "region", "kind")
    )
    if not elections:
        return
    slates = _slates(elections, rng)
    by_town: dict[str, list[Person]] = {}
    for election in elections:
        for nominees in slates.get(election.pk, {}).values():
            by_town.setdefault(election.region_id[:9], []).extend(nominees)
    _review(by_town)
    withdrawn = False
    for election in elections:
        slate = slates.get(election.pk)
        if slate is None:
            continue
        day = election.election_day
        published = day - timedelta(days=PUBLISHED_DAYS_BEFORE)
        nominated = published - timedelta(days=5)
        ballots = rng.randint(60, 80) if election.kind in (Kind.VILLAGERS, Kind.RESIDENTS) else rng.randint(20, 30)
        rows = []
        for post, nominees in slate.items():
            seats = next(p.seats for p in election.posts.all() if p.post == post)
            # falling shares of nine tenths of what the ballots could carry (ballots × seats), none over the ballots
            weights = list(range(len(nominees), 0, -1))
            for person, w in zip(nominees, weights, strict=True):
                votes = ballots * seats * 9 * w // (10 * sum(weights))
                rows.append(NominationRow(post, person.pk, max(1, min(ballots, votes))))
        nominations_enter(actor=SYSTEM, election=election, ballots=ballots, rows=rows, on=nominated)
        chosen = {post: [p.pk for p in nominees[: SLATE[election.kind][post][1]]] for post, nominees in slate.items()}
        # the ranking decides who stands: the votes above fall with the order of the slate
        candidates_determine(actor=SYSTEM, election=election, chosen=chosen)
        if election.kind == Kind.PARTY:
            members = Person.objects.filter(region=election.region_id, is_party_member=True).count()
            recommendations_enter(
                actor=SYSTEM,
                election=election,
                counts={p.pk: (rng.randint(20, 60), rng.randint(members // 3, members)) for p in slate["party_member"]},
            )
            list_approve(
                actor=SYSTEM, election=election, approved_on=published - timedelta(days=2),
                document=f"{TOWN_PREFIX.get(election.region_id[:9], "")}党字〔2026〕{rng.randint(10, 99)}号",
            )  # fmt: skip
        election.refresh_from_db()
        if election.is_direct and election.status != Status.REGISTER_PUBLISHED:
            continue  # no register published yet: the list waits for it
        candidates_publish(actor=SYSTEM, election=election, on=published, expected_version=election.version)
        if not withdrawn and election.region_id.startswith(TOWN_B) and election.is_direct:
            gone = Candidate.objects.filter(election=election, post="committee_member").order_by("rank").last()
            if gone is not None:
                candidate_withdraw(
                    actor=SYSTEM, candidate=gone, on=published + timedelta(days=2), reason="外出务工，书面申请退出",
                    letter_name="书面退出申请.pdf", letter_type="application/pdf", letter=_letter(gone.person.name),
                    expected_version=gone.version,
                )  # fmt: skip
                withdrawn = True
