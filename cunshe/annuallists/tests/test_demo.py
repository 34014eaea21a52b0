from datetime import date

from cunshe.annuallists import demo
from cunshe.annuallists.models import AnnualList, Status, Tally, VisitRound
from cunshe.firstyear.models import Progress
from cunshe.records.verification import verify_all


def test_the_demo_story_of_the_annual_lists(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    rounds = {r.region_id: r for r in VisitRound.objects.all()}
    lists = list(AnnualList.objects.all())
    # the six story villages of 黛溪街道 whose election was certified (two reran theirs late in November and wait)
    assert 4 <= len(rounds) <= 6 and all(code.startswith("371681001") for code in rounds)
    assert all(r.opened_on == date(2026, 11, 16) and r.reached for r in rounds.values())
    assert len(lists) == len(rounds) and {a.status for a in lists} == {Status.PUBLIC}
    for a in lists:  # nothing before its cause
        reached = rounds[a.region_id].reached_on
        assert reached is not None and reached <= a.drafted_on
        assert a.pledged_on is not None and date(2026, 12, 1) <= a.pledged_on <= date(2026, 12, 5)
    assert sum(t.done for t in Tally.objects.all()) == 1
    promised = Progress.objects.filter(item__key="first_promise", done_source="annual_list")
    # every village whose first-year programme has the step has it done by its public list (villages whose
    # programme the firstyear demo has not opened have no step to mark)
    assert promised.count() == len(lists)
    assert verify_all()[1] == []
