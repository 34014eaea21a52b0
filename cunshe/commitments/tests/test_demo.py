from typing import Any

from conftest import VILLAGE_A, VILLAGE_B
from cunshe.commitments.demo import build_demo
from cunshe.commitments.models import Commitment, Finding, Inspection, VillageSummary
from cunshe.records.verification import verify_all


def test_the_demo_builds_ledgers_through_the_services_and_a_second_run_changes_nothing(make_person: Any) -> None:
    make_person(VILLAGE_A)
    make_person(VILLAGE_B)
    build_demo(seed=2026)
    counts = (Commitment.objects.count(), Inspection.objects.count(), Finding.objects.count())
    assert (
        Commitment.objects.filter(region_id=VILLAGE_A).exists()
        and Commitment.objects.filter(region_id=VILLAGE_B).exists()
    )
    assert counts[1] == 1 and counts[2] == 6
    summed = sum(VillageSummary.objects.values_list("total", flat=True))
    build_demo(seed=2026)
    assert (Commitment.objects.count(), Inspection.objects.count(), Finding.objects.count()) == counts
    assert summed == counts[0]
    assert verify_all()[1] == []
