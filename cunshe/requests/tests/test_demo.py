from django.utils import timezone

from cunshe.records.verification import verify_all
from cunshe.requests import demo
from cunshe.requests.models import DayTally, Request, Status, VillageTally


def test_a_month_of_requests_in_daixi(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    rows = Request.objects.all()
    assert rows.count() > 60 and all(r.region_id.startswith(demo.TOWN_A) for r in rows)
    assert min(r.submitted_at for r in rows).date() >= demo.FIRST_DAY
    statuses = set(rows.values_list("status", flat=True))
    assert {Status.CLOSED, Status.REOPENED} <= statuses or rows.filter(reopen_count__gt=0).exists()
    assert rows.filter(status__in=("assigned", "in_progress", "reopened"), due_at__lt=timezone.now()).exists()
    assert rows.filter(answer_satisfaction__isnull=False).count() > 20
    assert rows.filter(channel="hotline").exclude(work_order_no="").exists()
    assert rows.filter(channel="floating", raised_by__isnull=False).exists()
    assert rows.filter(route="department").exists()
    # the roll-up rows agree with the rows they sum
    assert sum(t.received for t in VillageTally.objects.all()) == rows.count()
    assert (
        sum(t.open for t in VillageTally.objects.all())
        == rows.filter(status__in=("submitted", "assigned", "in_progress", "reopened")).count()
    )
    assert sum(d.received for d in DayTally.objects.all()) == rows.count()
    assert verify_all()[1] == []
