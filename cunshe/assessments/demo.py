"""两票一度 in the demo county: the county confirms seed 004's 3:5:2, and most villages have counted and closed
their assessment (the party members' vote entered ballot by ballot in a few, from the counting sheet elsewhere)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from cunshe.assessments.models import AssessmentWeights, Poll, SupportPoll, TrustAssessment
from cunshe.assessments.services import (
    assessment_move,
    assessment_open,
    ballot_add,
    poll_enter_totals,
    support_poll_record,
    weights_set,
)
from cunshe.core.actors import SYSTEM
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.teams.models import Post, TeamMember
from cunshe.termchanges.selectors import current_term_change


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed + 31)
    term_change = current_term_change(DEMO_COUNTY)
    if term_change is None:
        return
    if not AssessmentWeights.objects.filter(county_id=DEMO_COUNTY).exists():
        weights_set(
            actor=SYSTEM,
            county_code=DEMO_COUNTY,
            effective_from=date(2026, 9, 1),
            party_weight=3,
            representative_weight=5,
            satisfaction_weight=2,
            flag_below=Decimal("70"),
            flag_distrust_over=Decimal("33.33"),
        )
    villages = sorted(set(TeamMember.objects.filter(ended_on__isnull=True).values_list("region_id", flat=True)))
    for village in villages:
        # Draw everything first, so a second run makes the same choices for every village.
        done = rng.random() < 0.75
        by_ballot = rng.random() < 0.2
        day = date(2026, 10, rng.randint(8, 30))
        entitled = {
            "party": rng.randint(25, 90),
            "representative": rng.randint(20, 45),
            "satisfaction": rng.randint(60, 150),
        }
        mood = rng.random()
        # The village's own generator, seeded before the skip, so every count is the same on a second run.
        village_rng = random.Random(rng.random())
        soundings = [(rng.randint(30, 60), rng.random()) for _ in range(3)]
        _support_demo(village, soundings)
        if not done or TrustAssessment.objects.filter(region_id=village, term_change=term_change).exists():
            continue
        assessment = assessment_open(
            actor=SYSTEM,
            village_code=village,
            held_on=day,
            method="totals",
            base="valid",
            entitled=entitled,
            methods={"party": "ballots"} if by_ballot else None,
        )
        for poll in Poll.objects.filter(assessment=assessment).prefetch_related("tallies"):
            member_ids = [t.member_id for t in poll.tallies.all()]
            # A troubled village (low mood) gives its team fewer good votes.
            good_share = 0.3 + 0.65 * mood
            if poll.method == "ballots":
                for _ in range(poll.entitled - 2):
                    marks = {}
                    for m in member_ids:
                        r = village_rng.random()
                        marks[m] = (
                            "good"
                            if r < good_share
                            else ("fair" if r < good_share + (1 - good_share) * 0.45 else "poor")
                        )
                    ballot_add(actor=SYSTEM, poll=poll, is_valid=True, marks=marks)
                continue
            cast = poll.entitled - int(village_rng.random() * 4)
            invalid = int(village_rng.random() * 2)
            valid = cast - invalid
            counts = {}
            for m in member_ids:
                good = int(valid * min(0.98, good_share + (village_rng.random() - 0.5) * 0.2))
                fair = int((valid - good) * 0.45)
                counts[m] = (good, fair, valid - good - fair)
            poll_enter_totals(
                actor=SYSTEM, poll=poll, cast=cast, invalid=invalid, tallies=counts, expected_version=poll.version
            )
        assessment.refresh_from_db()
        assessment_move(actor=SYSTEM, assessment=assessment, to_status="closed", expected_version=assessment.version)


def _support_demo(village: str, soundings: list[tuple[int, float]]) -> None:
    """The secretary's recommendation vote and the soundings inside and outside the party (三率、两率)."""
    if SupportPoll.objects.filter(region_id=village).exists():
        return
    secretary = TeamMember.objects.filter(region_id=village, post=Post.SECRETARY, ended_on__isnull=True).first()
    if secretary is None:
        return
    for kind, (asked, share) in zip(("recommendation", "party_support", "public_support"), soundings, strict=True):
        support_poll_record(
            actor=SYSTEM,
            village_code=village,
            person=secretary.person,
            kind=kind,
            held_on=date(2026, 10, 20),
            asked=asked,
            in_favour=int(asked * (0.45 + 0.5 * share)),
            note={"recommendation": "党员大会推荐", "party_support": "个别谈话", "public_support": "入户走访"}[kind],
        )
