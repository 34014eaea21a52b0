from __future__ import annotations

from datetime import date
from fractions import Fraction
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.appraisals.exports import QUESTION_COLUMNS, questions_import
from cunshe.appraisals.models import Appraisal, ExamRule, PaperItem, ProblemKind, ProblemTally, Question
from cunshe.appraisals.services import (
    inquiry_record,
    inspection_write,
    paper_draw,
    paper_submit,
    problem_add,
    problem_refer,
    rating_add,
    ratings_set,
    self_assess,
)
from cunshe.appraisals.tests.helpers import OPENED, appraisal_for, bank
from cunshe.core.actors import SYSTEM
from cunshe.core.concurrency import ConcurrentEdit
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.negativelist.models import NegativeEntry
from cunshe.records.models import RecordEntry
from cunshe.spreadsheets.layout import write_workbook
from cunshe.termchanges.services import term_change_open

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 20)


def test_residents_ratings_paper_totals_and_one_by_one_give_an_exact_rate(make_person: Any) -> None:
    a = appraisal_for(make_person, VILLAGE_A)
    assert a.rate is None
    a = ratings_set(actor=SYSTEM, appraisal=a, satisfied=50, basic=17, unsatisfied=33, expected_version=1)
    assert a.rate == Fraction(67, 100)
    a = rating_add(actor=SYSTEM, appraisal=a, level="unsatisfied")
    assert (a.ratings, a.rate) == (101, Fraction(67, 101))
    with pytest.raises(DomainError, match="票数有误"):
        ratings_set(actor=SYSTEM, appraisal=a, satisfied=-1, basic=0, unsatisfied=0, expected_version=a.version)
    with pytest.raises(ConcurrentEdit):  # a stale form (version 1) does not overwrite later totals
        ratings_set(actor=SYSTEM, appraisal=a, satisfied=1, basic=0, unsatisfied=0, expected_version=1)
    with pytest.raises(DomainError):
        rating_add(actor=SYSTEM, appraisal=a, level="great")
    assert Appraisal.objects.get(pk=a.pk).ratings == 101


def test_self_assessment_and_inquiry_are_validated_and_recorded_without_content(make_person: Any) -> None:
    a = appraisal_for(make_person, VILLAGE_A, name="王书记")
    with pytest.raises(DomainError) as err:
        self_assess(actor=SYSTEM, appraisal=a, grade="super", summary="", written_on=DAY, expected_version=1)
    assert set(err.value.field_errors) == {"grade", "summary"}
    a = self_assess(
        actor=SYSTEM, appraisal=a, grade="competent", summary="履职尽责", written_on=DAY, expected_version=1
    )
    assert (a.self_grade, a.version) == ("competent", 2)
    with pytest.raises(DomainError, match="问询记录有误"):
        inquiry_record(
            actor=SYSTEM,
            appraisal=a,
            held_on=date(2026, 9, 1),
            inquirer="部长",
            questions="问",
            assessment="答",
            grade="good",
        )
    inquiry_record(
        actor=SYSTEM,
        appraisal=a,
        held_on=DAY,
        inquirer="组织部长",
        questions="如何看待村集体经济发展？",
        assessment="思路清晰",
        grade="good",
    )
    summaries = " ".join(RecordEntry.objects.filter(region_id=VILLAGE_A).values_list("summary", flat=True))
    assert "王书记 完成自评" in summaries and "部长问询考" in summaries
    assert "履职尽责" not in summaries and "思路清晰" not in summaries  # the village reads the record book


def test_a_paper_is_drawn_from_the_town_and_county_banks_and_scored_against_the_dated_pass_mark(
    make_person: Any,
) -> None:
    a = appraisal_for(make_person, VILLAGE_A)
    bank(COUNTY, 6, prefix="县")
    with pytest.raises(DomainError, match="不足每卷 10 题"):
        paper_draw(actor=SYSTEM, appraisal=a, drawn_on=DAY)
    bank(TOWN_A, 4, prefix="镇")
    bank(TOWN_B, 20, prefix="黄山")  # another town's bank is not drawn from
    paper = paper_draw(actor=SYSTEM, appraisal=a, drawn_on=DAY, seed=1)
    items = list(PaperItem.objects.filter(paper=paper).select_related("question"))
    assert len(items) == paper.total == 10
    assert {i.question.region_id for i in items} <= {COUNTY, TOWN_A}
    # six right of ten: 3/5 exactly, 60 分以上 passes
    answers = {
        i.position: (i.question.answer if n < 6 else "错" if i.question.answer == "对" else "C")
        for n, i in enumerate(items)
    }
    with pytest.raises(DomainError, match="没有第 11 题"):
        paper_submit(actor=SYSTEM, paper=paper, answers={11: "A"})
    scored = paper_submit(actor=SYSTEM, paper=paper, answers=answers)
    assert (scored.score, scored.passed) == (6, True)
    with pytest.raises(DomainError, match="已交卷"):
        paper_submit(actor=SYSTEM, paper=paper, answers=answers)
    # a province's stricter rule from a later date applies to papers drawn from then on; five right fails
    ExamRule.objects.create(province="37", name="山东省", effective_from=date(2026, 10, 15), pass_mark=Fraction(7, 10))
    second = paper_draw(actor=SYSTEM, appraisal=a, drawn_on=DAY, seed=2)
    items = list(PaperItem.objects.filter(paper=second).select_related("question"))
    answers = {i.position: (i.question.answer if n < 6 else "") for n, i in enumerate(items)}
    assert (paper_submit(actor=SYSTEM, paper=second, answers=answers).passed, second.rule.province) == (False, "37")


def test_the_question_bank_imports_all_rows_or_none_and_a_reimport_changes_nothing(make_person: Any) -> None:
    rows = [
        {"kind": "single", "text": "村民会议由谁召集？", "options": "村民委员会\n乡镇政府\n村党组织", "answer": "A"},
        {"kind": "multiple", "text": "村务公开包括哪些？", "options": "财务|事务|党务", "answer": "CA"},
        {"kind": "true_false", "text": "选举可以委托投票。", "options": "", "answer": "对"},
    ]

    def sheet(rows: list[dict[str, Any]]) -> BytesIO:
        buffer = BytesIO()
        labels = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}
        write_workbook("题库", QUESTION_COLUMNS, [{**r, "kind": r["kind"]} for r in rows], buffer)
        del labels
        buffer.seek(0)
        return buffer

    bad = [*rows, {"kind": "single", "text": "坏题", "options": "甲\n乙", "answer": "C"}]
    with pytest.raises(DomainError) as err:
        questions_import(actor=SYSTEM, region_code=COUNTY, stream=sheet(bad))
    assert "第 5 行" in err.value.field_errors and not Question.objects.exists()
    report = questions_import(actor=SYSTEM, region_code=COUNTY, stream=sheet(rows))
    assert report.created == 3
    assert Question.objects.get(text="村务公开包括哪些？").answer == "AC"
    again = questions_import(actor=SYSTEM, region_code=COUNTY, stream=sheet(rows))
    assert (again.created, again.unchanged, Question.objects.count()) == (0, 3, 3)
    with pytest.raises(DomainError):
        questions_import(actor=SYSTEM, region_code=VILLAGE_A, stream=sheet(rows))


def test_problems_by_kind_roll_up_per_town_and_county_and_a_serious_one_goes_to_the_negative_list(
    make_person: Any, make_user: Any
) -> None:
    a = appraisal_for(make_person, VILLAGE_A)
    b = appraisal_for(make_person, VILLAGE_B)
    assert ProblemKind.objects.in_force(DAY).count() == 6
    p = problem_add(
        actor=SYSTEM, appraisal=a, kind_code="conduct", description="长期不在岗", found_on=DAY, serious=True
    )
    problem_add(actor=SYSTEM, appraisal=a, kind_code="conduct", description="会议迟到", found_on=DAY)
    problem_add(actor=SYSTEM, appraisal=b, kind_code="seats", description="职数未定", found_on=DAY)
    with pytest.raises(DomainError, match="问题有误"):
        problem_add(actor=SYSTEM, appraisal=b, kind_code="nope", description="x", found_on=DAY)
    counts = {(t.region_id, t.kind.code): t.count for t in ProblemTally.objects.select_related("kind")}
    assert counts == {(TOWN_A, "conduct"): 2, (COUNTY, "conduct"): 2, (TOWN_B, "seats"): 1, (COUNTY, "seats"): 1}
    # the town may not enter on the negative list (organizers and supervisors only); the county organizer may
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    rule = ExclusionRule.objects.get(county_id=COUNTY, code="9")
    with pytest.raises(NotPermitted):
        problem_refer(actor=make_user("town_officer", TOWN_A), problem=p, rule_id=rule.pk)
    referred = problem_refer(actor=make_user("county_organizer", COUNTY), problem=p, rule_id=rule.pk)
    entry = NegativeEntry.objects.get(person=a.person)
    assert referred.negative_entry_id == entry.pk
    assert (entry.person_id, entry.state) == (a.person_id, "pending")
    with pytest.raises(DomainError, match="已转入"):
        problem_refer(actor=SYSTEM, problem=referred, rule_id=rule.pk)


def test_the_inspection_report_once_per_person_and_only_in_the_towns_own_villages(
    make_person: Any, make_user: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    a = appraisal_for(make_person, VILLAGE_A)
    b = appraisal_for(make_person, VILLAGE_B)
    report = inspection_write(
        actor=officer,
        appraisal=a,
        inspected_on=DAY,
        inspectors="张三、李四",
        findings="群众认可",
        conclusion="建议继续提名",
    )
    assert report.region_id == VILLAGE_A and report.inspected_on >= OPENED
    with pytest.raises(DomainError, match="已形成"):
        inspection_write(actor=officer, appraisal=a, inspected_on=DAY, inspectors="张三", findings="x", conclusion="y")
    with pytest.raises(Http404):  # another town's village does not exist for this officer
        inspection_write(actor=officer, appraisal=b, inspected_on=DAY, inspectors="张三", findings="x", conclusion="y")
    with pytest.raises(Http404):  # a village cadre is appraised: the appraisals do not exist for them
        self_assess(
            actor=make_user("village_cadre", VILLAGE_A),
            appraisal=a,
            grade="competent",
            summary="x",
            written_on=DAY,
            expected_version=1,
        )
