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


def test_the_demo_story_of_three_level_responsibility(demo_county: None) -> None:
    from datetime import date

    from cunshe.commitments.demo import build_demo as again
    from cunshe.commitments.models import CaseSending, SelfCheck, TownVisit
    from cunshe.commitments.responsibility import three_level_table
    from cunshe.elections.demo import TOWN_A, story_today
    from cunshe.regions.models import Region

    counts = (SelfCheck.objects.count(), TownVisit.objects.count(), CaseSending.objects.count())
    again(seed=2026)  # safe to run twice
    assert (SelfCheck.objects.count(), TownVisit.objects.count(), CaseSending.objects.count()) == counts
    checks = SelfCheck.objects.filter(region_id__startswith=TOWN_A)
    assert checks.exists() and all(date(2026, 11, 20) <= c.checked_on <= date(2026, 11, 30) for c in checks)
    assert all(c.commitment.term_change_id is not None for c in checks)  # the new teams' commitments
    visit = TownVisit.objects.get(town_id=TOWN_A)
    assert visit.visited_on == date(2026, 11, 30) and visit.followed_up_on == date(2026, 12, 3)
    assert set(visit.villages) <= set(checks.values_list("region_id", flat=True))
    sent = list(CaseSending.objects.order_by("sent_on").values_list("sent_on", "level"))
    assert sent == [(date(2026, 12, 2), "county"), (date(2026, 12, 4), "city")] and sent[-1][0] < story_today()
    table = three_level_table(Region.objects.get(code=TOWN_A), date(2026, 11, 1))
    assert table.total.self_checked == len(set(checks.values_list("region_id", flat=True))) and table.total.visits == 1
