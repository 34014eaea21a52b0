from cunshe.points import demo
from cunshe.points.models import Entry, Listing, Objection, Redemption, Settlement
from cunshe.points.services import verify
from cunshe.records.verification import verify_all


def test_the_demo_story_of_the_points(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    entries = Entry.objects.filter(region_id__startswith=demo.TOWN_A)
    assert entries.filter(occurred_on__month=11, kind="earn").count() > 100
    assert entries.filter(key__startswith="hours:").exists()  # the service teams' November hours
    assert Listing.objects.filter(status="final", year=2026, quarter=3).count() == 6
    assert set(Objection.objects.values_list("status", flat=True)) == {"upheld", "rejected"}
    redeemed = Redemption.objects.all()
    assert redeemed.count() > 10 and all(r.redeemed_on.month == 11 for r in redeemed)
    batch = Settlement.objects.get()
    assert batch.status == "paid" and batch.total_fen == 100 * batch.total_points
    assert batch.count == redeemed.filter(merchant=batch.merchant).count()
    assert verify() == (Entry.objects.values("holder").distinct().count(), [])
    assert verify_all()[1] == []
