"""The demo story of the first secretaries, the talks and the directory (one build of the demo county for the
three apps of issue 11 items 7-9: building it is the slow part)."""

from datetime import date

from django.test import Client

from cunshe.accounts.models import User
from cunshe.deadlines.work_items import work_items_for
from cunshe.demo.county import DEMO_PASSWORD
from cunshe.directory import demo as directory_demo
from cunshe.directory.models import Entry
from cunshe.firstsecretaries import demo
from cunshe.firstsecretaries.models import LogEntry, Posting, Report, Status, Tally
from cunshe.records.verification import verify_all
from cunshe.talks import demo as talks_demo
from cunshe.talks.models import FollowUp, MonthTally, Talk


def test_the_demo_story(demo_county: None) -> None:
    counts = (LogEntry.objects.count(), Report.objects.filter(status=Status.SUBMITTED).count(), Talk.objects.count())
    demo.build_demo(seed=2026)  # safe to run twice
    talks_demo.build_demo(seed=2026)
    directory_demo.build_demo(seed=2026)
    assert (
        LogEntry.objects.count(),
        Report.objects.filter(status=Status.SUBMITTED).count(),
        Talk.objects.count(),
    ) == counts
    postings = Posting.objects.all()
    # the demo account's posting is linked to its registry row (the surveys' first secretary there); the rest are not
    linked = postings.filter(person__isnull=False)
    assert [p.name for p in linked] == ["陈晓东"]
    assert linked[0].person is not None and linked[0].person.region_id == linked[0].village_id
    assert postings.count() == 10 and all(p.started_on < date(2026, 9, 1) for p in postings)  # before the term change
    mine = Posting.objects.get(account__username="dyshuji")
    assert mine.name == "陈晓东" and LogEntry.objects.filter(posting=mine).count() > 10
    assert demo.late_reports() == 1  # October's report of one secretary
    # Meetings are counted from party work's signed minutes: the six 黛溪街道 branches of the demo hold them.
    assert Tally.objects.filter(kind="meetings", value__gt=0).count() == 6
    # the secretary sees their own village's posting; the overdue report is on the town's to-do list
    dyshuji, daixi = User.objects.get(username="dyshuji"), User.objects.get(username="daixi")
    assert any(i.overdue for i in work_items_for(daixi) if i.module == "firstsecretaries")
    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/accounts/login/", {"username": dyshuji.username, "password": DEMO_PASSWORD})
    assert client.get(f"/firstsecretaries/postings/{mine.pk}/").status_code == 200
    other = Posting.objects.exclude(pk=mine.pk).first()
    assert other is not None and client.get(f"/firstsecretaries/postings/{other.pk}/").status_code == 404
    # talks only after the new teams, in 黛溪街道
    talks = Talk.objects.all()
    assert talks.count() >= 5 and all(t.held_on >= date(2026, 11, 16) and t.town_id == "371681001" for t in talks)
    assert sum(MonthTally.objects.values_list("talks", flat=True)) == talks.count()
    assert FollowUp.objects.filter(status="done").exists()
    assert any(i.overdue for i in work_items_for(daixi) if i.module == "talks")
    # the directory: county and towns, the new teams' villages, two consented mobiles
    assert Entry.objects.filter(region_id="371681").count() == 3
    assert Entry.objects.filter(region__parent_id="371681001").count() >= 5 * 3
    assert Entry.objects.exclude(mobile="").count() == 2
    page = Client().get("/public/directory/371681001/").content.decode()
    assert "刘建国" in page and "13905431201" in page
    assert verify_all()[1] == []
