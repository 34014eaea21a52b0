from cunshe.firstyear.models import Progress
from cunshe.records.verification import verify_all
from cunshe.trainings import demo
from cunshe.trainings.models import Attendance, FollowUp, Session, VillageTally


def test_the_demo_story_of_the_first_lesson(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    session = Session.objects.get(course__title=demo.TITLE)
    rows = Attendance.objects.filter(session=session)
    assert rows.count() > 10 and all(r.village_id.startswith("371681001") for r in rows)
    absent = rows.filter(status="absent")
    assert absent.count() == 2 and not rows.filter(status="due").exists()
    assert FollowUp.objects.filter(attendance__in=absent).count() == 2
    assert sum(t.present for t in VillageTally.objects.filter(course=session.course)) == rows.count() - 2
    # the first-year programme marks the first lesson only where everyone came
    done = Progress.objects.filter(item__key="first_lesson", done_on__isnull=False).values_list("region_id", flat=True)
    assert done and not absent.filter(village_id__in=list(done)).exists()
    assert verify_all()[1] == []
