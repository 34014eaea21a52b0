"""Who may stand, and how many must stand: the reasons a person cannot be a formal candidate (in Chinese, per
person) and the 差额 margins per post from the election's rule set, with exact fractions."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from django.db.models import Q

from cunshe.elections.models import Election, ElectionRules, Kind
from cunshe.negativelist.models import UNRESOLVED, NegativeEntry
from cunshe.people.models import Person
from cunshe.people.selectors import close_relatives
from cunshe.reviews.models import Candidate as ReviewCandidate
from cunshe.reviews.models import Outcome
from cunshe.teams.models import Committee, Post, TeamMember

HEAD = (Post.DIRECTOR, Post.SUPERVISION_CHAIR)
DEPUTY = (Post.DEPUTY_DIRECTOR,)
MEMBER = (Post.COMMITTEE_MEMBER, Post.SUPERVISION_MEMBER)


def candidates_range(rules: ElectionRules, post: str, seats: int) -> tuple[int, int | None]:
    """How many formal candidates a post needs: (at least, at most or None). Party committees need at least 20%
    more than seats, rounded up (6 seats × 6/5 = 7.2 → 8); the others a fixed number more."""
    if post == Post.PARTY_MEMBER:
        need = Fraction(seats) * (1 + rules.party_margin)
        return math.ceil(need), None
    if post in HEAD:
        return seats + rules.extra_head_min, None
    if post in DEPUTY:
        return seats + rules.extra_deputy_min, None
    return seats + rules.extra_member_min, seats + rules.extra_member_max


def margin_error(rules: ElectionRules, post: str, seats: int, count: int) -> str:
    low, high = candidates_range(rules, post, seats)
    label = Post(post).label
    if count < low:
        if post == Post.PARTY_MEMBER:
            return (
                f"{label}应选 {seats} 名，候选人须多于应选人数 {rules.party_margin} 以上（差额），"
                f"至少 {low} 名；现有 {count} 名。"
            )
        return f"{label}应选 {seats} 名，候选人至少 {low} 名（差额）；现有 {count} 名。"
    if high is not None and count > high:
        return f"{label}应选 {seats} 名，候选人至多 {high} 名（差额）；现有 {count} 名。"
    return ""


def review_passed_ids(election: Election, people: Iterable[Person]) -> set[int]:
    """Of `people`, those who passed the joint review (联审通过) in a round of this term change: the result, or the
    county's decision on a 存疑 result. A review row names the person, or only the ID number (imported batches)."""
    people = list(people)
    by_id_number = {p.id_number: p.pk for p in people}
    passed = (
        ReviewCandidate.objects.filter(round__term_change=election.term_change)
        .filter(Q(person__in=[p.pk for p in people]) | Q(id_number__in=list(by_id_number)))
        .filter(Q(result=Outcome.CLEARED) | Q(result=Outcome.DOUBTFUL, decision=Outcome.CLEARED))
    )
    found: set[int] = set()
    for person_id, id_number in passed.values_list("person_id", "id_number"):
        found.add(person_id or by_id_number.get(id_number, 0))
    return found - {0}


def cannot_stand(election: Election, people: Iterable[Person]) -> dict[int, list[str]]:
    """Why each of `people` cannot be a formal candidate of `election` (an empty list: may stand). A constant number
    of queries for any number of people."""
    people = list(people)
    ids = [p.pk for p in people]
    passed = review_passed_ids(election, people)
    flagged = set(
        NegativeEntry.objects.filter(person_id__in=ids, state__in=UNRESOLVED).values_list("person_id", flat=True)
    )
    committee: set[int] = set()
    relatives: dict[int, set[int]] = {}
    if election.kind == Kind.SUPERVISION:
        committee = set(
            TeamMember.objects.filter(
                region=election.region_id, committee=Committee.VILLAGERS, ended_on__isnull=True
            ).values_list("person_id", flat=True)
        )
        relatives = close_relatives(ids)
    reasons: dict[int, list[str]] = {}
    for p in people:
        why: list[str] = []
        if p.region_id != election.region_id:
            why.append("不是本村(社区)登记人员。")
        if p.pk not in passed:
            why.append("未通过本次换届的资格联审（或联审尚无结论）。")
        if p.pk in flagged:
            why.append("负面清单中有未核结的情形。")
        if election.kind == Kind.PARTY and not p.is_party_member:
            why.append("不是中共党员，不能作为党组织委员候选人。")
        if election.kind == Kind.SUPERVISION:
            if p.pk in committee:
                why.append("是现任村(居)民委员会成员，不能担任村(居)务监督委员会成员。")
            elif relatives.get(p.pk, set()) & committee:
                why.append("是现任村(居)民委员会成员的近亲属，不能担任村(居)务监督委员会成员。")
        reasons[p.pk] = why
    return reasons
