"""The town and county roll-up of 双评三考: residents' satisfaction, the law exam and the inspections per town (for a
county) and per village (for a town), as a page, the API and Excel, under the appraisals' rule."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.appraisals import selectors
from cunshe.appraisals.models import Appraisal, PaperItem
from cunshe.appraisals.services import inspection_write, paper_draw, paper_submit, problem_add, ratings_set
from cunshe.appraisals.tests.helpers import appraisal_for, bank
from cunshe.core.actors import SYSTEM
from cunshe.regions.models import Region

pytestmark = pytest.mark.django_db
DAY = date(2026, 10, 20)


def _appraised(make_person: Any, village: str, votes: tuple[int, int, int], right: int | None) -> Appraisal:
    a = appraisal_for(make_person, village)
    a = ratings_set(
        actor=SYSTEM, appraisal=a, satisfied=votes[0], basic=votes[1], unsatisfied=votes[2], expected_version=1
    )
    if right is not None:
        paper = paper_draw(actor=SYSTEM, appraisal=a, drawn_on=DAY, seed=right)
        items = PaperItem.objects.filter(paper=paper).select_related("question").order_by("position")
        answers = {i.position: i.question.answer if n < right else "" for n, i in enumerate(items)}
        paper_submit(actor=SYSTEM, paper=paper, answers=answers)
    return a


def _story(make_person: Any) -> None:
    """Town A: two people (60/7/33 and 2/0/1 votes; 6 and 5 right of 10), one report, two conduct problems. Town B:
    one (9/0/1; 10 right) and a paper drawn but not handed in, one seats problem."""
    bank(COUNTY, 10, prefix="县")
    a1 = _appraised(make_person, VILLAGE_A, (60, 7, 33), 6)
    _appraised(make_person, VILLAGE_A, (2, 0, 1), 5)
    b = _appraised(make_person, VILLAGE_B, (9, 0, 1), 10)
    paper_draw(actor=SYSTEM, appraisal=b, drawn_on=DAY)
    inspection_write(
        actor=SYSTEM, appraisal=a1, inspected_on=DAY, inspectors="考察组", findings="群众公认", conclusion="建议提名"
    )
    for text in ("会议迟到", "长期不在岗"):
        problem_add(actor=SYSTEM, appraisal=a1, kind_code="conduct", description=text, found_on=DAY)
    problem_add(actor=SYSTEM, appraisal=b, kind_code="seats", description="职数未定", found_on=DAY)


def test_the_county_rollup_has_a_row_per_town_with_exact_shares(make_person: Any, make_user: Any) -> None:
    _story(make_person)
    table = selectors.rollup(make_user("county_organizer", COUNTY), Region.objects.get(code=COUNTY))
    rows = {r.code: r for r in table.rows}
    assert set(rows) == set(Region.objects.filter(parent_id=COUNTY).values_list("code", flat=True))
    a, b, total = rows[TOWN_A], rows[TOWN_B], table.total
    assert (a.appraised, a.ratings, a.satisfaction) == (2, 103, Fraction(69, 103))
    assert a.satisfaction_text == "67.0%（69/103）"
    # each paper weighs the same: (6/10 + 5/10) / 2 on a 100-point scale; 3/5 passes (以上), 5/10 does not
    assert (a.papers, a.average_score, a.passed, a.pass_rate) == (2, 55, 1, Fraction(1, 2))
    assert (b.papers, b.average_score, b.pass_rate_text) == (1, 100, "100.0%（1/1）")  # the open paper is not sat
    assert (a.reports, b.reports, a.problems_found, b.problems_found) == (1, 0, 2, 1)
    kinds = [k.code for k in table.kinds]
    assert a.kind_counts[kinds.index("conduct")] == 2 and b.kind_counts[kinds.index("seats")] == 1
    assert (total.appraised, total.satisfaction, total.average_score, total.passed) == (3, Fraction(78, 113), 70, 2)
    assert total.problems_found == 3 and len(kinds) == 6 and table.pass_mark == "60%"
    quiet = next(r for r in table.rows if r.code not in (TOWN_A, TOWN_B))
    assert (quiet.appraised, quiet.satisfaction_text, quiet.average_text) == (0, "—", "—")


def test_the_town_rollup_page_has_a_row_per_village_and_other_towns_stay_out(
    make_person: Any, make_user: Any, web_as: Any
) -> None:
    _story(make_person)
    officer = web_as(make_user("town_officer", TOWN_A))
    assert f"/appraisals/rollup/{TOWN_A}/" in officer.get("/appraisals/").content.decode()
    page = officer.get(f"/appraisals/rollup/{TOWN_A}/").content.decode()
    village_a, village_b = (Region.objects.get(code=c).name for c in (VILLAGE_A, VILLAGE_B))
    assert village_a in page and "67.0%（69/103）" in page and "50.0%（1/2）" in page
    # another town asked for: the page shows the officer's own town, never town B's villages
    other = officer.get(f"/appraisals/rollup/{TOWN_B}/").content.decode()
    assert village_a in other and village_b not in other and "90.0%（9/10）" not in other
    # the county is above the town officer: their own town again
    assert "黛溪街道 · 双评三考汇总" in officer.get(f"/appraisals/rollup/{COUNTY}/").content.decode()
    # a village has no roll-up; the people appraised do not read it at all
    assert officer.get(f"/appraisals/rollup/{VILLAGE_A}/").status_code == 404
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    assert cadre.get(f"/appraisals/rollup/{TOWN_A}/").status_code == 404
    # the county organizer's county page links each town
    county = web_as(make_user("county_organizer", COUNTY)).get(f"/appraisals/rollup/{COUNTY}/").content.decode()
    assert f"/appraisals/rollup/{TOWN_B}/" in county and "69.0%（78/113）" in county


def test_the_rollup_excel_and_api_answer_the_page_and_refuse_another_town(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    _story(make_person)
    organizer = make_user("county_organizer", COUNTY)
    got = web_as(organizer).get(f"/appraisals/rollup/{COUNTY}/rollup.xlsx")
    rows = list(load_workbook(BytesIO(got.content)).active.iter_rows(values_only=True))
    assert "群众满意率" in rows[0] and "其中：换届纪律" not in rows[0]
    town_a = next(r for r in rows if r[0] == TOWN_A)
    assert town_a[2] == 2 and "67.0%（69/103）" in town_a and "55.0" in town_a
    assert rows[-1][1] == "邹平市合计" and "69.0%（78/113）" in rows[-1]
    answer = api_as(organizer).get(f"/api/v1/appraisals/rollup/{COUNTY}").json()
    total = answer["total"]
    assert (total["satisfaction"], total["average_score"], total["pass_rate"]) == ("78/113", "70/1", "2/3")
    assert answer["pass_mark"] == "3/5" and sum(total["problems_by_kind"]) == 3
    officer = make_user("town_officer", TOWN_A)
    assert api_as(officer).get(f"/api/v1/appraisals/rollup/{TOWN_A}").status_code == 200
    assert api_as(officer).get(f"/api/v1/appraisals/rollup/{TOWN_B}").status_code == 404
    assert web_as(officer).get(f"/appraisals/rollup/{TOWN_B}/rollup.xlsx").status_code == 404
    assert api_as(officer).get(f"/api/v1/appraisals/rollup/{TOWN_B}/rollup.xlsx").status_code == 404


def test_the_rollup_costs_the_same_for_one_town_or_many(
    make_person: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    bank(COUNTY, 10, prefix="县")
    client = web_as(make_user("county_organizer", COUNTY))
    _appraised(make_person, VILLAGE_A, (5, 1, 1), 7)
    client.get(f"/appraisals/rollup/{COUNTY}/")
    with django_assert_max_num_queries(12) as few:
        client.get(f"/appraisals/rollup/{COUNTY}/")
    # a village in each town: rows filled in across the county
    villages = {v.parent_id: v.code for v in Region.objects.filter(parent__parent_id=COUNTY).order_by("-code")}
    assert len(villages) >= 3
    for n, village in enumerate(villages.values()):
        a = _appraised(make_person, village, (n, 1, 2), n % 10)
        problem_add(actor=SYSTEM, appraisal=a, kind_code="ability", description="能力弱", found_on=DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/appraisals/rollup/{COUNTY}/").status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/appraisals/rollup/{COUNTY}/rollup.xlsx").status_code == 200
