from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.issueboard.models import Issue
from cunshe.issueboard.services import issue_move
from cunshe.liaison import selectors
from cunshe.liaison.exports import IMPORT_COLUMNS, assignments_import, assignments_response
from cunshe.liaison.models import Assignment, Rating, Tally
from cunshe.liaison.services import (
    assignment_end,
    assignment_reassign,
    matter_resolve,
    matters_recount,
    rating_record,
    serviceday_record,
    talk_add,
)
from cunshe.liaison.tests.helpers import assign, matter_for
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook
from cunshe.web.tests.kept import shown_after_a_write

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_A = "371681001233"  # another village of 黛溪街道


def test_reassignment_keeps_history_and_one_current_per_village(zouping: Any, make_user: Any) -> None:
    a = assign(VILLAGE_A, days_ago=60)
    with pytest.raises(DomainError) as twice:
        assign(VILLAGE_A)
    assert "已在联系" in twice.value.field_errors["name"][0]
    new = assignment_reassign(
        actor=SYSTEM, assignment=a, village_code=OTHER_A, moved_on=TODAY, expected_version=a.version
    )
    old = Assignment.objects.get(pk=a.pk)
    assert old.ended_on == TODAY - timedelta(days=1) and "调整联系" in old.end_reason
    assert new.village_id == OTHER_A and new.started_on == TODAY and new.name == old.name
    assert Assignment.objects.filter(name=a.name).count() == 2  # nothing deleted
    assert Tally.objects.get(village_id=VILLAGE_A).cadres == 0
    assert Tally.objects.get(village_id=OTHER_A).cadres == 1
    with pytest.raises(DomainError):  # an ended assignment does not end twice
        assignment_end(actor=SYSTEM, assignment=old, ended_on=TODAY, reason="再结束", expected_version=old.version)
    events = set(RecordEntry.objects.filter(event__startswith="liaison.").values_list("event", flat=True))
    assert {"liaison.assigned", "liaison.ended"} <= events
    # A town officer of 黄山 may not move 黛溪's cadre, nor assign into 黛溪.
    officer_b = make_user("town_officer", TOWN_B)
    with pytest.raises((NotPermitted, Http404)):
        assignment_end(actor=officer_b, assignment=new, ended_on=TODAY, reason="x", expected_version=new.version)
    officer_a = make_user("town_officer", TOWN_A)
    assignment_end(actor=officer_a, assignment=new, ended_on=TODAY, reason="工作调动", expected_version=new.version)


def test_one_service_day_a_month_within_the_assignment(zouping: Any, make_user: Any) -> None:
    a = assign(VILLAGE_A, days_ago=70)
    serviceday_record(actor=SYSTEM, assignment=a, held_on=TODAY, work="入户走访", households=8)
    with pytest.raises(DomainError) as again:
        serviceday_record(actor=SYSTEM, assignment=a, held_on=TODAY, work="再来", households=1)
    assert "已登记" in again.value.field_errors["held_on"][0]
    for day, households in ((TODAY - timedelta(days=200), 1), (TODAY + timedelta(days=1), 1), (TODAY, -1)):
        with pytest.raises(DomainError):
            serviceday_record(actor=SYSTEM, assignment=a, held_on=day, work="x", households=households)
    officer_b = make_user("town_officer", TOWN_B)
    with pytest.raises((NotPermitted, Http404)):
        serviceday_record(actor=officer_b, assignment=a, held_on=TODAY - timedelta(days=40), work="x", households=1)
    tally = Tally.objects.get(village_id=VILLAGE_A)
    assert (tally.service_days, tally.households) == (1, 8)


def test_missing_months_are_gaps(zouping: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    today = date(2026, 12, 5)
    a = assign(VILLAGE_A, days_ago=(TODAY - date(2026, 10, 8)).days)
    serviceday_record(actor=SYSTEM, assignment=a, held_on=date(2026, 10, 15), work="集中服务", households=5)
    for n in range(3):
        assign(OTHER_A, name=f"干部{n}", days_ago=30)
    organizer = make_user("county_organizer", COUNTY)
    months = selectors.month_columns(today)
    assert months[0] == date(2026, 7, 1) and months[-1] == date(2026, 12, 1)
    # the user's grants and the service days of all rows, however many rows
    with django_assert_max_num_queries(4):
        rows = selectors.service_rows(
            organizer,
            list(selectors.service_assignments(organizer, Region.objects.get(code=COUNTY), months)),
            months,
            today,
        )
    row = next(r for r in rows if r.assignment.pk == a.pk)
    marks = dict(row.cells)
    # October held, November missed (a gap), December not yet owed; before October the cadre was not assigned.
    assert (marks[date(2026, 9, 1)], marks[date(2026, 10, 1)], marks[date(2026, 11, 1)]) == ("", "✓", "缺")
    assert marks[date(2026, 12, 1)] == "" and row.gaps == 1


def test_talks_and_matters_counted_through_the_issue_board(zouping: Any, make_user: Any) -> None:
    a = assign(VILLAGE_A)
    talk_add(actor=SYSTEM, assignment=a, held_on=TODAY, group="team", talked_with="村党组织书记", topic="班子运行")
    with pytest.raises(DomainError) as bad:
        talk_add(actor=SYSTEM, assignment=a, held_on=TODAY, group="nobody", talked_with="", topic="x")
    assert set(bad.value.field_errors) == {"group", "talked_with"}
    m = matter_for(a)
    issue = Issue.objects.get(pk=m.issue_id)
    assert issue.region_id == VILLAGE_A and issue.owner == a.name and "驻村(包村)干部" in issue.detail
    officer_b = make_user("town_officer", TOWN_B)
    with pytest.raises((NotPermitted, Http404)):
        matter_resolve(actor=officer_b, matter=m, resolution="x", resolved_on=TODAY, expected_version=issue.version)
    with pytest.raises(DomainError):  # the board's rule: a resolution is required
        matter_resolve(actor=SYSTEM, matter=m, resolution="", resolved_on=TODAY, expected_version=issue.version)
    matter_resolve(actor=SYSTEM, matter=m, resolution="已修复", resolved_on=TODAY, expected_version=issue.version)
    with pytest.raises(IllegalTransition):  # closed is final on the board
        matter_resolve(actor=SYSTEM, matter=m, resolution="再", resolved_on=TODAY, expected_version=issue.version + 1)
    tally = Tally.objects.get(village_id=VILLAGE_A)
    assert (tally.talks, tally.matters, tally.matters_resolved) == (1, 1, 1)
    # A matter closed on the board's own page is counted once the hook (or the daily refresh) runs.
    m2 = matter_for(a, title="协调垃圾清运")
    i2 = Issue.objects.get(pk=m2.issue_id)
    issue_move(
        actor=SYSTEM, issue=i2, to_status="closed", expected_version=i2.version, resolution="已清运", closed_on=TODAY
    )
    matters_recount(VILLAGE_A)
    assert Tally.objects.get(village_id=VILLAGE_A).matters_resolved == 2


def test_ratings_on_the_scale_in_force_rolled_up(
    zouping: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    def rate(village: str, kind: str, score: int) -> Rating:
        return rating_record(
            actor=SYSTEM,
            village_code=village,
            year=2026,
            round=1,
            kind=kind,
            score=score,
            rated_on=TODAY,
            rated_by="组织委员",
        )

    r = rate(VILLAGE_A, "competence", 5)
    assert (r.scale_low, r.scale_high) == (1, 5) and "五档" in r.scale_rule
    rate(OTHER_A, "competence", 2)
    rate(VILLAGE_B, "competence", 3)
    rate(VILLAGE_A, "satisfaction", 4)
    with pytest.raises(DomainError) as off:
        rate(VILLAGE_B, "integration", 6)
    assert "1 至 5" in off.value.field_errors["score"][0]
    with pytest.raises(DomainError) as twice:
        rate(VILLAGE_A, "competence", 4)
    assert "已评定" in twice.value.field_errors["kind"][0]
    officer_b = make_user("town_officer", TOWN_B)
    with pytest.raises((NotPermitted, Http404)):
        rating_record(
            actor=officer_b,
            village_code=VILLAGE_A,
            year=2026,
            round=2,
            kind="competence",
            score=3,
            rated_on=TODAY,
            rated_by="x",
        )
    organizer = make_user("county_organizer", COUNTY)
    with django_assert_max_num_queries(4):  # the grants, the rows, the names
        rows, total = selectors.rating_rollup(organizer, Region.objects.get(code=COUNTY), 2026, 1)
    town_a = next(x for x in rows if x.code == TOWN_A)
    # 黛溪: (5-1)/4 = 100% and (2-1)/4 = 25% → 62.5%; 黄山 (3-1)/4 = 50%; county (1 + 1/4 + 1/2)/3 = 58.3%
    assert town_a.cells()[0] == (2, "62.5") and town_a.cells()[1] == (1, "75.0")
    assert total.cells()[0] == (3, "58.3")
    town_rows, _ = selectors.rating_rollup(make_user("town_officer", TOWN_A), Region.objects.get(code=COUNTY), 2026, 1)
    assert [x.code for x in town_rows] == [TOWN_A]


def test_counts_per_town_from_rollup_rows(zouping: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    a = assign(VILLAGE_A)
    assign(VILLAGE_A, name="李伟")
    b = assign(VILLAGE_B, name="王芳")
    talk_add(actor=SYSTEM, assignment=a, held_on=TODAY, group="resident", talked_with="村民", topic="x")
    talk_add(actor=SYSTEM, assignment=b, held_on=TODAY, group="member", talked_with="党员", topic="y")
    organizer = make_user("county_organizer", COUNTY)
    with django_assert_max_num_queries(4):  # the grants, the rows, the names
        rows, total = selectors.counts(organizer, Region.objects.get(code=COUNTY))
    assert [(r.code, r.values["cadres"], r.values["villages"], r.values["talks"]) for r in rows] == [
        (TOWN_A, 2, 1, 1),
        (TOWN_B, 1, 1, 1),
    ]
    assert total.values["cadres"] == 3 and total.values["villages"] == 2
    town_rows, _ = selectors.counts(make_user("town_officer", TOWN_A), Region.objects.get(code=COUNTY))
    assert [r.code for r in town_rows] == [TOWN_A]


def _sheet(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("联系干部表", IMPORT_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def test_import_reads_the_export_all_or_nothing_and_idempotent(zouping: Any, make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    start = (TODAY - timedelta(days=10)).isoformat()
    good = {"village": VILLAGE_A, "name": "蒋明星", "unit": "民政局", "level": "县直部门干部", "started_on": start}
    bad = {"village": VILLAGE_B, "name": "", "unit": "民政局", "level": "不知道", "started_on": start}
    with pytest.raises(DomainError) as refused:
        assignments_import(actor=organizer, region_code=COUNTY, stream=_sheet([good, bad]))
    assert "第 3 行" in refused.value.field_errors and not Assignment.objects.exists()
    second = good | {"village": VILLAGE_B, "name": "王芳", "level": "乡镇(街道)干部"}
    report = assignments_import(actor=organizer, region_code=COUNTY, stream=_sheet([good, second]))
    assert (report.created, report.unchanged) == (2, 0)
    exported = assignments_response(organizer, Region.objects.get(code=COUNTY)).content
    assert "蒋明星" in xlsx_text(exported) and "乡镇(街道)干部" in xlsx_text(exported)
    again = assignments_import(actor=organizer, region_code=COUNTY, stream=BytesIO(exported))
    assert (again.created, again.unchanged) == (0, 2)
    ended = good | {"ended_on": TODAY.isoformat()}
    assert assignments_import(actor=organizer, region_code=COUNTY, stream=_sheet([ended])).updated == 1
    assert Assignment.objects.get(name="蒋明星").ended_on == TODAY
    officer_a = make_user("town_officer", TOWN_A)  # a town imports only its own villages
    with pytest.raises(DomainError):
        assignments_import(actor=officer_a, region_code=TOWN_A, stream=_sheet([second | {"name": "赵六"}]))


def test_pages_and_api(zouping: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    web, api = web_as(officer), api_as(officer)
    response = web.post(
        "/liaison/assignments/new/",
        {"village": VILLAGE_A, "name": "蒋明星", "unit": "民政局", "level": "county", "started_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    a = Assignment.objects.get(name="蒋明星")
    page = web.get(f"/liaison/assignments/{a.pk}/").content.decode()
    assert "登记集中服务日" in page and "调整联系村(社区)" in page
    assert (
        web.post(
            f"/liaison/assignments/{a.pk}/service-day/", {"held_on": TODAY.isoformat(), "work": "走访", "households": 3}
        ).status_code
        == 302
    )
    assert "黛溪街道" in web.get(f"/liaison/region/{TOWN_A}/").content.decode()
    refused = api.post(
        "/api/v1/liaison/ratings",
        {
            "village": VILLAGE_A,
            "year": 2026,
            "round": 1,
            "kind": "competence",
            "score": 9,
            "rated_on": TODAY.isoformat(),
            "rated_by": "x",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "1 至 5" in refused.content.decode()
    counts = api.get(f"/api/v1/liaison/counts/{TOWN_A}").json()
    assert counts["total"]["values"]["cadres"] == 1 and counts["total"]["values"]["service_days"] == 1
    assert api.get(f"/api/v1/liaison/counts/{TOWN_B}").status_code == 404
    upload = SimpleUploadedFile("x.xlsx", b"not a workbook")
    assert api.post(f"/api/v1/liaison/regions/{TOWN_A}/import", {"file": upload}).status_code == 400


def test_service_table_printed_with_gaps_and_signature_lines(
    zouping: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    a = assign(VILLAGE_A, name="蒋明星", days_ago=70)
    serviceday_record(actor=SYSTEM, assignment=a, held_on=TODAY, work="集中服务", households=5)
    officer, other = make_user("town_officer", TOWN_A), make_user("town_officer", TOWN_B)
    response = web_as(officer).get(f"/liaison/region/{TOWN_A}/service.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    assert pages == 1
    for expected in ("黛溪街道驻村联系干部集中服务日登记表", "蒋明星", "邹平市民政局副局长", "缺月", "审核人（签字）"):
        assert expected in text
    row = selectors.service_rows(officer, [a], selectors.month_columns(TODAY), TODAY)[
        0
    ]  # the printout counts the gaps the page shows
    assert f"缺月 {row.gaps} 个" in text
    api = api_as(officer).get(f"/api/v1/liaison/service/{TOWN_A}/service.pdf")
    assert api.status_code == 200 and "蒋明星" in pdf_text(api.content)[0]
    assert web_as(other).get(f"/liaison/region/{TOWN_A}/service.pdf").status_code == 404
    assert api_as(other).get(f"/api/v1/liaison/service/{TOWN_A}/service.pdf").status_code == 404


def test_the_service_table_pages_its_assignments(zouping: Any, make_user: Any, api_as: Any) -> None:
    # two villages of the town, one assignment each: the second is on the second page of one (the table stopped at
    # 500 without saying so)
    made = sorted((assign(VILLAGE_A), assign("371681001214", name="李卫东")), key=lambda a: a.village_id)
    town = api_as(make_user("town_officer", TOWN_A))
    url = f"/api/v1/liaison/service/{TOWN_A}"
    whole = town.get(url).json()
    assert (whole["count"], [r["assignment"]["id"] for r in whole["rows"]]) == (2, [a.pk for a in made])
    second = town.get(url, {"limit": 1, "offset": 1}).json()
    assert (second["count"], [r["assignment"]["id"] for r in second["rows"]]) == (2, [made[1].pk])
    assert town.get(url, {"limit": 0}).status_code == 422
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404


def test_the_kept_region_page_shows_a_new_assignment_on_the_next_view(
    kept_summaries: Any, zouping: Any, make_user: Any, web_as: Any
) -> None:
    """The region page is kept whole (issue 15): a repeat view renders nothing, an assignment recorded through the
    service moves the county's change number and shows at once; another town's officer is refused as before."""
    client = web_as(make_user("county_organizer", COUNTY))
    shown_after_a_write(client, f"/liaison/region/{COUNTY}/", lambda: assign(VILLAGE_A, name="韩立新"), "韩立新")
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/liaison/region/{TOWN_A}/").status_code == 404
