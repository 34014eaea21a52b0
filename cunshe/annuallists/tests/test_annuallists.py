from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.annuallists import selectors
from cunshe.annuallists.models import AnnualList, ItemStatus, ListItem, Status, Tally, coverage_rule
from cunshe.annuallists.public import public_section
from cunshe.annuallists.services import (
    item_progress,
    list_draft,
    list_pledge,
    list_review,
    list_submit,
    round_open,
    round_visit_record,
)
from cunshe.annuallists.tests.helpers import OPENED, YEAR, approved, photo, public, visited
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.firstyear.models import Progress
from cunshe.firstyear.tests.helpers import DAY, certified
from cunshe.regions.models import Region
from cunshe.web.tests.kept import built_for_them, shown_after_a_write

pytestmark = pytest.mark.django_db


def test_the_rule_is_dated_and_exact() -> None:
    assert coverage_rule(date(2026, 11, 16)) == 1
    assert coverage_rule(date(2000, 1, 1)) == 1  # before the first line: the first line


def test_the_round_opens_only_after_the_new_team_is_elected(make_person: Any) -> None:
    with pytest.raises(DomainError, match="尚未"):
        round_open(actor=SYSTEM, village_code=VILLAGE_A, opened_on=OPENED, households=3)
    certified(VILLAGE_A, make_person)
    with pytest.raises(DomainError) as refused:
        round_open(actor=SYSTEM, village_code=VILLAGE_A, opened_on=DAY - timedelta(days=1), households=3)
    assert "opened_on" in refused.value.field_errors
    r = round_open(actor=SYSTEM, village_code=VILLAGE_A, opened_on=OPENED, households=3)
    assert r.target == 1 and r.target_percent == "100%"


def test_drafting_waits_for_the_round_to_reach_its_target(make_person: Any) -> None:
    r = visited(VILLAGE_A, make_person, households=3, visits=2)
    assert not r.reached and r.reached_on is None
    with pytest.raises(DomainError, match=r"66.7%（2/3 户），未达到 100%以上"):
        list_draft(actor=SYSTEM, village_code=VILLAGE_A, year=YEAR, drafted_on=OPENED + timedelta(days=5))
    assert not AnnualList.objects.exists()
    round_visit_record(
        actor=SYSTEM, visit_round=r, household="户主9", visited_on=OPENED + timedelta(days=4), visitors="第一书记"
    )
    r.refresh_from_db()
    assert r.reached and r.reached_on == OPENED + timedelta(days=4)  # 100% 以上: exactly 3 of 3 is enough
    with pytest.raises(DomainError) as early:  # not before the day the round reached its target
        list_draft(actor=SYSTEM, village_code=VILLAGE_A, year=YEAR, drafted_on=OPENED + timedelta(days=3))
    assert "drafted_on" in early.value.field_errors
    a = list_draft(actor=SYSTEM, village_code=VILLAGE_A, year=YEAR, drafted_on=OPENED + timedelta(days=4))
    assert a.status == Status.DRAFT and Tally.objects.get(region_id=VILLAGE_A, year=YEAR).status == Status.DRAFT
    with pytest.raises(DomainError):  # a household once; the round is full
        round_visit_record(actor=SYSTEM, visit_round=r, household="户主0", visited_on=OPENED, visitors="书记")


def test_the_town_reviews_through_the_transition_table(make_person: Any, make_user: Any) -> None:
    r = visited(VILLAGE_A, make_person)
    a = list_draft(actor=SYSTEM, village_code=VILLAGE_A, year=YEAR, drafted_on=r.reached_on)
    with pytest.raises(DomainError) as empty:
        list_submit(actor=SYSTEM, annual_list=a, expected_version=a.version)
    assert set(empty.value.field_errors) == {"items", "goals"}
    a = approved(VILLAGE_B, make_person)  # drafted, filled, submitted, approved
    assert a.status == Status.APPROVED and a.approved_on is not None
    with pytest.raises(IllegalTransition):
        list_review(actor=SYSTEM, annual_list=a, approve=False, reason="再议", expected_version=a.version)


def test_a_returned_list_carries_its_reason_and_goes_back(make_person: Any, make_user: Any) -> None:
    from cunshe.annuallists.services import goal_add, item_add

    r = visited(VILLAGE_A, make_person)
    a = list_draft(actor=SYSTEM, village_code=VILLAGE_A, year=YEAR, drafted_on=r.reached_on)
    a = AnnualList.objects.get(pk=a.pk)
    item_add(
        actor=SYSTEM,
        annual_list=a,
        title="修路",
        responsible="主任",
        due_on=date(YEAR, 3, 1),
        expected_version=a.version,
    )
    a.refresh_from_db()
    goal_add(
        actor=SYSTEM,
        annual_list=a,
        area="party",
        goal="支部过硬",
        milestones=[{"year": YEAR, "text": "规范三会一课"}],
        expected_version=a.version,
    )
    a.refresh_from_db()
    a = list_submit(actor=SYSTEM, annual_list=a, expected_version=a.version)
    cadre, town = make_user("village_cadre", VILLAGE_A), make_user("town_officer", TOWN_A)
    with pytest.raises(NotPermitted):  # the village does not review its own list
        list_review(actor=cadre, annual_list=a, approve=True, expected_version=a.version)
    with pytest.raises(Http404):  # another town does not see it
        list_review(actor=make_user("town_officer", TOWN_B), annual_list=a, approve=True, expected_version=a.version)
    with pytest.raises(DomainError) as no_reason:
        list_review(actor=town, annual_list=a, approve=False, expected_version=a.version)
    assert "reason" in no_reason.value.field_errors
    a = list_review(actor=town, annual_list=a, approve=False, reason="事项缺少完成时限依据", expected_version=a.version)
    assert a.status == Status.RETURNED and a.return_reason == "事项缺少完成时限依据"
    a = list_submit(actor=cadre, annual_list=a, expected_version=a.version)
    assert a.status == Status.SUBMITTED


def test_the_public_commitment_makes_the_list_public_and_does_the_first_promise(make_person: Any) -> None:
    a = approved(VILLAGE_A, make_person)
    village = Region.objects.get(code=VILLAGE_A)
    assert public_section(None, village) == ""  # approved is not public yet
    with pytest.raises(DomainError) as no_photo:
        list_pledge(
            actor=SYSTEM,
            annual_list=a,
            pledged_on=a.drafted_on,
            place="党群服务中心",
            attendance=30,
            evidence=None,
            expected_version=a.version,
        )
    assert "evidence" in no_photo.value.field_errors
    assert AnnualList.objects.get(pk=a.pk).status == Status.APPROVED  # nothing partial saved
    promise = Progress.objects.get(region_id=VILLAGE_A, item__key="first_promise")
    assert promise.done_on is None
    a = list_pledge(
        actor=SYSTEM,
        annual_list=a,
        pledged_on=a.drafted_on,
        place="党群服务中心",
        attendance=30,
        evidence=photo(),
        expected_version=a.version,
    )
    assert a.is_public and str(a.pledge_evidence.name).startswith(f"annuallists/{VILLAGE_A}/")
    promise.refresh_from_db()
    assert promise.done_on == a.pledged_on and promise.done_source == "annual_list"
    section = str(public_section(None, village))
    assert "硬化东西两条生产路" in section and "村委会主任" in section and "发展集体经济" in section
    text, _ = pdf_text(selectors_pdf(a))
    assert "2027年初心清单" in text and "硬化东西两条生产路" in text and "主题党日公开承诺" in text


def selectors_pdf(a: AnnualList) -> bytes:
    from cunshe.annuallists.downloads import list_pdf

    return list_pdf(a)


def test_items_move_through_the_year_and_the_tables_count_them(
    make_person: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    a = public(VILLAGE_A, make_person)
    item = ListItem.objects.get(annual_list=a)
    today = timezone.localdate()
    item_progress(
        actor=SYSTEM, item=item, written_on=today, note="已招标", status=ItemStatus.DOING, expected_version=item.version
    )
    item.refresh_from_db()
    with pytest.raises(IllegalTransition):
        item_progress(
            actor=SYSTEM,
            item=item,
            written_on=today,
            note="退回",
            status=ItemStatus.PLANNED,
            expected_version=item.version,
        )
    item_progress(
        actor=SYSTEM, item=item, written_on=today, note="已完工", status=ItemStatus.DONE, expected_version=item.version
    )
    item.refresh_from_db()
    assert item.done_on == today and item.entries.count() == 2
    approved(VILLAGE_B, make_person)  # approved, not public
    officer = make_user("county_organizer", "371681")
    county = Region.objects.get(code="371681")
    with django_assert_max_num_queries(4):
        rows, total = selectors.rollup(officer, county, YEAR)
    assert (total.villages, total.approved, total.public, total.items, total.done) == (2, 2, 1, 1, 1)
    town_a = next(r for r in rows if r.code == TOWN_A)
    assert (town_a.public, town_a.done) == (1, 1)
    town = make_user("town_officer", TOWN_B)
    _, total_b = selectors.rollup(town, Region.objects.get(code=TOWN_B), YEAR)
    assert (total_b.villages, total_b.public) == (1, 0)
    response = Client()
    response.force_login(officer)
    xlsx = response.get(f"/annuallists/region/371681/lists.xlsx?year={YEAR}")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["代码", "单位", "已制定清单的村(社区)"] and values[-1][2:] == [2, 2, 1, 1, 1]


def test_the_api_runs_every_step(make_person: Any, make_user: Any, api_as: Any) -> None:
    certified(VILLAGE_A, make_person)
    cadre = api_as(make_user("village_cadre", VILLAGE_A))
    town = api_as(make_user("town_officer", TOWN_A))
    base = "/api/v1/annuallists"
    made = cadre.post(
        f"{base}/village/{VILLAGE_A}/round",
        {"opened_on": str(OPENED), "households": 1},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    refused = cadre.post(
        f"{base}/village/{VILLAGE_A}/lists", {"year": YEAR, "drafted_on": str(OPENED)}, content_type="application/json"
    )
    assert refused.status_code == 400 and "未达到" in refused.content.decode()
    visit = {"household": "王大爷", "visited_on": str(OPENED), "visitors": "书记", "opinion": "修路灯"}
    v = cadre.post(f"{base}/round/{made.json()['id']}/visits", visit, content_type="application/json")
    assert v.status_code == 201
    drafted = cadre.post(
        f"{base}/village/{VILLAGE_A}/lists", {"year": YEAR, "drafted_on": str(OPENED)}, content_type="application/json"
    )
    assert drafted.status_code == 201, drafted.content
    lid = drafted.json()["id"]
    item = {"title": "安装路灯", "responsible": "村委会主任", "due_on": f"{YEAR}-05-01", "answers": [v.json()["id"]]}
    first = drafted.json()["version"]
    r = cadre.post(f"{base}/list/{lid}/items", {**item, "version": first}, content_type="application/json")
    assert r.status_code == 201 and r.json()["answers"] == [v.json()["id"]]
    stale = cadre.post(f"{base}/list/{lid}/items", {**item, "version": first}, content_type="application/json")
    assert stale.status_code == 409
    goal = {"area": "livelihood", "goal": "村内道路全部亮化", "milestones": [{"year": YEAR, "text": "主街"}]}
    made_goal = cadre.post(f"{base}/list/{lid}/goals", {**goal, "version": first + 1}, content_type="application/json")
    assert made_goal.status_code == 201
    sent = cadre.post(f"{base}/list/{lid}/submit", {"version": first + 2}, content_type="application/json")
    assert sent.status_code == 200
    at = sent.json()["version"]
    denied = cadre.post(f"{base}/list/{lid}/review", {"approve": True, "version": at}, content_type="application/json")
    assert denied.status_code == 403
    ok = town.post(f"{base}/list/{lid}/review", {"approve": True, "version": at}, content_type="application/json")
    assert ok.json()["status"] == "approved"
    pledged = cadre.post(
        f"{base}/list/{lid}/pledge",
        {
            "pledged_on": str(timezone.localdate()),
            "place": "党群服务中心",
            "attendance": 25,
            "version": at + 1,
            "evidence": photo(),
        },
    )
    assert pledged.status_code == 200 and pledged.json()["status"] == "public", pledged.content
    detail = cadre.get(f"{base}/list/{lid}").json()
    iid = detail["items"][0]["id"]
    step = {
        "written_on": str(timezone.localdate()),
        "note": "已安装",
        "status": "done",
        "version": detail["items"][0]["version"],
    }
    done = cadre.post(f"{base}/item/{iid}/progress", step, content_type="application/json")
    assert done.status_code == 201 and done.json()["status"] == "done"
    assert town.get(f"{base}/rollup/{TOWN_A}?year={YEAR}").json()["total"]["done"] == 1
    assert cadre.get(f"{base}/list/{lid}/list.pdf").status_code == 200
    assert api_as(make_user("town_officer", TOWN_B)).get(f"{base}/list/{lid}").status_code == 404


def test_the_kept_rollup_shows_a_new_list_on_the_next_view(
    kept_summaries: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    """The roll-up is kept whole (issue 15): a list drafted through the service moves the county's change number and
    the total counts it at once; another town's officer asking for it gets their own town's."""
    r = visited(VILLAGE_A, make_person)
    client = web_as(make_user("county_organizer", COUNTY))
    drafted = "合计</th><th>1</th>"  # the county's total of villages with a list

    def draft() -> None:
        list_draft(actor=SYSTEM, village_code=VILLAGE_A, year=YEAR, drafted_on=r.reached_on)

    shown_after_a_write(client, f"/annuallists/region/{COUNTY}/?year={YEAR}", draft, drafted)
    built_for_them(
        web_as(make_user("town_officer", TOWN_B)),
        f"/annuallists/region/{TOWN_A}/?year={YEAR}",
        "黄山街道 · 2027年初心清单",
    )


def test_the_kept_village_page_shows_a_new_visit_on_the_next_view(
    kept_summaries: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    """The village's page is kept whole (issue 15): a household visit recorded through the service shows at once; a
    cadre of another village is refused it as before."""
    r = visited(VILLAGE_A, make_person, households=4)  # one household left to visit
    client = web_as(make_user("village_cadre", VILLAGE_A))

    def visit() -> None:
        round_visit_record(
            actor=SYSTEM, visit_round=r, household="户主陈", visited_on=OPENED, visitors="村党支部书记", opinion="修路"
        )

    shown_after_a_write(client, f"/annuallists/village/{VILLAGE_A}/", visit, "户主陈")
    assert web_as(make_user("village_cadre", VILLAGE_B)).get(f"/annuallists/village/{VILLAGE_A}/").status_code == 404
