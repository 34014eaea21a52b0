"""The demo story of the first secretaries, the talks and the directory (one build of the demo county for the
three apps of issue 11 items 7-9: building it is the slow part)."""

from datetime import date
from io import BytesIO

import python_calamine
from django.test import Client

from conftest import pdf_text
from cunshe.accounts.models import User
from cunshe.deadlines.work_items import work_items_for
from cunshe.demo.county import DEMO_PASSWORD
from cunshe.directory import demo as directory_demo
from cunshe.directory.models import Entry
from cunshe.firstsecretaries import demo
from cunshe.firstsecretaries.models import Kind, LogEntry, Posting, Report, Status, Tally
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
    # the secretary prints the demo's reports for the town: a month's with its log, a quarter's summed
    done = Report.objects.filter(posting=mine).exclude(status=Status.DUE)
    month = done.filter(kind=Kind.MONTH).latest("period_start")
    printed = pdf_text(client.get(f"/firstsecretaries/reports/{month.pk}/print.pdf").content)[0]
    assert "第一书记工作月报" in printed and "陈晓东" in printed and "本月无驻村日志" not in printed
    quarter = done.filter(kind=Kind.QUARTER).latest("period_start")
    printed = pdf_text(client.get(f"/firstsecretaries/reports/{quarter.pk}/print.pdf").content)[0]
    assert "第一书记季度工作总结" in printed and "各月月报合计" in printed and quarter.text[:20] in printed
    # talks only after the new teams, in 黛溪街道
    talks = Talk.objects.all()
    assert talks.count() >= 5 and all(t.held_on >= date(2026, 11, 16) and t.town_id == "371681001" for t in talks)
    assert sum(MonthTally.objects.values_list("talks", flat=True)) == talks.count()
    assert FollowUp.objects.filter(status="done").exists()
    assert any(i.overdue for i in work_items_for(daixi) if i.module == "talks")
    town = Client(HTTP_HOST="127.0.0.1")
    town.post("/accounts/login/", {"username": daixi.username, "password": DEMO_PASSWORD})
    talk = talks.filter(follow_ups__isnull=False).first()
    assert talk is not None
    printed = pdf_text(town.get(f"/talks/{talk.pk}/record.pdf").content)[0]
    assert "点评谈心谈话记录表" in printed and talk.secretary in printed and "谈心对象（签字）" in printed
    # the directory: county and towns, the new teams' villages, two consented mobiles
    assert Entry.objects.filter(region_id="371681").count() == 3
    assert Entry.objects.filter(region__parent_id="371681001").count() >= 5 * 3
    assert Entry.objects.exclude(mobile="").count() == 2
    page = Client().get("/public/directory/371681001/").content.decode()
    assert "刘建国" in page and "13905431201" in page
    ledger = Client().get("/public/directory/371681/ledger.xlsx").content
    sheet = python_calamine.CalamineWorkbook.from_filelike(BytesIO(ledger)).get_sheet_by_index(0).to_python()
    assert len(sheet) - 1 == Entry.objects.filter(published=True).count()  # the county down to its villages
    assert sorted(c for r in sheet[1:] for c in r if str(c).startswith("139")) == sorted(
        Entry.objects.exclude(mobile="").values_list("mobile", flat=True)
    )
    assert verify_all()[1] == []
