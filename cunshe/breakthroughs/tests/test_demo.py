from cunshe.breakthroughs import demo
from cunshe.breakthroughs.models import Project, Task
from cunshe.firstyear.models import Programme
from cunshe.records.verification import verify_all


def test_the_demo_story_of_the_breakthrough_projects(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    assert Task.objects.filter(county_id="371681").count() == len(demo.TASKS)
    projects = Project.objects.order_by("proposed_on")
    assert [p.status for p in projects] == ["approved", "proposed"]
    elected = {p.region_id: p.elected_on for p in Programme.objects.all()}
    assert all(p.proposed_on > elected[p.region_id] for p in projects)
    assert projects[0].reports.count() == 1
    assert verify_all()[1] == []
