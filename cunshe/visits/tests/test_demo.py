from typing import Any

from django.db.models import F
from django.utils import timezone

from conftest import VILLAGE_A
from cunshe.assessments.rates import village_rates
from cunshe.assessments.selectors import prospects_of
from cunshe.records.verification import verify_all
from cunshe.teams.demo import build_demo as build_teams
from cunshe.visits.demo import build_demo
from cunshe.visits.models import CandidateOpinion, Visit
from cunshe.visits.tests.test_visits import party_member


def test_demo_visits_carry_candidate_opinions_so_the_support_rates_show_numbers(
    term_change: Any, make_person: Any
) -> None:
    for _ in range(6):
        party_member(make_person)
    for _ in range(5):
        make_person(VILLAGE_A)
    build_teams(seed=2026)
    build_demo(seed=2026)
    counts = (Visit.objects.count(), CandidateOpinion.objects.count())
    assert counts[0] > 0 and counts[1] > 0
    # Nobody is asked about themselves.
    assert not CandidateOpinion.objects.filter(candidate_id=F("visit__target__person_id")).exists()
    rows = village_rates(VILLAGE_A, term_change, prospects_of(VILLAGE_A), on=timezone.localdate())
    assert any(r.party_support is not None for r in rows) and any(r.public_support is not None for r in rows)
    build_demo(seed=2026)
    assert (Visit.objects.count(), CandidateOpinion.objects.count()) == counts
    assert verify_all()[1] == []
