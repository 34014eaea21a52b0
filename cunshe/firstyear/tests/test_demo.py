from django.utils import timezone

from cunshe.elections.models import Election, Kind, Status
from cunshe.firstyear.models import Programme, Progress, TownTally
from cunshe.records.verification import verify_all


def test_the_demo_story_of_the_first_year(demo_county: None) -> None:
    programmes = Programme.objects.all()
    certified = set(
        Election.objects.filter(kind__in=(Kind.VILLAGERS, Kind.RESIDENTS), status=Status.CERTIFIED).values_list(
            "region_id", flat=True
        )
    )
    # a programme for every village whose committee is certified, and for no other (黄山街道 votes today)
    assert {p.region_id for p in programmes} == certified
    assert certified and all(code.startswith("371681001") for code in certified)
    today = timezone.localdate()
    done = Progress.objects.filter(done_on__isnull=False).select_related("programme")
    # items done from the other modules' records (the demo county keeps the default items, none entered by hand):
    # the handovers, the training sign-ins (where the whole new team came), the care lists, the breakthrough
    # project; none before its election or after today
    assert not done.filter(done_source="manual").exists()
    assert done.filter(done_source="care_list").count() == 2
    assert done.filter(done_source="breakthrough").exists()
    assert done.filter(done_source="handover").count() == 2
    assert done.filter(done_source="training").exists()
    assert all(p.done_on and p.programme.elected_on <= p.done_on <= today for p in done)
    assert Progress.objects.filter(done_on__isnull=True).exists()
    assert sum(t.done for t in TownTally.objects.all()) == done.count()
    assert verify_all()[1] == []
