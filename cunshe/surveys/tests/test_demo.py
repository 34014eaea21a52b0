from cunshe.accounts.models import User
from cunshe.records.verification import verify_all
from cunshe.surveys import demo, selectors
from cunshe.surveys.models import Holder, Survey, TextAnswer


def test_the_demo_story_of_the_surveys(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    assert Holder.objects.filter(until__isnull=True, post="agent").count() == 24
    opinion = Survey.objects.get(title=demo.OPINION_TITLE)
    assert (opinion.status, str(opinion.opened_on), str(opinion.closed_on)) == ("closed", "2026-09-10", "2026-10-20")
    assert TextAnswer.objects.filter(survey=opinion, issue__isnull=False).count() == demo.RAISED
    now = Survey.objects.get(title=demo.SATISFACTION_TITLE.format(year=2026, post="第一书记"))
    assert now.previous is not None and now.previous.year == 2025
    sc = selectors.scores(User.objects.get(username="zzb"), now, "371681")
    assert sc.total.score is not None and sc.total.last_year is not None
    change = sc.total.change
    assert 85 < sc.total.score < 95 and change is not None and 0 < change < 5  # up on the year, as in seed 002
    assert len(sc.people) == 12
    assert verify_all()[1] == []
