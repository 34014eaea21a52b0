"""The command view (换届作战图): its numbers are the modules' own roll-ups for the same region, a town officer sees
only their town, a village cadre none, the page costs a fixed number of queries, the wall chart is an A3 landscape
PDF in colour with real text."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, new_person, pdf_text
from cunshe.command.selectors import board
from cunshe.commitments.selectors import rollup as commitment_rollup
from cunshe.commitments.services import commitment_create
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Kind, Status
from cunshe.elections.services import election_open
from cunshe.elections.tests.factories import SEATS
from cunshe.handovers.selectors import rollup as handover_rollup
from cunshe.handovers.services import handover_open, template_create
from cunshe.readiness.selectors import readiness_table
from cunshe.readiness.services import assessment_file
from cunshe.regions.models import Region
from cunshe.reviews.models import ReviewBatch
from cunshe.reviews.selectors import round_totals
from cunshe.reviews.services import batch_submit, round_open
from cunshe.reviews.tests.conftest import rows as candidate_rows
from cunshe.termchanges.services import term_change_open
from cunshe.visits.models import Group
from cunshe.visits.selectors import coverage_table
from cunshe.visits.services import visit_plan_generate

pytestmark = pytest.mark.django_db


def _build(*, villages: list[str], supervisor: Any, working_group: Any, elections: bool = True) -> None:
    """A little of everything in each village, through the modules' services (elections need the national rule
    sets of the elections migrations, which a transactional test's flush empties: the browser test goes without)."""
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    review_round = round_open(actor=SYSTEM, county_code=COUNTY, opened_on=date(2026, 9, 1))
    template = template_create(
        actor=SYSTEM, county_code=COUNTY, kind="committee", name="作战图模板", items=[("法定事项", "印章", "count", "")]
    )
    for n, village in enumerate(villages):
        for k in range(2 + n):
            new_person(village, name=f"党员{n}{k}", is_party_member=True, party_joined_on=date(1990, 7, 1))
        visit_plan_generate(
            actor=SYSTEM,
            village_code=village,
            groups=[Group.PARTY_MEMBER],
            visitor="包村干部",
            due_on=date(2026, 12, 1),
        )
        assessment_file(
            actor=SYSTEM,
            village_code=village,
            assessed_on=date(2026, 10, 1),
            stability="fair",
            risk=["red", "green", "yellow"][n % 3],
            note="宗族矛盾",
        )
        if elections:
            election_open(
                actor=SYSTEM,
                village_code=village,
                kind=[Kind.VILLAGERS, Kind.PARTY][n % 2],
                election_day=date(2026, 12, 20),
                seats=SEATS[[Kind.VILLAGERS, Kind.PARTY][n % 2]],
            )
        handover_open(
            actor=SYSTEM,
            village_code=village,
            template=template,
            outgoing=new_person(village, name=f"移交人{n}"),
            incoming=new_person(village, name=f"接收人{n}"),
            working_group=working_group,
            supervisor=supervisor,
            starts_on=timezone.localdate(),
            meeting_at=datetime.combine(timezone.localdate(), time(15), timezone.get_current_timezone()),
            meeting_place="村委会",
        )
        for k in range(1 + n):
            commitment_create(
                actor=SYSTEM, village_code=village, year=2026, category="改善生产生活条件", title=f"实事{n}{k}",
                content="铺设道路", target="通行无阻", deadline=date(2026, 12, 31), responsible_post="村党组织书记",
            )  # fmt: skip
    for village in villages:
        batch_submit(
            actor=SYSTEM,
            review_round=review_round,
            town_code=village[:9],
            rows=candidate_rows(village, 2, start=10 * villages.index(village)),
        )


@pytest.fixture
def staff(make_user: Any) -> dict[str, Any]:
    return {
        "organizer": make_user("county_organizer", COUNTY),
        "officer": make_user("town_officer", TOWN_A),
        "cadre": make_user("village_cadre", VILLAGE_A),
        "supervisor": make_user("discipline_supervisor", COUNTY),
    }


@pytest.fixture
def built(staff: dict[str, Any]) -> dict[str, Any]:
    _build(villages=[VILLAGE_A, VILLAGE_B], supervisor=staff["supervisor"], working_group=staff["organizer"])
    return staff


def _rows(chart: Any) -> dict[str, dict[str, int]]:
    return {r.code: r.values for r in chart.rows}


@pytest.mark.parametrize("who,code", [("organizer", COUNTY), ("officer", TOWN_A)])
def test_the_numbers_are_the_modules_roll_ups(built: dict[str, Any], who: str, code: str) -> None:
    user = built[who]
    region = Region.objects.get(code=code)
    found = board(user, region)

    coverage = coverage_table(user, code)
    visits = found.chart("visits")
    assert visits.total == {"visited": 0, "unvisited": coverage.total.total.planned}
    assert visits.total["unvisited"] > 0
    assert _rows(visits) == {
        r.code: {"visited": r.total.visited, "unvisited": r.total.unvisited} for r in coverage.rows
    }

    readiness = readiness_table(user, code)
    assert _rows(found.chart("readiness")) == {
        r.code: {"red": r.red, "yellow": r.yellow, "green": r.green} for r in readiness.rows
    }
    assert found.chart("readiness").total["red"] == readiness.total.red >= 1

    handover_rows, handover_total = handover_rollup(region)
    handovers = found.chart("handovers")
    assert {r.code: r.values["done"] + r.values["open"] + r.values["overdue"] for r in handovers.rows} == {
        r.code: r.planned for r in handover_rows
    }
    assert handovers.total["frozen"] == handover_total.frozen
    assert handovers.total["open"] + handovers.total["overdue"] == handover_total.planned - handover_total.done >= 1

    commitments = commitment_rollup(user, region)
    chart = found.chart("commitments")
    assert {k: chart.total[k] for k in ("done", "in_progress", "planned", "overdue")} == {
        k: commitments.total.counts.get(k, 0) for k in ("done", "in_progress", "planned", "overdue")
    }
    assert sum(chart.total.values()) == commitments.total.counts["total"] >= 1

    totals = round_totals(ReviewBatch.objects.filter(town__startswith=code))
    reviews = found.chart("reviews")
    assert sum(reviews.total.values()) == totals.candidates >= 2
    assert reviews.total["pending"] == totals.pending

    elections = found.chart("elections")
    for status in Status:
        assert elections.total[status] == Election.objects.filter(region__startswith=code, status=status).count()
    kinds = {r.code: sum(r.values.values()) for r in found.chart("election_kinds").rows}
    assert kinds == {
        k: Election.objects.filter(region__startswith=code, kind=k).count()
        for k in Kind
        if Election.objects.filter(region__startswith=code, kind=k).exists()
    }

    # Every chart lists the same child regions, and each drills one level down.
    children = {r.code for r in visits.rows}
    for c in found.charts:
        if c.key != "election_kinds":
            assert {r.code for r in c.rows} == children, c.key
    if code == COUNTY:
        assert TOWN_A in children and TOWN_B in children
        assert next(r for r in visits.rows if r.code == TOWN_A).url == reverse("command:board", args=[TOWN_A])
    else:
        assert children == {r for r in Region.objects.filter(parent=TOWN_A).values_list("code", flat=True)}
        assert next(r for r in visits.rows if r.code == VILLAGE_A).url == reverse("regions:detail", args=[VILLAGE_A])
        assert VILLAGE_B not in children


def test_the_api_answers_what_the_page_shows(built: dict[str, Any], api_as: Any, web_as: Any) -> None:
    api = api_as(built["officer"]).get(f"/api/v1/command/{TOWN_A}")
    assert api.status_code == 200
    page = web_as(built["officer"]).get(reverse("command:board", args=[TOWN_A]))
    assert page.status_code == 200
    embedded = re.search(r'<script id="command-data" type="application/json">(.*?)</script>', page.content.decode())
    assert embedded is not None
    assert json.loads(embedded.group(1))["charts"] == api.json()["charts"]
    assert api.json()["stage"]["label"] == "筹备中"
    assert "西范村委会" in page.content.decode()


def test_who_may_open_which_view(built: dict[str, Any], web_as: Any, api_as: Any) -> None:
    officer, organizer, cadre = web_as(built["officer"]), web_as(built["organizer"]), web_as(built["cadre"])
    board_url = lambda code: reverse("command:board", args=[code])  # noqa: E731
    # The town officer: their town only; the other town, the county, a village of theirs or another county: 404.
    assert officer.get(board_url(TOWN_A)).status_code == 200
    for code in (TOWN_B, COUNTY, VILLAGE_A, OTHER_COUNTY, "nonsense"):
        assert officer.get(board_url(code)).status_code == 404, code
        assert api_as(built["officer"]).get(f"/api/v1/command/{code}").status_code == 404, code
    assert officer.get(reverse("command:index"))["Location"] == board_url(TOWN_A)
    # The county organizer: the county and each of its towns, and back up from a town.
    assert organizer.get(reverse("command:index"))["Location"] == board_url(COUNTY)
    assert organizer.get(board_url(COUNTY)).status_code == 200
    town = organizer.get(board_url(TOWN_B))
    assert town.status_code == 200 and f'href="{board_url(COUNTY)}"' in town.content.decode()
    assert f'href="{board_url(COUNTY)}"' not in officer.get(board_url(TOWN_A)).content.decode()
    # A village cadre: none at all, and no navigation entry.
    assert cadre.get(reverse("command:index")).status_code == 404
    assert cadre.get(board_url(TOWN_A)).status_code == 404
    assert cadre.get(reverse("command:wall_chart", args=[TOWN_A])).status_code == 404
    assert api_as(built["cadre"]).get(f"/api/v1/command/{TOWN_A}").status_code == 404
    home = reverse("command:index")
    assert f'href="{home}"' not in cadre.get(reverse("web:home")).content.decode()
    assert f'href="{home}"' in officer.get(reverse("web:home")).content.decode()
    assert f'href="{home}"' in organizer.get(reverse("web:home")).content.decode()


def test_the_query_count_does_not_grow_with_the_villages(
    staff: dict[str, Any], web_as: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    """The page reads roll-ups: as many queries for a county with two villages recorded as with twelve."""
    villages = list(
        Region.objects.filter(code__startswith=COUNTY, level=5).order_by("code").values_list("code", flat=True)[:12]
    )
    _build(villages=villages[:2], supervisor=staff["supervisor"], working_group=staff["organizer"])
    client = web_as(staff["organizer"])
    url = reverse("command:board", args=[COUNTY])
    client.get(url)  # the session and the grants are read once per request; warm nothing else
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    counted = len(few.captured_queries)
    from cunshe.commitments.services import commitment_create as more_commitments

    for village in villages[2:]:
        assessment_file(
            actor=SYSTEM, village_code=village, assessed_on=date(2026, 10, 1), stability="fair", risk="yellow"
        )
        election_open(
            actor=SYSTEM, village_code=village, kind=Kind.VILLAGERS, election_day=date(2026, 12, 20),
            seats=SEATS[Kind.VILLAGERS],
        )  # fmt: skip
        more_commitments(
            actor=SYSTEM, village_code=village, year=2026, category="改善生产生活条件", title="实事",
            content="铺设道路", target="通行无阻", deadline=date(2026, 12, 31), responsible_post="村党组织书记",
        )  # fmt: skip
    with django_assert_num_queries(counted):
        assert client.get(url).status_code == 200


def test_the_wall_chart_is_a3_landscape_in_colour(built: dict[str, Any], web_as: Any, api_as: Any) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    response = web_as(built["organizer"]).get(reverse("command:wall_chart", args=[COUNTY]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    for words in (
        "邹平市换届作战图",
        "走访覆盖",
        "选情评估（红黄绿）",
        "云联审",
        "选举进度（按状态）",
        "工作交接与账户冻结",
    ):
        assert words in text
    assert "黛溪街道" in text and "黄山街道" in text and "当前阶段 筹备中" in text
    box = PdfReader(BytesIO(response.content)).pages[0].mediabox
    # A3 landscape: 420 × 297 mm.
    assert round(float(box.width) / 72 * 25.4) == 420 and round(float(box.height) / 72 * 25.4) == 297
    # The series colours are painted (red of the readiness chart: #c62828 as a fill colour).
    assert b".776471 .156863 .156863 rg" in _content_streams(response.content)
    # The whole board is on the first page (the numbers behind it follow).
    first = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    for words in ("走访覆盖", "开门一件事（首年）", "选举进度（按类别）"):
        assert words in first
    assert "明细表" in text and pages >= 2
    # The API hands out the same document; the other town's is a 404.
    assert api_as(built["officer"]).get(f"/api/v1/command/{TOWN_A}/wall-chart.pdf").status_code == 200
    assert api_as(built["officer"]).get(f"/api/v1/command/{TOWN_B}/wall-chart.pdf").status_code == 404


def _content_streams(content: bytes) -> bytes:
    from io import BytesIO

    from pypdf import PdfReader

    streams = [page.get_contents() for page in PdfReader(BytesIO(content)).pages]
    return b"".join(stream.get_data() for stream in streams if stream is not None)
