from fractions import Fraction

from cunshe.accounts.models import User
from cunshe.appraisals import demo, selectors
from cunshe.appraisals.models import Appraisal, Inspection, Paper, Problem, ProblemTally
from cunshe.records.verification import verify_all
from cunshe.regions.models import Region

TOWNS = ("371681001", "371681002")


def test_the_demo_story_of_the_appraisals(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    rows = Appraisal.objects.all()
    assert rows.count() >= 20
    assert {a.region_id[:9] for a in rows} == set(TOWNS)
    # everything dated in October, before the elections it prepared (黛溪街道 voted 11-08, 黄山街道 11-22)
    assert max(Inspection.objects.values_list("inspected_on", flat=True)).month == 10
    assert not Paper.objects.filter(submitted_at__isnull=True).exists()
    assert Inspection.objects.count() == rows.count()
    problems = Problem.objects.count()
    county = sum(ProblemTally.objects.filter(region_id="371681").values_list("count", flat=True))
    assert problems > 0 and county == problems
    assert all(a.rate is not None for a in rows)
    # the county's roll-up: both towns appraised, rated, examined and reported on; the other towns rows of zeros
    organizer = User.objects.get(username="zzb")
    table = selectors.rollup(organizer, Region.objects.get(code="371681"))
    towns = {r.code: r for r in table.rows}
    for code in TOWNS:
        town = towns[code]
        assert town.appraised > 0 and town.reports == town.appraised == town.papers
        assert town.satisfaction is not None and Fraction(1, 2) < town.satisfaction < 1
        assert town.average_score is not None and 0 < town.passed <= town.papers
    assert table.total.appraised == rows.count() and table.total.problems_found == problems
    assert sum(r.appraised for r in table.rows if r.code not in TOWNS) == 0
    # the town's: a row per village, the demo villages filled in
    villages = selectors.rollup(organizer, Region.objects.get(code=TOWNS[0])).rows
    assert sum(1 for v in villages if v.appraised) == 6
    assert verify_all()[1] == []
