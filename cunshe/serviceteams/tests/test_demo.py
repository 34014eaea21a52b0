from cunshe.records.verification import verify_all
from cunshe.serviceteams import demo
from cunshe.serviceteams.models import Hours, Order, ServiceTeam, TeamAccount


def test_the_demo_story_of_the_service_teams(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    teams = ServiceTeam.objects.filter(region_id__startswith=demo.TOWN_A)
    assert teams.count() == 7 and not ServiceTeam.objects.exclude(region_id__startswith=demo.TOWN_A).exists()
    orders = Order.objects.filter(region_id__startswith=demo.TOWN_A)
    assert orders.filter(status="completed").count() >= 10 and orders.exclude(status="completed").exists()
    # the teams' own November; orders handed over by the resident requests (团队接单) follow the requests' dates
    assert all(o.wanted_on.month == 11 for o in orders.filter(external_ref=""))
    assert Hours.objects.filter(worked_on__month=11).count() >= 20
    assert TeamAccount.objects.filter(user__username=demo.TEAM_ACCOUNT).count() == 1
    assert verify_all()[1] == []
