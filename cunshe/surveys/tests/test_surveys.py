from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, api_client, pdf_text, web_client
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.issueboard.models import Issue
from cunshe.records.models import RecordEntry
from cunshe.surveys import selectors
from cunshe.surveys.models import Response, Run, Survey, Tally, TextAnswer, Token
from cunshe.surveys.services import (
    holder_assign,
    paper_enter,
    response_enter,
    response_submit,
    survey_close,
    survey_create,
    survey_edit,
    survey_open,
    survey_revise,
    text_raise,
    tokens_issue,
)
from cunshe.surveys.tests.helpers import OPINION_QUESTIONS, c, closed, opinion, q, run_of, satisfaction
from cunshe.termchanges.services import term_change_open

pytestmark = pytest.mark.django_db
VILLAGE_A2 = "371681001214"


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


def _answers(s: Survey, single: int, multiple: list[int], scale: int, text: str = "") -> dict[str, Any]:
    return {
        str(q(s, 1).pk): c(s, 1, single).pk,
        str(q(s, 2).pk): [c(s, 2, m).pk for m in multiple],
        str(q(s, 3).pk): c(s, 3, scale).pk,
        str(q(s, 4).pk): text,
    }


def test_who_makes_and_opens_a_form_and_it_is_fixed_once_open(zouping: Any, make_user: Any) -> None:
    town = make_user("town_officer", TOWN_A)
    s = survey_create(
        actor=town,
        region_code=TOWN_A,
        title="黛溪街道民意调查",
        purpose="opinion",
        year=2026,
        questions=OPINION_QUESTIONS,
    )
    with pytest.raises(NotPermitted):  # the town reads the county's forms but makes none there
        survey_create(
            actor=town, region_code=COUNTY, title="县问卷", purpose="opinion", year=2026, questions=OPINION_QUESTIONS
        )
    with pytest.raises(Http404):
        survey_create(
            actor=make_user("town_officer", TOWN_B),
            region_code=TOWN_A,
            title="越界",
            purpose="opinion",
            year=2026,
            questions=OPINION_QUESTIONS,
        )
    with pytest.raises(NotPermitted):
        survey_create(
            actor=make_user("village_cadre", VILLAGE_A),
            region_code=TOWN_A,
            title="村",
            purpose="opinion",
            year=2026,
            questions=OPINION_QUESTIONS,
        )
    with pytest.raises(DomainError, match="问卷有误") as bad:
        survey_create(
            actor=town,
            region_code=TOWN_A,
            title="坏问卷",
            purpose="opinion",
            year=2026,
            questions=[
                {"kind": "single", "text": "只有一个选项", "choices": ["是"]},
                {"kind": "scale", "text": "打分", "scale_max": 11},
            ],
        )
    assert len(bad.value.field_errors["questions"]) == 2
    survey_edit(
        actor=town,
        survey=s,
        title="黛溪街道换届民意调查",
        intro="",
        questions=OPINION_QUESTIONS[:2],
        expected_version=s.version,
    )
    assert s.questions.count() == 2
    survey_open(actor=town, survey=s, expected_version=s.version)
    assert (
        Run.objects.filter(survey=s).count() == Run.objects.filter(survey=s, village_id__startswith=TOWN_A).count() > 1
    )
    with pytest.raises(DomainError, match="不能修改"):  # a fixed form: the answers stay tied to its questions
        survey_edit(actor=town, survey=s, title="改", intro="", questions=OPINION_QUESTIONS, expected_version=s.version)
    with pytest.raises(IllegalTransition, match="问卷不能从“调查中”转为“调查中”（可转为：已结束）。"):
        survey_open(actor=town, survey=s, expected_version=s.version)
    with pytest.raises(ConcurrentEdit):  # closing from a stale page
        survey_close(actor=town, survey=Survey.objects.get(pk=s.pk), expected_version=1)
    new = survey_revise(actor=town, survey=s)
    assert (new.series, new.number, new.status, new.questions.count()) == (s.series, 2, "draft", 2)
    survey_open(actor=town, survey=new, expected_version=new.version)
    s.refresh_from_db()
    assert s.status == "closed"  # the earlier version closes when the new one opens


def test_paper_totals_are_checked_against_the_papers_counted(zouping: Any, make_user: Any) -> None:
    s = opinion(TOWN_A, villages=[VILLAGE_A, VILLAGE_A2])
    run = run_of(s, VILLAGE_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    q1, q2, q3, q4 = (str(q(s, n).pk) for n in (1, 2, 3, 4))
    cases = [
        ({q1: {str(c(s, 1, 1).pk): 30, str(c(s, 1, 2).pk): 21}}, {}, "合计 51 份，超过问卷 50 份"),
        ({q2: {str(c(s, 2, 1).pk): 51}}, {}, "超过问卷 50 份"),
        ({q3: {str(c(s, 3, 5).pk): -1}}, {}, "不小于 0"),
        ({q1: {str(c(s, 2, 1).pk): 1}}, {}, "不属于本题"),
        ({}, {q1: ["不是文字题"]}, "不是文字题"),
    ]
    for totals, texts, message in cases:
        with pytest.raises(DomainError) as refused:
            paper_enter(actor=cadre, run=run, papers=50, totals=totals, texts=texts, expected_version=run.version)
        assert message in refused.value.text
    assert not Tally.objects.filter(survey=s).exists() and run_of(s, VILLAGE_A).papers == 0  # nothing partial
    # each of a multiple choice may reach the papers counted; a single choice and a scale only together
    good = {
        q1: {str(c(s, 1, 1).pk): 30, str(c(s, 1, 2).pk): 20},
        q2: {str(c(s, 2, 1).pk): 50, str(c(s, 2, 3).pk): 50},
        q3: {str(c(s, 3, 5).pk): 40, str(c(s, 3, 4).pk): 10},
    }
    paper_enter(actor=cadre, run=run, papers=50, totals=good, texts={q4: ["修路", "建老年食堂"]}, expected_version=1)
    with pytest.raises(ConcurrentEdit):
        paper_enter(actor=cadre, run=run, papers=50, totals=good, expected_version=1)
    # re-entering replaces (a recount corrects, never adds twice)
    good[q1] = {str(c(s, 1, 1).pk): 31, str(c(s, 1, 2).pk): 19}
    paper_enter(actor=cadre, run=run, papers=50, totals=good, texts={q4: ["修路"]}, expected_version=2)
    assert Tally.objects.get(survey=s, village_id=VILLAGE_A, choice=c(s, 1, 1)).paper == 31
    assert list(TextAnswer.objects.filter(run=run).values_list("text", flat=True)) == ["修路"]
    with pytest.raises(Http404):  # another town's officer: the village does not exist for them
        paper_enter(actor=make_user("town_officer", TOWN_B), run=run, papers=1, totals={}, expected_version=3)
    with pytest.raises(NotPermitted):  # a village's first secretary? allowed; a discipline supervisor only reads
        paper_enter(actor=make_user("discipline_supervisor", TOWN_A), run=run, papers=1, totals={}, expected_version=3)


def test_one_answer_per_qr_link(zouping: Any, make_user: Any) -> None:
    s = opinion(TOWN_A, villages=[VILLAGE_A])
    run = run_of(s, VILLAGE_A)
    with pytest.raises(NotPermitted):
        tokens_issue(actor=make_user("discipline_supervisor", TOWN_A), run=run, count=3)
    with pytest.raises(DomainError, match="每批 1 至 500 份"):
        tokens_issue(actor=SYSTEM, run=run, count=501)
    tokens = tokens_issue(actor=make_user("village_cadre", VILLAGE_A), run=run, count=3)
    assert len({t.code for t in tokens}) == 3 and {t.batch for t in tokens} == {1}
    with pytest.raises(DomainError, match="未填写完整"):  # refused answers do not use the link up
        response_submit(code=tokens[0].code, answers={str(q(s, 1).pk): c(s, 1, 1).pk})
    with pytest.raises(DomainError):
        response_submit(
            code=tokens[0].code, answers={**_answers(s, 1, [1], 5), str(q(s, 1).pk): [c(s, 1, 1).pk, c(s, 1, 2).pk]}
        )
    response_submit(code=tokens[0].code, answers=_answers(s, 1, [1, 2], 5, "希望修好村东的路"))
    with pytest.raises(Http404):  # the same link twice: refused, counted once
        response_submit(code=tokens[0].code, answers=_answers(s, 2, [3], 1))
    with pytest.raises(Http404):
        response_submit(code="no-such-code", answers=_answers(s, 2, [3], 1))
    assert Token.objects.get(pk=tokens[0].pk).used_at is not None
    assert Response.objects.filter(run=run, channel="qr").count() == 1
    assert run_of(s, VILLAGE_A).responses == 1
    assert Tally.objects.get(survey=s, village_id=VILLAGE_A, choice=c(s, 1, 1)).single == 1
    assert TextAnswer.objects.get(run=run).channel == "qr"
    closed(s)
    with pytest.raises(Http404):  # a closed survey takes no more answers, even on an unused link
        response_submit(code=tokens[1].code, answers=_answers(s, 1, [1], 5))


def test_slips_print_a_batch_at_a_time_the_newest_unless_named(zouping: Any, make_user: Any) -> None:
    # Slips were the run's unused links oldest first, cut at 500: a second batch issued after a large first one lost
    # its links off the printout. Now each batch prints on its own (a batch holds at most 500).
    s = opinion(TOWN_A, villages=[VILLAGE_A])
    run = run_of(s, VILLAGE_A)
    first = tokens_issue(actor=SYSTEM, run=run, count=9)
    tokens_issue(actor=SYSTEM, run=run, count=10)
    response_submit(code=first[0].code, answers=_answers(s, 1, [1], 5))
    assert selectors.unused_batches(run) == [(1, 8), (2, 10)]
    cadre = make_user("village_cadre", VILLAGE_A)
    page = web_client(cadre).get(f"/surveys/run/{run.pk}/").content.decode()
    assert "打印第 1 批问卷条（未使用 8 份）" in page and "打印第 2 批问卷条（未使用 10 份）" in page
    newest = web_client(cadre).get(f"/surveys/run/{run.pk}/slips.pdf")
    text, pages = pdf_text(newest.content)
    assert pages == 2 and "第 2 批 10 号" in text and "第 1 批" not in text  # 10 slips, 8 a page
    named = api_client(cadre).get(f"/api/v1/surveys/runs/{run.pk}/slips.pdf", {"batch": 1})
    text, pages = pdf_text(named.content)
    assert pages == 1 and "第 1 批 8 号" in text and "第 1 批 9 号" not in text and "第 2 批" not in text
    for wrong in (0, 99999):  # no such batch number: a 422 naming the field, never a 500
        refused = api_client(cadre).get(f"/api/v1/surveys/runs/{run.pk}/slips.pdf", {"batch": wrong})
        assert refused.status_code == 422 and "batch" in refused.json()["errors"]
    odd = web_client(cadre).get(f"/surveys/run/{run.pk}/slips.pdf?batch=99999999999999999999999")
    assert odd.status_code == 200 and "第 2 批 10 号" in pdf_text(odd.content)[0]  # a page ignores it: the newest
    superscript = web_client(cadre).get(f"/surveys/run/{run.pk}/slips.pdf?batch=²")  # a digit int() refuses
    assert superscript.status_code == 200 and "第 2 批 10 号" in pdf_text(superscript.content)[0]
    other = make_user("village_cadre", VILLAGE_B)
    assert web_client(other).get(f"/surveys/run/{run.pk}/slips.pdf?batch=1").status_code == 404


def test_counts_roll_up_from_village_to_town_and_county(
    zouping: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    s = opinion(COUNTY)
    cadre = make_user("village_cadre", VILLAGE_A)
    response_enter(actor=cadre, run=run_of(s, VILLAGE_A), answers=_answers(s, 1, [1, 2], 5))
    response_enter(actor=SYSTEM, run=run_of(s, VILLAGE_A2), answers=_answers(s, 2, [2], 4))
    response_enter(actor=SYSTEM, run=run_of(s, VILLAGE_B), answers=_answers(s, 1, [4], 3))
    q1 = str(q(s, 1).pk)
    paper_enter(
        actor=SYSTEM, run=run_of(s, VILLAGE_B), papers=10, totals={q1: {str(c(s, 1, 1).pk): 7}}, expected_version=1
    )
    organizer = make_user("county_organizer", COUNTY)
    selectors.results(organizer, s, COUNTY)  # the grants are read once per request
    with django_assert_max_num_queries(6):
        county = selectors.results(organizer, s, COUNTY)
    town_a = next(r for r in county.rows if r.code == TOWN_A)
    town_b = next(r for r in county.rows if r.code == TOWN_B)
    assert (town_a.forms, town_a.by_choice[c(s, 1, 1).pk], town_a.by_choice[c(s, 2, 2).pk]) == (2, 1, 2)
    assert (town_b.forms, town_b.papers, town_b.by_choice[c(s, 1, 1).pk]) == (11, 10, 8)
    assert county.total.forms == 13 and county.total.by_choice[c(s, 1, 1).pk] == 9
    assert county.share(county.total, c(s, 1, 1).pk) == Fraction(900, 13)
    # a town sees its own villages only, under the county's form
    officer = make_user("town_officer", TOWN_A)
    mine = selectors.results(officer, s, TOWN_A)
    assert {r.code for r in mine.rows if r.forms} == {VILLAGE_A, VILLAGE_A2} and mine.total.forms == 2
    assert selectors.results(officer, s, COUNTY).total.forms == 2  # the county view holds only what it may see
    assert len(mine.rows) > 2  # villages with nothing yet show as rows of zeros
    # Excel and the printed results say the same
    client = web_client(officer)
    xlsx = client.get(f"/surveys/{s.pk}/results.xlsx?under={TOWN_A}")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    text, _ = pdf_text(client.get(f"/surveys/{s.pk}/results.pdf?under={TOWN_A}").content)
    assert "收回问卷 2 份" in text and "满意" in text
    form, _ = pdf_text(client.get(f"/surveys/{s.pk}/form.pdf").content)
    assert "您希望新班子优先办好哪些事？（可多选）" in form


def test_free_text_becomes_an_issue_by_a_staff_action(term_change: Any, make_user: Any) -> None:
    s = opinion(TOWN_A, villages=[VILLAGE_A])
    run = run_of(s, VILLAGE_A)
    paper_enter(
        actor=SYSTEM,
        run=run,
        papers=3,
        totals={},
        texts={str(q(s, 4).pk): ["村东道路坑洼，雨天难走"]},
        expected_version=1,
    )
    answer = TextAnswer.objects.get(run=run)
    with pytest.raises(Http404):
        text_raise(actor=make_user("town_officer", TOWN_B), answer=answer, owner="李四")
    with pytest.raises(NotPermitted):
        text_raise(actor=make_user("discipline_supervisor", TOWN_A), answer=answer, owner="李四")
    with pytest.raises(DomainError, match="问题信息有误"):
        text_raise(actor=make_user("village_cadre", VILLAGE_A), answer=answer, owner="")
    issue = text_raise(actor=make_user("village_cadre", VILLAGE_A), answer=answer, owner="村主任")
    assert (issue.region_id, issue.title, issue.status) == (VILLAGE_A, "村东道路坑洼，雨天难走", "open")
    assert "来自民意调查《换届民意调查表》" in issue.detail
    assert TextAnswer.objects.get(pk=answer.pk).issue_id == issue.pk
    assert RecordEntry.objects.filter(event="surveys.text_raised").count() == 1
    with pytest.raises(DomainError, match="已转为问题清单"):
        text_raise(actor=SYSTEM, answer=answer, owner="村主任")
    assert Issue.objects.count() == 1
    # a recount of the papers keeps the opinion that became an issue
    paper_enter(actor=SYSTEM, run=run, papers=3, totals={}, texts={}, expected_version=2)
    assert TextAnswer.objects.filter(run=run, issue=issue).exists()


def test_satisfaction_scores_per_person_village_town_and_county_against_last_year(
    zouping: Any, make_user: Any, make_person: Any
) -> None:
    secretary = make_person(VILLAGE_A, name="王书记")
    police = make_person(VILLAGE_A, name="赵民警")
    since = date(2025, 3, 1)
    organizer = make_user("county_organizer", COUNTY)
    with pytest.raises(NotPermitted):
        holder_assign(
            actor=make_user("village_cadre", VILLAGE_A),
            village_code=VILLAGE_A,
            post="police",
            person=police,
            since=since,
        )
    for village in (VILLAGE_A, VILLAGE_A2):  # one police officer serves two villages
        holder_assign(
            actor=organizer, village_code=village, post="police", person=police, since=since, unit="黛溪派出所"
        )
    holder_assign(actor=organizer, village_code=VILLAGE_A, post="first_secretary", person=secretary, since=since)
    with pytest.raises(DomainError, match="须晚于前任到岗日期"):
        holder_assign(actor=organizer, village_code=VILLAGE_A, post="police", person=secretary, since=since)
    last = satisfaction(TOWN_A, year=2025, post="police")
    s5 = lambda s, n: {str(q(s, 1).pk): {str(c(s, 1, n).pk): 1}}  # noqa: E731
    paper_enter(
        actor=SYSTEM,
        run=run_of(last, VILLAGE_A),
        papers=2,
        totals={str(q(last, 1).pk): {str(c(last, 1, 4).pk): 2}, str(q(last, 2).pk): {str(c(last, 2, 4).pk): 2}},
        expected_version=1,
    )
    closed(last)
    with pytest.raises(DomainError, match="须为同一单位、同一测评对象"):
        satisfaction(TOWN_A, year=2026, post="agent", previous=last)
    now = satisfaction(TOWN_A, year=2026, post="police", previous=last)
    assert run_of(now, VILLAGE_A).subject_id == police.pk and run_of(now, VILLAGE_A2).subject_id == police.pk
    with pytest.raises(NotPermitted, match="乡镇\\(街道\\)以上录入"):  # nobody in the village enters the scores
        response_enter(actor=make_user("village_cadre", VILLAGE_A), run=run_of(now, VILLAGE_A), answers={})
    # village A: 5+5 and 4+5 points; village A2: 3+4 — on 1-5, s/5 × 100
    officer = make_user("town_officer", TOWN_A)
    for run, (x, y) in (
        (run_of(now, VILLAGE_A), (5, 5)),
        (run_of(now, VILLAGE_A), (4, 5)),
        (run_of(now, VILLAGE_A2), (3, 4)),
    ):
        response_enter(
            actor=officer, run=run, answers={str(q(now, 1).pk): c(now, 1, x).pk, str(q(now, 2).pk): c(now, 2, y).pk}
        )
    sc = selectors.scores(officer, now, TOWN_A)
    row_a = next(r for r in sc.rows if r.code == VILLAGE_A)
    row_a2 = next(r for r in sc.rows if r.code == VILLAGE_A2)
    assert (row_a.score, row_a.answers, row_a.last_year, row_a.change) == (Fraction(95), 4, Fraction(80), Fraction(15))
    assert row_a2.score == Fraction(70) and row_a2.last_year is None
    assert sc.total.score == Fraction(520, 6) and sc.total.texts[0] == "86.7"  # answers pooled, not villages averaged
    (person,) = sc.people
    assert (person.name, person.score, person.last_year) == ("赵民警", Fraction(520, 6), Fraction(80))
    assert selectors.shown(Fraction(9145, 100)) == "91.5"  # half up, as in seed 002's 91.5
    api = api_client(officer)
    got = api.get(f"/api/v1/surveys/{now.pk}/scores?under={TOWN_A}").json()
    assert got["total"]["score"] == "86.7" and got["people"][0]["change"] == "6.7"
    assert api.get(f"/api/v1/surveys/{now.pk}/scores?under={TOWN_B}").status_code == 404
    assert "分数÷最高分×100" in got["formula"]
    del s5


def test_public_page_needs_no_account_and_takes_one_answer(zouping: Any, client: Any) -> None:
    s = opinion(TOWN_A, villages=[VILLAGE_A])
    (token,) = tokens_issue(actor=SYSTEM, run=run_of(s, VILLAGE_A), count=1)
    page = client.get(f"/public/surveys/{token.code}/")
    assert page.status_code == 200 and "您对现任村(社区)班子是否满意？" in page.content.decode()
    refused = client.post(f"/public/surveys/{token.code}/", {f"q{q(s, 1).pk}": c(s, 1, 1).pk})
    assert refused.status_code == 400 and "请作答" in refused.content.decode()
    done = client.post(
        f"/public/surveys/{token.code}/",
        {
            f"q{q(s, 1).pk}": c(s, 1, 2).pk,
            f"q{q(s, 2).pk}": [c(s, 2, 1).pk, c(s, 2, 4).pk],
            f"q{q(s, 3).pk}": c(s, 3, 4).pk,
        },
    )
    assert done.status_code == 200 and "提交成功" in done.content.decode()
    assert client.get(f"/public/surveys/{token.code}/").status_code == 404
    api = api_client.__wrapped__ if hasattr(api_client, "__wrapped__") else None
    del api
    (second,) = tokens_issue(actor=SYSTEM, run=run_of(s, VILLAGE_A), count=1)
    body = {"answers": {q1: v for q1, v in _answers(s, 1, [2], 3).items()}}
    from django.test import Client

    anon = Client(HTTP_HOST="127.0.0.1")
    assert anon.post(f"/api/v1/surveys/public/{second.code}", body, content_type="application/json").status_code == 201
    assert anon.post(f"/api/v1/surveys/public/{second.code}", body, content_type="application/json").status_code == 404
    assert run_of(s, VILLAGE_A).responses == 2


def test_holders_change_ends_the_previous_and_lists_by_town(zouping: Any, make_user: Any, make_person: Any) -> None:
    first, second = make_person(VILLAGE_A, name="甲代办员"), make_person(VILLAGE_A, name="乙代办员")
    town = make_user("town_officer", TOWN_A)
    with pytest.raises(DomainError, match="不能晚于今天"):
        holder_assign(
            actor=town,
            village_code=VILLAGE_A,
            post="agent",
            person=first,
            since=timezone.localdate() + timedelta(days=1),
        )
    holder_assign(actor=town, village_code=VILLAGE_A, post="agent", person=first, since=date(2026, 1, 1))
    holder_assign(actor=town, village_code=VILLAGE_A, post="agent", person=second, since=date(2026, 6, 1))
    rows = list(selectors.holders_under(town, TOWN_A, current_only=False))
    assert [(h.person.name, h.until) for h in rows] == [("乙代办员", None), ("甲代办员", date(2026, 6, 1))]
    assert not selectors.holders_under(make_user("town_officer", TOWN_B), TOWN_A).exists()
    with pytest.raises(Http404):
        holder_assign(
            actor=make_user("town_officer", TOWN_B),
            village_code=VILLAGE_A,
            post="agent",
            person=first,
            since=date(2026, 7, 1),
        )


def test_pages_read_in_constant_queries_and_offer_entry_only_where_allowed(
    zouping: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    s = opinion(TOWN_A)
    officer = make_user("town_officer", TOWN_A)
    supervisor = make_user("discipline_supervisor", TOWN_A)
    for village in (VILLAGE_A, VILLAGE_A2):
        response_enter(actor=SYSTEM, run=run_of(s, village), answers=_answers(s, 1, [1], 4, "修路"))
    client = web_client(officer)
    client.get(f"/surveys/{s.pk}/")
    with django_assert_max_num_queries(20):
        page = client.get(f"/surveys/{s.pk}/?under={TOWN_A}")
    assert page.status_code == 200 and "收回问卷 2 份" in page.content.decode()
    run = run_of(s, VILLAGE_A)
    with django_assert_max_num_queries(20):
        page = client.get(f"/surveys/run/{run.pk}/")
    assert "保存汇总" in page.content.decode() and "转为问题清单" in page.content.decode()
    shown = web_client(supervisor).get(f"/surveys/run/{run.pk}/").content.decode()
    assert "保存汇总" not in shown and "修路" in shown  # supervisors read, never enter
    assert web_client(supervisor).post(f"/surveys/run/{run.pk}/answer/", _answers(s, 1, [1], 4)).status_code == 403
    assert web_client(make_user("town_officer", TOWN_B)).get(f"/surveys/run/{run.pk}/").status_code == 404
