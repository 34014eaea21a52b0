"""The law question bank's Excel: exported in the layout its import reads, so a bank comes back the same."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A
from cunshe.appraisals.exports import questions_import
from cunshe.appraisals.models import PaperItem, Question
from cunshe.appraisals.services import paper_draw, question_add
from cunshe.appraisals.tests.helpers import appraisal_for, bank
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _bank_of(region: str) -> set[tuple[str, str, tuple[str, ...], str]]:
    return {(q.kind, q.text, tuple(q.options), q.answer) for q in Question.objects.filter(region_id=region)}


def _varied_bank(region: str) -> None:
    question_add(
        actor=SYSTEM,
        region_code=region,
        kind="multiple",
        text="村务公开包括哪些？",
        options=["财务", "事务", "党务"],
        answer="CA",
    )
    question_add(
        actor=SYSTEM,
        region_code=region,
        kind="single",
        text="=选举委员会由谁推选产生？",  # a text Excel would take for a formula stays text
        options=["村民会议或村民代表会议", "乡镇政府", "-村党组织"],
        answer="A",
    )
    question_add(
        actor=SYSTEM, region_code=region, kind="true_false", text="选举可以委托投票。", options=[], answer="对"
    )


def test_the_exported_bank_imports_as_the_same_questions_and_a_reimport_changes_nothing(
    make_user: Any, web_as: Any, api_as: Any
) -> None:
    _varied_bank(TOWN_A)
    bank(TOWN_A, 6, prefix="镇")
    officer = make_user("town_officer", TOWN_A)
    got = web_as(officer).get(f"/appraisals/bank/{TOWN_A}/questions.xlsx")
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxml")
    header = next(load_workbook(BytesIO(got.content)).active.iter_rows(values_only=True))
    assert header[:2] == ("题型", "题目")
    # into a bank that has none of them: the same questions, options in order and answers
    report = questions_import(actor=SYSTEM, region_code=TOWN_B, stream=BytesIO(got.content))
    assert report.created == 9 and _bank_of(TOWN_B) == _bank_of(TOWN_A)
    # back into its own bank: nothing new, nothing changed
    again = questions_import(actor=officer, region_code=TOWN_A, stream=BytesIO(got.content))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
    # the API hands out the same file
    api = api_as(officer).get(f"/api/v1/appraisals/questions/{TOWN_A}/bank.xlsx")
    assert api.status_code == 200
    assert questions_import(actor=SYSTEM, region_code=TOWN_B, stream=BytesIO(api.content)).unchanged == 9


def test_the_bank_export_follows_the_bank_pages_rule(make_user: Any, web_as: Any, api_as: Any) -> None:
    bank(COUNTY, 2, prefix="县")
    bank(TOWN_B, 2, prefix="黄山")
    officer = web_as(make_user("town_officer", TOWN_A))
    page = officer.get("/appraisals/bank/").content.decode()
    assert f"/appraisals/bank/{COUNTY}/questions.xlsx" in page and f"/appraisals/bank/{TOWN_A}/questions.xlsx" in page
    assert f"/appraisals/bank/{TOWN_B}/" not in page
    # the county's bank is read by its towns; another town's is not there, nor is a village a bank
    county = officer.get(f"/appraisals/bank/{COUNTY}/questions.xlsx")
    assert county.status_code == 200 and "县0" in str(list(load_workbook(BytesIO(county.content)).active.values))
    assert officer.get(f"/appraisals/bank/{TOWN_B}/questions.xlsx").status_code == 404
    assert officer.get(f"/appraisals/bank/{VILLAGE_A}/questions.xlsx").status_code == 404
    # the village cadres (the people examined) do not read the bank
    cadre = make_user("village_cadre", VILLAGE_A)
    assert web_as(cadre).get(f"/appraisals/bank/{COUNTY}/questions.xlsx").status_code == 404
    assert api_as(cadre).get(f"/api/v1/appraisals/questions/{COUNTY}/bank.xlsx").status_code == 404
    assert (
        api_as(make_user("town_officer", TOWN_A)).get(f"/api/v1/appraisals/questions/{TOWN_B}/bank.xlsx").status_code
        == 404
    )


def test_an_edited_export_corrects_the_questions_no_paper_drew_and_refuses_the_others(make_person: Any) -> None:
    bank(TOWN_A, 12, prefix="镇")
    paper = paper_draw(actor=SYSTEM, appraisal=appraisal_for(make_person, VILLAGE_A), drawn_on=date(2026, 10, 20))
    drawn = set(PaperItem.objects.filter(paper=paper).values_list("question__text", flat=True))
    # Any kind: the draw is random, so a paper may take every question of one kind (it did in CI).
    free = next(q for q in Question.objects.order_by("id") if q.text not in drawn)
    used = next(q for q in Question.objects.order_by("id") if q.text in drawn)
    other_answer = {"对": "错", "B": "A"}
    from cunshe.appraisals.exports import bank_export

    def edited(*questions: Question) -> BytesIO:
        source = BytesIO()
        bank_export(Question.objects.filter(region_id=TOWN_A).order_by("id"), source)
        book = load_workbook(BytesIO(source.getvalue()))
        sheet = book.active
        assert sheet is not None
        answers = {q.text: other_answer[q.answer] for q in questions}
        for row in sheet.iter_rows(min_row=2):
            if row[1].value in answers:
                row[3].value = answers[str(row[1].value)]
        target = BytesIO()
        book.save(target)
        target.seek(0)
        return target

    with pytest.raises(DomainError) as refused:
        questions_import(actor=SYSTEM, region_code=TOWN_A, stream=edited(free, used))
    assert "已用于试卷" in str(refused.value.field_errors)
    assert Question.objects.get(pk=free.pk).answer == free.answer  # nothing saved
    report = questions_import(actor=SYSTEM, region_code=TOWN_A, stream=edited(free))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 11)
    assert Question.objects.get(pk=free.pk).answer == other_answer[free.answer]
    assert Question.objects.get(pk=used.pk).answer == used.answer


def test_an_option_holding_the_sheets_separator_is_refused(make_user: Any) -> None:
    with pytest.raises(DomainError, match="不能有换行"):
        question_add(actor=SYSTEM, region_code=TOWN_A, kind="single", text="题", options=["甲|乙", "丙"], answer="A")
    assert not Question.objects.exists()
