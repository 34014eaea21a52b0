from cunshe.education import demo
from cunshe.education.models import Campaign, VillageTask
from cunshe.records.verification import verify_all


def test_the_demo_story_of_centralized_education(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    campaign = Campaign.objects.get(title=demo.TITLE)
    done = VillageTask.objects.filter(campaign=campaign, done_on__isnull=False)
    assert done.count() == 3 * 3 + 3
    assert all(campaign.starts_on <= t.done_on <= campaign.ends_on for t in done if t.done_on)
    assert verify_all()[1] == []
