from cunshe.carelist import demo
from cunshe.carelist.models import CareMonth, Household
from cunshe.firstyear.models import Progress
from cunshe.records.verification import verify_all


def test_the_demo_story_of_the_care_lists(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    households = Household.objects.all()
    assert households.count() >= 16 and all(h.region_id.startswith("371681001") for h in households)
    november = CareMonth.objects.filter(month__month=11)
    assert november.filter(done_on__isnull=True).count() >= 2  # one missed, one without the cleaning
    done = Progress.objects.filter(item__key="care_list", done_source="care_list")
    assert done.count() == 2
    assert verify_all()[1] == []
