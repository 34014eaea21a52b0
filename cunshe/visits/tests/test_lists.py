"""The group lists and coverage targets through the API, and the negative-list flag on the visits pages."""

import json
from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.negativelist.services import entry_add
from cunshe.people.models import Person
from cunshe.visits.models import CoverageTarget, Group, GroupMember, VisitTarget
from cunshe.visits.services import group_member_add, visit_plan_generate
from cunshe.visits.tests.test_support import appoint
from cunshe.visits.tests.test_visits import DUE, party_member, record_visit


def _post(client: Any, url: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_the_api_lists_every_group_a_plan_is_generated_from(
    term_change: Any, officer: Any, make_person: Any, api_as: Any
) -> None:
    member = party_member(make_person, name="老党员")
    cadre = make_person(VILLAGE_A, name="现任委员")
    appoint(cadre, post="committee_member")
    notable = make_person(VILLAGE_A, name="乡贤")
    group_member_add(actor=officer, person=notable, group=Group.NOTABLE)
    client = api_as(officer)
    listed = client.get(f"/api/v1/visits/{VILLAGE_A}/groups").json()
    assert {(m["person_id"], m["group"], m["listed"]) for m in listed} == {
        (member.pk, "party_member", False),
        (cadre.pk, "cadre", False),
        (notable.pk, "notable", True),
    }
    only = client.get(f"/api/v1/visits/{VILLAGE_A}/groups?group=notable").json()
    assert [m["person_name"] for m in only] == ["乡贤"]
    unknown = client.get(f"/api/v1/visits/{VILLAGE_A}/groups?group=friends")
    assert unknown.status_code == 400 and "group" in unknown.json()["errors"]
    assert client.get(f"/api/v1/visits/{VILLAGE_B}/groups").status_code == 404


def test_the_api_adds_group_members_as_the_page_does(
    term_change: Any, officer: Any, make_person: Any, make_user: Any, api_as: Any
) -> None:
    villager = make_person(VILLAGE_A, name="村民甲")
    neighbour = make_person("371681001214", name="邻村村民")
    client = api_as(officer)
    url = f"/api/v1/visits/{VILLAGE_A}/groups"
    done = _post(client, url, {"person_id": villager.pk, "group": "villager_rep"})
    assert done.status_code == 201 and done.json() == {
        "person_id": villager.pk,
        "person_name": "村民甲",
        "group": "villager_rep",
        "listed": True,
    }
    # The service's rules: once per group; party members and cadres come from the registry and the team.
    again = _post(client, url, {"person_id": villager.pk, "group": "villager_rep"})
    assert again.status_code == 400 and "已登记" in again.json()["message"]
    assert _post(client, url, {"person_id": villager.pk, "group": "party_member"}).status_code == 400
    # A person of the town but of another village is not this village's.
    assert _post(client, url, {"person_id": neighbour.pk, "group": "notable"}).status_code == 400
    # Who may only read the village is refused.
    supervisor = api_as(make_user("discipline_supervisor", TOWN_A))
    assert _post(supervisor, url, {"person_id": villager.pk, "group": "notable"}).status_code == 404
    assert list(GroupMember.objects.values_list("person_id", "group")) == [(villager.pk, "villager_rep")]


def test_the_api_reads_and_sets_the_county_targets_organizers_only(
    term_change: Any, officer: Any, make_user: Any, api_as: Any, other_county: Any
) -> None:
    url = f"/api/v1/visits/targets/{COUNTY}"
    before = {t["group"]: (t["percent"], t["is_set"]) for t in api_as(officer).get(url).json()}
    assert before["household"] == (80, False) and before["party_member"] == (100, False)
    assert api_as(officer).get(f"/api/v1/visits/targets/{OTHER_COUNTY}").status_code == 404
    assert _post(api_as(officer), f"{url}/household", {"percent": 70, "version": 0}, "put").status_code == 404
    organizer = api_as(make_user("county_organizer", COUNTY))
    bad = _post(organizer, f"{url}/household", {"percent": 0, "version": 0}, "put")
    assert bad.status_code == 400 and "percent" in bad.json()["errors"]
    assert _post(organizer, f"{url}/friends", {"percent": 50, "version": 0}, "put").status_code == 400
    assert not CoverageTarget.objects.exists()
    done = _post(organizer, f"{url}/household", {"percent": 70, "version": 0}, "put")
    assert done.status_code == 200 and done.json() == {
        "group": "household",
        "percent": 70,
        "is_set": True,
        "version": 1,
    }
    after = {t["group"]: (t["percent"], t["is_set"]) for t in api_as(officer).get(url).json()}
    assert after["household"] == (70, True) and after["party_member"] == (100, False)
    # issue 14, item 17: a second official who loaded the default (version 0) or version 1 before the change is refused
    stale = _post(organizer, f"{url}/household", {"percent": 95, "version": 0}, "put")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message"]
    assert _post(organizer, f"{url}/household", {"percent": 60, "version": 1}, "put").json()["version"] == 2
    assert _post(organizer, f"{url}/household", {"percent": 50, "version": 1}, "put").status_code == 409
    assert CoverageTarget.objects.get().percent == 60


def _flag(organizer: Any, person: Person) -> None:
    entry_add(
        actor=organizer,
        person=person,
        rule=ExclusionRule.objects.get(county_id=COUNTY, code="9"),
        source="department",
        found_on=date(2026, 9, 20),
        details="法院反馈：列为失信被执行人",
    )


FLAG = ">负面清单</span>"


def test_the_visits_pages_flag_people_on_the_negative_list_in_constant_queries(
    term_change: Any, officer: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    organizer = make_user("county_organizer", COUNTY)
    members = [party_member(make_person) for _ in range(2)]
    _flag(organizer, members[0])
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
    client = web_as(officer)

    def village_page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/visits/{VILLAGE_A}/").content.decode()
        return page, len(queries)

    page, few = village_page()
    # The flagged member in the plan and in the group list, the other in neither.
    assert page.count(FLAG) == 2
    more = [party_member(make_person) for _ in range(4)]
    for person in more[:2]:
        _flag(organizer, person)
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
    page, many = village_page()
    assert page.count(FLAG) == 6 and many == few
    # The visit page flags the visited person and a flagged candidate they spoke of.
    cadre = make_person(VILLAGE_A, name="现任主任")
    appoint(cadre)
    _flag(organizer, cadre)
    target = VisitTarget.objects.select_related("person", "term_change").get(person=members[0])
    record_visit(officer, target, opinions=[(cadre.pk, "support")])
    detail = client.get(f"/visits/plan/{target.pk}/").content.decode()
    heading, visits = detail.split("</h1>", 1)[0], detail.split("<h2>走访记录</h2>", 1)[1]
    assert FLAG in heading and "现任主任" in visits and FLAG in visits
    unflagged = VisitTarget.objects.get(person=members[1])
    assert FLAG not in client.get(f"/visits/plan/{unflagged.pk}/").content.decode().split("</h1>", 1)[0]
