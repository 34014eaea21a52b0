"""Building nominations and candidates through the real services, for this module's tests (and others': polling
and the count need formal candidates)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from conftest import new_person
from cunshe.accounts.models import Department
from cunshe.candidates.eligibility import candidates_range
from cunshe.candidates.models import Candidate
from cunshe.candidates.services import NominationRow, candidates_determine, nominations_enter
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.people.models import Person
from cunshe.reviews.models import Candidate as ReviewCandidate
from cunshe.reviews.models import DepartmentReview, ReviewRound
from cunshe.reviews.services import (
    answer_give,
    answers_clear_rest,
    batch_release,
    batch_submit_people,
    department_review_sign,
    departments_install_defaults,
    round_open,
)
from cunshe.voters.models import Voter
from cunshe.voters.tests.factories import registered

_serial = [0]


def people(village: str, n: int, **fields: Any) -> list[Person]:
    made = []
    for _ in range(n):
        _serial[0] += 1
        k = _serial[0]
        made.append(new_person(village, name=f"候选{k:03d}", **fields))
    return made


def review(people: list[Person], *, excluded: tuple[Person, ...] = ()) -> None:
    """Pass `people` through the county's joint review (云联审) of the current term change; `excluded` get a 不通过
    from one department."""
    county = people[0].region_id[:6]
    departments_install_defaults(actor=SYSTEM, county_code=county)
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=county)
    rule = ExclusionRule.objects.filter(county_id=county).order_by("pk").first()
    review_round = ReviewRound.objects.filter(county_id=county).first() or round_open(
        actor=SYSTEM, county_code=county, opened_on=date(2026, 10, 20)
    )
    seen = set(ReviewCandidate.objects.filter(round=review_round).values_list("person_id", flat=True))
    people = [p for p in people if p.pk not in seen]  # one review per person and round (stood before, e.g. party)
    if not people:
        return
    batch = batch_submit_people(
        actor=SYSTEM, review_round=review_round, town_code=people[0].region_id[:9], people=people
    )
    batch = batch_release(actor=SYSTEM, batch=batch, expected_version=batch.version)
    candidates = {c.person_id: c for c in batch.candidates.all()}
    first = True
    for dept_review in DepartmentReview.objects.filter(batch=batch).order_by("pk"):
        if first:
            for person in excluded:
                answer_give(
                    actor=SYSTEM, review=dept_review, candidate=candidates[person.pk], verdict="excluded", rule=rule,
                    reason="测试：有不宜人选情形",
                )  # fmt: skip
            first = False
        answers_clear_rest(actor=SYSTEM, review=dept_review)
        dept_review.refresh_from_db()
        department_review_sign(
            actor=SYSTEM, review=dept_review, conclusion="经查，意见如上。", expected_version=dept_review.version
        )
    assert Department.objects.filter(county_id=county).exists()


def nominate(election: Election, by_post: dict[str, list[Person]], *, ballots: int = 100) -> None:
    """Nominations with falling votes in the order given (the first of each post ranks first)."""
    rows = [
        NominationRow(post=post, person_id=p.pk, votes=max(1, 40 - n * 3))
        for post, nominees in by_post.items()
        for n, p in enumerate(nominees)
    ]
    on = min(date(2026, 12, 1), timezone.localdate(), election.election_day - timedelta(days=7))
    nominations_enter(actor=SYSTEM, election=election, ballots=ballots, rows=rows, on=on)


def formal(election: Election, by_post: dict[str, list[Person]]) -> list[Candidate]:
    return candidates_determine(
        actor=SYSTEM, election=election, chosen={post: [p.pk for p in ps] for post, ps in by_post.items()}
    )


def stand(
    election: Election, by_post: dict[str, list[Person]] | None = None, **fields: Any
) -> dict[str, list[Candidate]]:
    """Formal candidates of every post of `election`, as a village gets them: the people given (in ballot order),
    each post filled up to its 差额 minimum with new villagers (`fields` for them, e.g. party membership), passed
    through the joint review, nominated (falling votes in that order) and settled. Nominees join a register that
    already has voters (a nominee must be on it). Returns the candidates by post, in ballot order."""
    seats = {p.post: p.seats for p in election.posts.all()}
    slate = {post: list((by_post or {}).get(post, [])) for post in seats}
    for post, n in seats.items():
        low, _ = candidates_range(election.rules, post, n)
        slate[post] += people(election.region_id, max(low - len(slate[post]), 0), **fields)
    everyone = [p for ps in slate.values() for p in ps]
    if Voter.objects.filter(register__election=election).exists():
        for person in everyone:
            registered(election, person)
    review(everyone)
    nominate(election, slate)
    made = {c.person_id: c for c in formal(election, slate)}
    return {post: [made[p.pk] for p in ps] for post, ps in slate.items()}
