from datetime import datetime, timedelta

from django.utils import timezone

from cunshe.decisions import demo as decisions_demo
from cunshe.decisions.models import Decision, Meeting, Status
from cunshe.disclosures import demo
from cunshe.disclosures.models import Disclosure, Kind, Obligation, TownTally
from cunshe.records.verification import verify_all


def test_the_demo_story_of_decisions_and_disclosures(demo_county: None) -> None:
    decisions_demo.build_demo(seed=2026)  # safe to run twice
    demo.build_demo(seed=2026)
    today = timezone.localdate()
    decisions = Decision.objects.all()
    assert (
        decisions.count() == 6
        and len({d.region_id for d in decisions}) > 1
        and all(d.region_id.startswith("371681001") for d in decisions)
    )
    statuses = {d.status for d in decisions}
    assert {Status.CONSULTATION, Status.PARTY_REVIEW, Status.RESOLUTION, Status.RESULT_DISCLOSURE} <= statuses
    assert decisions.filter(status=Status.RESOLUTION_DISCLOSURE).count() == 1  # resolved, not disclosed
    meetings = Meeting.objects.all()
    assert meetings.filter(passed=False, quorum_met=False).count() == 1  # held again later
    # nothing before the new committees were elected, nothing after today
    assert all(timezone.make_aware(datetime(2026, 11, 16)) <= m.held_at for m in meetings)
    assert all(timezone.localdate(m.held_at) <= today for m in meetings)
    published = Disclosure.objects.filter(published_on__isnull=False)
    assert published.filter(late=True).count() == 1
    assert published.filter(kind=Kind.MAJOR).count() == 2
    assert all(d.published_on and d.published_on <= today for d in published)
    assert min(d.published_on for d in published if d.published_on) <= today - timedelta(days=31)
    assert Obligation.objects.filter(kind=Kind.MAJOR, done_on__isnull=True, due_at__lt=timezone.now()).count() == 1
    tally = TownTally.objects.get(region_id="371681001", kind=Kind.MAJOR)
    assert (tally.due, tally.done, tally.done_late) == (3, 2, 1)
    assert verify_all()[1] == []
