from datetime import date, timedelta

from cunshe.accounts.models import User
from cunshe.dailychecks import demo, selectors
from cunshe.dailychecks.models import CadreMonth, CheckResult, DailyCheck, Measure
from cunshe.deadlines.holidays import is_workday
from cunshe.elections.demo import story_today
from cunshe.records.verification import verify_all
from cunshe.regions.models import Region


def test_the_demo_story_of_the_daily_checks(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    last = story_today() - timedelta(days=1)  # the last working day before the day the demo was built
    while not is_workday(last):
        last -= timedelta(days=1)
    checks = DailyCheck.objects.all()
    assert checks.count() > 100 and all(c.region_id.startswith("371681001") for c in checks)
    assert checks.order_by("day").first().day == date(2026, 11, 16)  # type: ignore[union-attr]
    assert checks.order_by("-day").first().day == last  # type: ignore[union-attr]
    assert not checks.filter(day__week_day__in=(1, 7)).exists()  # working days only
    assert Measure.objects.filter(county_id="371681").count() == 18
    problems = CheckResult.objects.filter(ok=False)
    assert problems.exists() and problems.filter(closed_on__isnull=False).exists()
    assert problems.filter(issue__isnull=False).exists()
    november = CadreMonth.objects.filter(month=date(2026, 11, 1))
    assert any(row.done < selectors.days_due(row.since, row.month, date(2026, 11, 30)) for row in november)
    officer = User.objects.get(username="daixi")
    missed = selectors.missed_on(officer, Region.objects.get(code="371681001"), last)
    assert len(missed) >= 2
    assert verify_all()[1] == []
