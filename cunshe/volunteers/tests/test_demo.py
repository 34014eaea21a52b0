from __future__ import annotations

from datetime import date

from conftest import TOWN_A, TOWN_B
from cunshe.accounts.models import User
from cunshe.demo import county as demo
from cunshe.elections.demo import story_today
from cunshe.points.models import Entry
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region
from cunshe.volunteers import selectors
from cunshe.volunteers.models import VolunteerActivity, VolunteerTeam


def test_the_demo_story_of_the_volunteer_teams(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    teams = VolunteerTeam.objects.filter(region_id__startswith=TOWN_A[:6])
    assert teams.filter(region_id__startswith=TOWN_A, formed_by="village").count() == 6
    assert teams.filter(region_id__startswith=TOWN_B, formed_by="town").count() == 6
    assert all(date(2026, 10, 1) <= t.formed_on <= date(2026, 10, 31) for t in teams)
    activities = VolunteerActivity.objects.filter(region_id__startswith=TOWN_A[:6])
    today = story_today()  # 黄山街道's villagers' committees vote on the day the demo was built
    assert max(a.held_on for a in activities) == today
    assert activities.filter(region_id__startswith=TOWN_B, held_on=today, kind="service").count() == 6
    assert activities.filter(region_id__startswith=TOWN_A, held_on=date(2026, 11, 15), kind="service").count() == 6
    # the election-day service names the village's own station of that day's election
    served = activities.filter(kind="service", station__isnull=False).select_related("station__election")
    assert served.count() >= 6
    assert all(
        a.station is not None
        and (a.station.election.region_id, a.station.election.election_day) == (a.region_id, a.held_on)
        for a in served
    )
    organizer = User.objects.get(username="zzb")
    rows, total = selectors.rollup(organizer, Region.objects.get(code=TOWN_A[:6]))
    assert (total.teams, total.people, total.activities) == (12, 72, 48)
    assert {r.code: r.teams for r in rows}[TOWN_B] == 6
    assert Entry.objects.filter(key__startswith="volunteers:").exists()  # the points book of 2026-07-01 applies
    assert RecordEntry.objects.filter(event="volunteers.team_formed").count() == 12
