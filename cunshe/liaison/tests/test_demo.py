"""The demo story of the liaison cadres: assignments from 2026-10-08 in 黛溪街道 and 黄山街道, monthly service days
(one November missed), talks, matters on the issue board, round-1 ratings and one reassignment."""

from datetime import date

from django.test import Client

from cunshe.accounts.models import User
from cunshe.demo.county import DEMO_PASSWORD
from cunshe.elections.demo import story_today
from cunshe.liaison import demo, selectors
from cunshe.liaison.models import Assignment, LiaisonTalk, Matter, Rating, ServiceDay, Tally
from cunshe.records.verification import verify_all
from cunshe.regions.models import Region


def test_the_demo_story_of_liaison(demo_county: None) -> None:
    today = story_today()  # the day the demo was built
    counts = (Assignment.objects.count(), ServiceDay.objects.count(), LiaisonTalk.objects.count())
    demo.build_demo(seed=2026)  # safe to run twice
    assert (Assignment.objects.count(), ServiceDay.objects.count(), LiaisonTalk.objects.count()) == counts
    assert counts[0] >= 16
    assert all(a.started_on >= date(2026, 10, 8) for a in Assignment.objects.all())
    assert all(d.held_on <= today for d in ServiceDay.objects.all())
    assert {a.village_id[:9] for a in Assignment.objects.all()} == {"371681001", "371681002"}
    moved = Assignment.objects.exclude(ended_on=None).get()
    assert moved.ended_on == date(2026, 11, 15) and Assignment.objects.filter(name=moved.name).count() == 2
    assert (
        Matter.objects.filter(issue__status="closed").exists()
        and Matter.objects.exclude(issue__status="closed").exists()
    )
    assert Rating.objects.filter(year=2026, round=1).count() == 3 * 16
    zzb = User.objects.get(username="zzb")
    county = Region.objects.get(code="371681")
    _, total = selectors.counts(zzb, county)
    assert total.values["talks"] == LiaisonTalk.objects.count()
    assert total.values["matters_resolved"] == Matter.objects.filter(issue__status="closed").count()
    assert total.values["villages"] == Tally.objects.filter(cadres__gt=0).count() == 16  # moved: 8 + 8 villages
    months = selectors.month_columns(today)
    gaps = [
        r
        for r in selectors.service_rows(zzb, list(selectors.service_assignments(zzb, county, months)), months, today)
        if r.gaps
    ]
    assert len(gaps) == 1 and dict(gaps[0].cells)[date(2026, 11, 1)] == "缺"
    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/accounts/login/", {"username": "daixi", "password": DEMO_PASSWORD})
    page = client.get("/liaison/region/371681001/").content.decode()
    assert "缺" in page and moved.name in page
    assert verify_all()[1] == []
