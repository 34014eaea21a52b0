from cunshe.appraisals import demo
from cunshe.appraisals.models import Appraisal, Inspection, Paper, Problem, ProblemTally
from cunshe.records.verification import verify_all


def test_the_demo_story_of_the_appraisals(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    rows = Appraisal.objects.all()
    assert rows.count() >= 20
    assert {a.region_id[:9] for a in rows} == {"371681001", "371681002"}
    # everything dated in October, before the elections it prepared (黛溪街道 voted 11-08, 黄山街道 11-22)
    assert max(Inspection.objects.values_list("inspected_on", flat=True)).month == 10
    assert not Paper.objects.filter(submitted_at__isnull=True).exists()
    assert Inspection.objects.count() == rows.count()
    problems = Problem.objects.count()
    county = sum(ProblemTally.objects.filter(region_id="371681").values_list("count", flat=True))
    assert problems > 0 and county == problems
    assert all(a.rate is not None for a in rows)
    assert verify_all()[1] == []
