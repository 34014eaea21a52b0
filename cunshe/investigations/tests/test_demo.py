from datetime import date

from cunshe.accounts.models import User
from cunshe.elections.demo import TOWN_A, TOWN_B, story_today
from cunshe.investigations import demo, selectors
from cunshe.investigations.models import ClearingItem, InvestigationTeam, ItemIssue, WorkLog
from cunshe.records.verification import verify_all
from cunshe.regions.models import Region


def test_the_demo_story_of_the_investigation_teams(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    for town, _formed_by, election in (
        ("371681001", (2026, 9, 30), date(2026, 11, 15)),
        ("371681002", (2026, 10, 31), story_today()),  # 黄山街道 votes on the day the demo was built
    ):
        teams = InvestigationTeam.objects.filter(region_id=town)
        assert teams.count() == 2
        assert all(9 <= t.formed_on.month <= 10 for t in teams)
        items = ClearingItem.objects.filter(region_id__startswith=town)
        assert items.count() == 36 and not items.exclude(status="cleared").exists()
        assert items.filter(cleared_on__lt=election).count() == 36
        assert min(w.worked_on for w in WorkLog.objects.filter(team__region_id=town)) > min(t.formed_on for t in teams)
    assert ItemIssue.objects.filter(issue__status="closed").count() == ItemIssue.objects.count() > 0
    county = selectors.table(User.objects.get(username="zzb"), "371681")
    town_rows = {r.code: r for r in county.rows}
    assert town_rows[TOWN_A].all_cleared == 6 and town_rows[TOWN_B].all_cleared == 6
    assert town_rows[TOWN_A].talks > 0
    assert Region.objects.filter(code__in=town_rows).count() == len(town_rows)
    assert verify_all()[1] == []
