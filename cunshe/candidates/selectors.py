"""Reads of the candidates module: an election's nominations ranked per post with the reasons each nominee cannot
stand, and its formal candidates in ballot order. Callers fetch the election through election_policy first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from cunshe.candidates.eligibility import candidates_range, cannot_stand
from cunshe.candidates.models import (
    Candidate,
    CandidateStatus,
    ListApproval,
    Nomination,
    NominationSheet,
    VoterMeeting,
)
from cunshe.elections.models import Election, Status
from cunshe.teams.models import Post


@dataclass
class Nominee:
    row: Nomination
    rank: int
    reasons: list[str]
    candidate: Candidate | None


@dataclass
class PostBoard:
    post: str
    label: str
    seats: int
    need_min: int
    need_max: int | None
    nominees: list[Nominee] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Board:
    election: Election
    sheet: NominationSheet | None
    approval: ListApproval | None
    posts: list[PostBoard]
    withdrawn: list[Candidate]

    @property
    def published(self) -> bool:
        return self.election.candidates_published_on is not None and self.election.status not in (
            Status.PREPARING,
            Status.REGISTER_PUBLISHED,
        )


def candidates_of(election: Election) -> QuerySet[Candidate]:
    """The formal candidates, by ballot position (ballot_order puts the posts in their order too)."""
    return election.candidates.filter(status=CandidateStatus.FORMAL).select_related("person").order_by("position")


def ballot_order(election: Election) -> list[Candidate]:
    order = {p.post: p.position for p in election.posts.all()}
    return sorted(candidates_of(election), key=lambda c: (order.get(c.post, 99), c.position))


def board(election: Election) -> Board:
    """Everything the candidates page shows, in a constant number of queries."""
    sheet = NominationSheet.objects.filter(election=election).first()
    rows = list(sheet.rows.select_related("person").order_by("post", "-votes", "pk")) if sheet else []
    everyone = list(election.candidates.select_related("person", "replaces__person").order_by("position", "pk"))
    formal = {(c.post, c.person_id): c for c in everyone if c.status == CandidateStatus.FORMAL}
    reasons = cannot_stand(election, list({r.person_id: r.person for r in rows}.values()))
    posts: list[PostBoard] = []
    for p in election.posts.all():
        low, high = candidates_range(election.rules, p.post, p.seats)
        pb = PostBoard(p.post, Post(p.post).label, p.seats, low, high)
        for n, r in enumerate((r for r in rows if r.post == p.post), start=1):
            pb.nominees.append(Nominee(r, n, reasons.get(r.person_id, []), formal.get((p.post, r.person_id))))
        pb.candidates = [c for c in everyone if c.post == p.post and c.status == CandidateStatus.FORMAL]
        posts.append(pb)
    approval = ListApproval.objects.filter(election=election).first()
    withdrawn = [c for c in everyone if c.status == CandidateStatus.WITHDRAWN]
    return Board(election, sheet, approval, posts, withdrawn)


def person_facts(candidate: Candidate, on: Any) -> dict[str, str]:
    """What the public list shows of a candidate: never the ID number."""
    p = candidate.person
    return {
        "name": p.name,
        "gender": p.get_gender_display(),
        "age": str(p.age_on(on)),
        "party": "中共党员" if p.is_party_member else "群众",
        "education": p.get_education_display() or "—",
    }


def voter_meetings(election: Election) -> list[VoterMeeting]:
    """The recorded meetings of the candidates with the voters, in date order (two queries)."""
    return list(
        VoterMeeting.objects.filter(election=election)
        .prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.select_related("person").order_by("position"))
        )
        .order_by("held_on", "pk")
    )
