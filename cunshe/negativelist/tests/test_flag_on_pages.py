"""The negative-list flag wherever a person is named: the people list and search, the village team, the joint
review's batches, candidates and picking list, and the handovers. The flag says only that there is an entry."""

import re
from datetime import date, datetime, time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.handovers.services import handover_open, template_create
from cunshe.negativelist.services import entry_add
from cunshe.reviews.services import batch_submit_people, round_open
from cunshe.teams.services import member_appoint
from cunshe.termchanges.services import term_change_open

BADGE = 'title="此人有未办结的负面清单信息">负面清单</span>'
DETAILS = "法院反馈：列为失信被执行人"


@pytest.fixture
def flagged(zouping: Any, make_person: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    person = make_person(VILLAGE_A, name="旗标人员")
    entry_add(
        actor=SYSTEM,
        person=person,
        rule=ExclusionRule.objects.get(county_id=COUNTY, code="9"),
        source="department",
        found_on=date(2026, 9, 20),
        details=DETAILS,
    )
    return person


@pytest.fixture
def clean(zouping: Any, make_person: Any) -> Any:
    return make_person(VILLAGE_A, name="清白人员")


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


def flagged_beside(page: str, name: str) -> bool:
    """Is a flag the first thing after this name (in the same cell or link)?"""
    return (
        re.search(re.escape(name) + r"\s*(</a>|</strong>)?\s*<span class=\"badge warn\" " + re.escape(BADGE), page)
        is not None
    )


def shown(client: Any, url: str, **headers: Any) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    page = response.content.decode()
    # Whoever sees the flag does not read the entry on these pages: not the rule, not the facts.
    assert DETAILS not in page and "失信" not in page
    return page


def test_the_people_list_and_its_search_flag_the_person(
    flagged: Any, clean: Any, officer: Any, web_as: Any, make_user: Any
) -> None:
    client = web_as(officer)
    page = shown(client, f"/people/?under={VILLAGE_A}")
    assert page.count(BADGE) == 1 and flagged_beside(page, "旗标人员") and "清白人员" in page
    found = shown(client, "/people/?q=旗标", **{"HX-Request": "true"})
    assert found.count(BADGE) == 1 and "<html" not in found  # the search's partial
    assert shown(client, "/people/?q=清白").count(BADGE) == 0
    # A village cadre of the village sees the flag as well; the details stay with the organizers and supervisors.
    assert shown(web_as(make_user("village_cadre", VILLAGE_A)), "/people/?q=旗标").count(BADGE) == 1


def test_the_village_team_flags_its_member(flagged: Any, clean: Any, officer: Any, web_as: Any) -> None:
    for person, post in ((flagged, "director"), (clean, "committee_member")):
        member_appoint(
            actor=SYSTEM,
            village_code=VILLAGE_A,
            person=person,
            committee="villagers",
            post=post,
            started_on=date(2021, 6, 1),
        )
    page = shown(web_as(officer), f"/teams/{VILLAGE_A}/")
    assert page.count(BADGE) == 1 and flagged_beside(page, "旗标人员")


def test_the_joint_review_pages_flag_the_candidate(
    flagged: Any, clean: Any, officer: Any, web_as: Any, make_user: Any
) -> None:
    review_round = round_open(actor=SYSTEM, county_code=COUNTY, opened_on=date(2026, 9, 1), title="本县联审")
    batch = batch_submit_people(actor=SYSTEM, review_round=review_round, town_code=TOWN_A, people=[flagged, clean])
    candidate = batch.candidates.get(person=flagged)
    for user in (officer, make_user("county_organizer", COUNTY), make_user("discipline_supervisor", TOWN_A)):
        client = web_as(user)
        page = shown(client, f"/reviews/batches/{batch.pk}/")
        assert page.count(BADGE) == 1 and flagged_beside(page, "旗标人员")
        assert shown(client, f"/reviews/candidates/{candidate.pk}/").count(BADGE) == 1
        assert shown(client, f"/reviews/candidates/{batch.candidates.get(person=clean).pk}/").count(BADGE) == 0
    picking = shown(web_as(officer), f"/reviews/rounds/{review_round.pk}/pick/?town={TOWN_A}")
    assert picking.count(BADGE) == 1 and flagged_beside(picking, "旗标人员")


def test_the_handover_pages_flag_the_outgoing_or_incoming_person(
    flagged: Any, clean: Any, officer: Any, web_as: Any, make_user: Any
) -> None:
    template = template_create(
        actor=SYSTEM, county_code=COUNTY, kind="committee", name="模板", items=[("法定事项", "印章", "count", "")]
    )
    handover = handover_open(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        template=template,
        outgoing=flagged,
        incoming=clean,
        working_group=officer,
        supervisor=make_user("discipline_supervisor", COUNTY),
        starts_on=timezone.localdate(),
        meeting_at=datetime.combine(timezone.localdate(), time(15), timezone.get_current_timezone()),
        meeting_place="村党群服务中心",
    )
    client = web_as(officer)
    detail = shown(client, f"/handovers/{handover.pk}/")
    assert flagged_beside(detail, "移交人 <strong>旗标人员") and not flagged_beside(detail, "接收人 <strong>清白人员")
    listing = shown(client, f"/handovers/?under={VILLAGE_A}")
    assert listing.count(BADGE) == 1 and flagged_beside(listing, "旗标人员")
    village_page = shown(client, f"/regions/{VILLAGE_A}/")
    assert flagged_beside(village_page, "（旗标人员")
    # The village's public page names nobody, so it flags nobody.
    public = Client(HTTP_HOST="127.0.0.1").get(reverse("public:region", kwargs={"code": VILLAGE_A})).content.decode()
    assert "账户冻结中" in public and BADGE not in public and "旗标人员" not in public


def test_the_people_api_carries_the_flag_without_details(
    flagged: Any, clean: Any, officer: Any, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = api_as(officer)
    body = client.get(f"/api/v1/people?under={VILLAGE_A}&limit=100").json()
    assert {row["id"]: row["negative_flag"] for row in body["items"]} == {flagged.pk: True, clean.pk: False}
    assert client.get(f"/api/v1/people/{flagged.pk}").json()["negative_flag"] is True
    assert client.get(f"/api/v1/people/{clean.pk}").json()["negative_flag"] is False
    assert DETAILS not in str(body) and "失信" not in str(body)


def test_flagging_the_people_list_costs_the_same_for_three_rows_or_thirty(
    flagged: Any, officer: Any, web_as: Any, make_person: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web_as(officer)
    counts = []
    for extra in (2, 27):
        for _ in range(extra):
            make_person(VILLAGE_A)
        with CaptureQueriesContext(connection) as queries:
            assert shown(client, f"/people/?under={VILLAGE_A}").count(BADGE) == 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
