from datetime import date, timedelta
from typing import Any

from cunshe.candidates.demo import build_demo
from cunshe.candidates.models import Candidate, ListApproval, NominationSheet
from cunshe.elections.demo import build_demo as elections_demo
from cunshe.elections.models import Election, Kind, Status
from cunshe.records.verification import verify_all
from cunshe.termchanges.demo import build_demo as termchanges_demo


def test_the_demo_publishes_candidates_before_their_deadlines_and_a_second_run_changes_nothing(zouping: Any) -> None:
    termchanges_demo(seed=2026)
    elections_demo(seed=2026)
    build_demo(seed=2026)
    elections = Election.objects.all()
    assert NominationSheet.objects.count() == elections.count() > 0
    party = elections.filter(kind=Kind.PARTY)
    assert ListApproval.objects.count() == party.count()
    for election in elections.exclude(candidates_published_on=None):
        assert election.candidates_published_on is not None
        assert election.candidates_published_on <= election.election_day - timedelta(days=5)
    # without a published register (the voters demo), villagers' lists wait; the others are published
    assert not elections.filter(kind=Kind.PARTY, status=Status.PREPARING).exists()
    assert elections.filter(kind=Kind.SUPERVISION, candidates_published_on__lte=date(2026, 12, 1)).exists()
    counts = (Candidate.objects.count(), NominationSheet.objects.count())
    build_demo(seed=2026)
    assert (Candidate.objects.count(), NominationSheet.objects.count()) == counts
    assert verify_all()[1] == []
