"""The printed monthly report and the quarterly and half-year summaries: what they say and who may print them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.firstsecretaries.models import Kind, Report
from cunshe.firstsecretaries.printouts import is_reported, report_response
from cunshe.firstsecretaries.services import log_add, report_submit
from cunshe.firstsecretaries.statistics import statistics
from cunshe.firstsecretaries.tests.helpers import owed, posting_for, submitted

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _summary(posting: Any, kind: str) -> Report:
    """The first summary of the kind whose period has ended and that holds at least three monthly reports."""
    for r in owed(posting, kind):
        months = Report.objects.filter(
            posting=posting, kind=Kind.MONTH, period_start__gte=r.period_start, period_start__lte=r.period_end
        ).order_by("period_start")
        if months.count() >= 3:
            return r
    raise AssertionError("no summary with three months")


def _print(report: Report) -> str:
    fetched = Report.objects.select_related("posting__village").get(pk=report.pk)
    return pdf_text(report_response(fetched).content)[0]


def test_the_monthly_report_and_the_summaries_say_the_periods_figures(
    zouping: Any, django_assert_max_num_queries: Any
) -> None:
    p = posting_for(VILLAGE_A, days_ago=400)
    quarter = _summary(p, Kind.QUARTER)
    first, second, third = Report.objects.filter(
        posting=p, kind=Kind.MONTH, period_start__gte=quarter.period_start, period_start__lte=quarter.period_end
    ).order_by("period_start")[:3]
    submitted(first, lectures=17, members_recruited=1, funds="200000", projects=2)
    submitted(second, lectures=25, funds="130000.50")
    log_add(actor=SYSTEM, posting=p, written_on=first.period_start, content="入户走访困难户 6 户，了解生产生活情况")
    log_add(actor=SYSTEM, posting=p, written_on=second.period_start, content="下月的日志不在本月报里")
    counted = sum(not is_reported(s) for s in statistics())
    # the report, the month's log and one query per counted figure; none per log line
    with django_assert_max_num_queries(2 + counted):
        month = _print(first)
    for said in (
        "第一书记工作月报", "陈晓东", "邹平市农业农村局", "李伟、王芳", f"{first.period_start:%Y年%m月}", "政策理论宣讲\n17",
        "争取资金\n200000", "发展党员", "引进项目", "走访农户", "培养后备人才", "本月走访农户，指导支部规范开展三会一课。",
        "入户走访困难户 6 户", "第一书记（签字）", "乡镇(街道)签收人（签字）", "已报送",
    ):  # fmt: skip
        assert said in month, said
    assert "下月的日志不在本月报里" not in month
    # a month not yet reported prints as the form to fill in by hand
    blank = _print(third)
    assert "待报送" in blank and "本月无驻村日志" in blank
    # none of the first month's figures (a bare "17" also matched the print time's hour, 17:xx in Beijing)
    assert "政策理论宣讲\n17" not in blank and "争取资金\n200000" not in blank and "政策理论宣讲\n" in blank
    report_submit(actor=SYSTEM, report=quarter, text="本季度宣讲四十二场，争取资金三十余万元。", expected_version=1)
    with django_assert_max_num_queries(3 + len(statistics())):  # the report, its months, the log's count, each figure
        summary = _print(quarter)
    for said in (
        "第一书记季度工作总结", "政策理论宣讲\n42", "争取资金\n330000.5", "各月月报合计", "本季度宣讲四十二场", "驻村日志", "2 条",
        f"{third.period_start:%Y年%m月}", "待报送", "第一书记（签字）",
    ):  # fmt: skip
        assert said in summary, said
    assert "入户走访困难户" not in summary  # the summary is the secretary's text, not the log
    # the half-year holding that quarter (quarters lie within halves) sums the same two reported months
    half = Report.objects.get(
        posting=p, kind=Kind.HALF, period_start__lte=first.period_start, period_end__gte=first.period_start
    )
    text = _print(half)
    assert (
        "第一书记半年工作总结" in text
        and "政策理论宣讲\n42" in text
        and "争取资金\n330000.5" in text
        and "待报送" in text
    )


def test_who_may_print_a_report(zouping: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    p = posting_for(VILLAGE_A)
    r = submitted(owed(p)[0], lectures=3)
    url, api = f"/firstsecretaries/reports/{r.pk}/print.pdf", f"/api/v1/firstsecretaries/reports/{r.pk}/print.pdf"
    readers = ("first_secretary", VILLAGE_A), ("town_officer", TOWN_A), ("county_organizer", COUNTY)
    for reader in (make_user(role, code) for role, code in readers):
        answer = web_as(reader).get(url)
        assert answer.status_code == 200 and "陈晓东" in pdf_text(answer.content)[0]
        assert api_as(reader).get(api).status_code == 200
    for stranger in (make_user("first_secretary", VILLAGE_B), make_user("town_officer", TOWN_B)):
        assert web_as(stranger).get(url).status_code == 404
        assert api_as(stranger).get(api).status_code == 404
