from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.deadlines.work_items import work_items_for
from cunshe.firstsecretaries import selectors
from cunshe.firstsecretaries.exports import statistics_response
from cunshe.firstsecretaries.models import Kind, Report, Status, Tally
from cunshe.firstsecretaries.services import (
    add_years,
    log_add,
    periods,
    posting_create,
    posting_end,
    report_acknowledge,
    report_return,
    report_submit,
    statistics_refresh_all,
)
from cunshe.firstsecretaries.statistics import register_statistic, statistic
from cunshe.firstsecretaries.tests.helpers import owed, posting_for, submitted
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region
from cunshe.web.tests.kept import shown_after_a_write

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_A = "371681001233"  # 河西张村委会, another village of 黛溪街道


def _new(village: str = VILLAGE_A, **over: Any) -> dict[str, Any]:
    start = date(2026, 9, 10)
    return {
        "village_code": village,
        "name": "陈晓东",
        "sending_unit": "邹平市农业农村局",
        "started_on": start,
        "ends_on": add_years(start, 2),
        **over,
    }


def test_term_is_one_to_three_years(zouping: Any) -> None:
    start = date(2026, 9, 10)
    posting_create(actor=SYSTEM, **_new(ends_on=add_years(start, 3)))
    for ends_on in (start + timedelta(days=200), add_years(start, 3) + timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            posting_create(actor=SYSTEM, **_new(OTHER_A, ends_on=ends_on))
        assert "1 至 3 年" in refused.value.field_errors["ends_on"][0]
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_reports_owed_for_the_whole_term_with_due_days(zouping: Any) -> None:
    p = posting_create(actor=SYSTEM, **_new())
    got = Report.objects.filter(posting=p)
    # 2026-09-10 .. 2028-09-10: 25 calendar months, 9 quarters, 5 half-years touched
    assert (got.filter(kind=Kind.MONTH).count(), got.filter(kind=Kind.QUARTER).count()) == (25, 9)
    assert got.filter(kind=Kind.HALF).count() == 5
    first = got.get(kind=Kind.MONTH, period_start=date(2026, 9, 10))
    assert (first.period_end, first.due_on) == (date(2026, 9, 30), date(2026, 10, 5))
    q = got.get(kind=Kind.QUARTER, period_start=date(2026, 9, 10))
    assert (q.period_end, q.due_on) == (date(2026, 9, 30), date(2026, 10, 10))
    h = got.get(kind=Kind.HALF, period_start=date(2026, 9, 10))
    assert (h.period_end, h.due_on) == (date(2026, 12, 31), date(2027, 1, 15))
    assert periods(Kind.HALF, date(2027, 1, 1), date(2027, 12, 31))[1][:2] == (date(2027, 7, 1), date(2027, 12, 31))


def test_who_posts_and_who_writes(zouping: Any, make_user: Any) -> None:
    town_a = make_user("town_officer", TOWN_A)
    p = posting_create(actor=town_a, **_new())
    with pytest.raises(Http404):  # another town's village does not exist for them
        posting_create(actor=town_a, **_new(VILLAGE_B))
    secretary = make_user("first_secretary", VILLAGE_A)
    with pytest.raises(NotPermitted):  # the secretary keeps the log, the town posts
        posting_create(actor=secretary, **_new(name="另一人"))
    log_add(actor=secretary, posting=p, written_on=TODAY, content="入户走访 6 户，了解种植情况")
    with pytest.raises(NotPermitted):  # the village's cadre reads it but does not write the secretary's log
        log_add(actor=make_user("village_cadre", VILLAGE_A), posting=p, written_on=TODAY, content="代写")
    with pytest.raises(Http404):
        log_add(actor=make_user("first_secretary", OTHER_A), posting=p, written_on=TODAY, content="越界")
    with pytest.raises(DomainError) as refused:
        log_add(actor=secretary, posting=p, written_on=date(2026, 9, 1), content="到村前")
    assert "written_on" in refused.value.field_errors
    assert selectors.postings_visible(make_user("first_secretary", OTHER_A)).count() == 0
    assert list(selectors.postings_visible(secretary)) == [p]
    assert RecordEntry.objects.filter(event="firstsecretaries.logged").count() == 1


def test_owed_reports_are_overdue_todos_until_submitted_and_acknowledged(zouping: Any, make_user: Any) -> None:
    p = posting_for(VILLAGE_A, days_ago=100)
    secretary, town_a = make_user("first_secretary", VILLAGE_A), make_user("town_officer", TOWN_A)
    first = owed(p)[0]
    mine = [i for i in work_items_for(secretary) if i.module == "firstsecretaries"]
    assert any(i.overdue and first.get_kind_display() in i.title for i in mine)
    assert not [i for i in work_items_for(make_user("town_officer", TOWN_B)) if i.module == "firstsecretaries"]
    with pytest.raises(DomainError, match="期间结束"):  # a period not yet over is not reported
        future = Report.objects.filter(posting=p, period_end__gt=TODAY).order_by("period_start").first()
        assert future is not None
        report_submit(actor=secretary, report=future, text="提前", expected_version=future.version)
    with pytest.raises(DomainError) as refused:
        report_submit(actor=secretary, report=first, text="月报", figures={"lectures": -1}, expected_version=1)
    assert "lectures" in refused.value.field_errors
    done = submitted(first, actor=secretary, lectures=3, funds="200000")
    assert (done.status, done.lectures, done.funds) == (Status.SUBMITTED, 3, Decimal("200000.00"))
    waiting = [i.title for i in work_items_for(town_a) if "待签收" in i.title]
    assert len(waiting) == 1 and not [i for i in work_items_for(secretary) if "待签收" in i.title]
    with pytest.raises(NotPermitted):  # the secretary does not acknowledge their own report
        report_acknowledge(actor=secretary, report=done, expected_version=done.version)
    acked = report_acknowledge(actor=town_a, report=done, expected_version=done.version)
    assert acked.status == Status.ACKNOWLEDGED and acked.acknowledged_on == TODAY
    with pytest.raises(IllegalTransition):  # acknowledged is final
        report_return(actor=town_a, report=acked, reason="补充", expected_version=acked.version)


def test_returned_report_is_owed_again_and_stops_counting(zouping: Any, make_user: Any) -> None:
    p = posting_for(VILLAGE_A, days_ago=100)
    town_a = make_user("town_officer", TOWN_A)
    r = submitted(owed(p)[0], lectures=4)
    assert Tally.objects.get(posting=p, kind="lectures").value == 4
    with pytest.raises(DomainError):
        report_return(actor=town_a, report=r, reason="", expected_version=r.version)
    back = report_return(actor=town_a, report=r, reason="请补充走访户数", expected_version=r.version)
    assert back.status == Status.DUE and back.returned_reason == "请补充走访户数"
    assert Tally.objects.get(posting=p, kind="lectures").value == 0
    assert owed(p)[0].pk == r.pk


def test_a_module_that_counts_replaces_the_reported_figure(zouping: Any) -> None:
    p = posting_for(VILLAGE_A, days_ago=100)
    submitted(owed(p)[0], meetings=5, lectures=3)
    assert Tally.objects.get(posting=p, kind="lectures").value == 3  # as reported
    # The meetings are counted from party work's signed minutes (none here), not from what the report says.
    assert Tally.objects.get(posting=p, kind="meetings").value == 0
    old = statistic("meetings")
    assert old is not None and old.source == "党建工作"
    try:  # any module may register its own count under a kind
        register_statistic("meetings", "指导三会一课、主题党日", lambda v, s, e: 12, source="三会一课")
        statistics_refresh_all(today=TODAY)
        assert Tally.objects.get(posting=p, kind="meetings").value == 12
    finally:
        register_statistic("meetings", old.label, old.figure, unit=old.unit, source=old.source)


def test_rollup_per_town_and_county(zouping: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    for village, name, lectures in ((VILLAGE_A, "甲", 2), (OTHER_A, "乙", 3), (VILLAGE_B, "丙", 7)):
        p = posting_for(village, days_ago=100, name=name)
        submitted(owed(p)[0], lectures=lectures, funds="1000.5")
    organizer = make_user("county_organizer", COUNTY)
    county = Region.objects.get(code=COUNTY)
    with django_assert_max_num_queries(4):
        rows, total = selectors.rollup(organizer, county)
    assert [(r.code, r.postings, r.values["lectures"]) for r in rows] == [(TOWN_A, 2, 5), (TOWN_B, 1, 7)]
    assert total.values["lectures"] == 12 and total.values["funds"] == Decimal("3001.50")
    town_rows, town_total = selectors.rollup(make_user("town_officer", TOWN_A), county)
    assert [r.code for r in town_rows] == [TOWN_A] and town_total.values["lectures"] == 5  # B is not theirs
    village_rows, _ = selectors.rollup(organizer, Region.objects.get(code=TOWN_A))
    assert [r.code for r in village_rows] == sorted([VILLAGE_A, OTHER_A])
    book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(statistics_response(organizer, county).content))
    sheet = book.get_sheet_by_index(0).to_python()
    assert "政策理论宣讲（场次）" in sheet[0] and sheet[-1][1] == "合计"


def test_ending_a_posting_drops_later_reports(zouping: Any, make_user: Any) -> None:
    p = posting_for(VILLAGE_A, days_ago=100)
    town_a = make_user("town_officer", TOWN_A)
    with pytest.raises(DomainError):
        posting_end(actor=town_a, posting=p, ended_on=TODAY + timedelta(days=1), expected_version=p.version)
    posting_end(actor=town_a, posting=p, ended_on=TODAY, expected_version=p.version)
    assert not Report.objects.filter(posting=p, period_start__gt=TODAY).exists()
    assert not Report.objects.filter(posting=p, period_end__gt=TODAY).exists()


def test_the_kept_region_page_shows_a_new_posting_on_the_next_view(
    kept_summaries: Any, zouping: Any, make_user: Any, web_as: Any
) -> None:
    """The region page is kept whole (issue 15): a repeat view renders nothing, a posting recorded through the service
    moves the county's change number and shows at once; a town officer of another town still gets their own page."""
    client = web_as(make_user("county_organizer", COUNTY))
    shown_after_a_write(
        client, f"/firstsecretaries/region/{COUNTY}/", lambda: posting_for(VILLAGE_A, name="王建华"), "王建华"
    )
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/firstsecretaries/region/{TOWN_A}/").status_code == 404
