from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.appraisals.models import Paper, PaperItem
from cunshe.appraisals.services import inspection_write, paper_draw, problem_add, ratings_set
from cunshe.appraisals.tests.helpers import appraisal_for, bank
from cunshe.core.actors import SYSTEM
from cunshe.web.tests.kept import shown_after_a_write

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 20)


def test_the_report_pdf_and_the_results_excel_say_what_was_found(make_person: Any, make_user: Any, web_as: Any) -> None:
    a = appraisal_for(make_person, VILLAGE_A, name="赵主任", post="director")
    ratings_set(actor=SYSTEM, appraisal=a, satisfied=60, basic=7, unsatisfied=33, expected_version=1)
    problem_add(actor=SYSTEM, appraisal=a, kind_code="residents", description="调解纠纷不及时", found_on=DAY)
    client = web_as(make_user("town_officer", TOWN_A))
    assert client.get(f"/appraisals/{a.pk}/report.pdf").status_code == 404  # no report yet
    inspection_write(
        actor=SYSTEM,
        appraisal=a,
        inspected_on=DAY,
        inspectors="张三、李四",
        findings="工作扎实",
        conclusion="建议继续提名",
    )
    text, pages = pdf_text(client.get(f"/appraisals/{a.pk}/report.pdf").content)
    assert pages >= 1
    for expected in ("赵主任同志专项考察报告", "67/100", "调解纠纷不及时", "建议继续提名", "张三、李四"):
        assert expected in text
    sheet = load_workbook(BytesIO(client.get("/appraisals/results.xlsx").content)).active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in rows if "赵主任" in r)
    assert "67/100（67.0%）" in row and 1 in row
    # a village cadre (the person appraised) does not read the appraisals
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    assert cadre.get(f"/appraisals/{a.pk}/").status_code == 404
    assert "赵主任" not in cadre.get("/appraisals/").content.decode()


def test_answering_a_paper_on_the_page_scores_it(make_person: Any, make_user: Any, web_as: Any) -> None:
    a = appraisal_for(make_person, VILLAGE_A)
    bank(TOWN_A, 10)
    paper = paper_draw(actor=SYSTEM, appraisal=a, drawn_on=DAY, seed=3)
    client = web_as(make_user("town_officer", TOWN_A))
    page = client.get(f"/appraisals/paper/{paper.pk}/").content.decode()
    assert "村民委员会每届任期几年" in page or "连选连任" in page
    answers = {
        f"q{i.position}": i.question.answer for i in PaperItem.objects.filter(paper=paper).select_related("question")
    }
    client.post(f"/appraisals/paper/{paper.pk}/submit/", answers)
    assert (Paper.objects.get(pk=paper.pk).score, Paper.objects.get(pk=paper.pk).passed) == (10, True)


def test_the_api_rate_is_exact_and_bad_input_is_a_chinese_400(make_person: Any, make_user: Any, api_as: Any) -> None:
    a = appraisal_for(make_person, VILLAGE_A)
    client = api_as(make_user("town_officer", TOWN_A))
    got = client.post(
        f"/api/v1/appraisals/{a.pk}/ratings",
        {"satisfied": 2, "basic": 0, "unsatisfied": 1, "version": 1},
        content_type="application/json",
    )
    assert got.status_code == 200 and got.json()["rate"] == "2/3"
    bad = client.post(
        f"/api/v1/appraisals/{a.pk}/problems",
        {"kind": "nope", "description": "x", "found_on": "2026-10-20"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "问题有误" in bad.content.decode()
    stale = client.post(
        f"/api/v1/appraisals/{a.pk}/ratings",
        {"satisfied": 1, "basic": 0, "unsatisfied": 0, "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_the_list_costs_the_same_for_two_people_or_twenty(
    make_person: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    for _n in range(2):
        appraisal_for(make_person, VILLAGE_A)
    client.get("/appraisals/")
    with django_assert_max_num_queries(14) as few:
        client.get("/appraisals/")
    for _n in range(18):
        appraisal_for(make_person, VILLAGE_A)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/appraisals/").status_code == 200


def test_the_kept_list_shows_new_ratings_on_the_next_view(
    kept_summaries: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    """The list is kept whole (issue 15): residents' ratings set through the service move the county's change number
    and show at once; the officer of another town, whose page is their own, does not see the appraisal."""
    a = appraisal_for(make_person, VILLAGE_A, name="赵主任", post="director")
    client = web_as(make_user("town_officer", TOWN_A))

    def rated() -> None:
        ratings_set(actor=SYSTEM, appraisal=a, satisfied=60, basic=7, unsatisfied=33, expected_version=1)

    shown_after_a_write(client, "/appraisals/", rated, "<td>67/100</td>")
    theirs = web_as(make_user("town_officer", TOWN_B)).get("/appraisals/")
    assert theirs.templates and "赵主任" not in theirs.content.decode()
