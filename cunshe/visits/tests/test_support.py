"""What a visited person thinks of the village's prospective candidates, and the support rates (两率) it feeds."""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.assessments.rates import village_rates
from cunshe.assessments.selectors import prospects_of
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.people.models import Person
from cunshe.records.models import RecordEntry
from cunshe.reserves.services import candidate_add
from cunshe.teams.services import member_appoint
from cunshe.visits.models import CandidateOpinion, Group, Visit, VisitTarget
from cunshe.visits.selectors import support_counts
from cunshe.visits.services import group_member_add, visit_plan_generate
from cunshe.visits.tests.test_visits import DUE, coverage, party_member, record_visit

ON = date(2026, 11, 1)


@dataclass
class Village:
    cadre: Person  # a current team member: a prospective candidate
    newcomer: Person  # in the candidate pool: a prospective candidate
    members: list[Person]  # party members, planned for visits
    others: list[Person]  # villager representatives (not party members), planned for visits

    def target(self, person: Person) -> VisitTarget:
        return VisitTarget.objects.select_related("person", "term_change").get(person=person)


def appoint(person: Person, village: str = VILLAGE_A, post: str = "director") -> None:
    member_appoint(
        actor=SYSTEM, village_code=village, person=person, committee="villagers", post=post, started_on=date(2021, 6, 1)
    )


@pytest.fixture
def village(term_change: Any, officer: Any, make_person: Any) -> Village:
    cadre = make_person(VILLAGE_A, name="现任主任")
    appoint(cadre)
    newcomer = make_person(VILLAGE_A, name="推荐人选")
    candidate_add(
        actor=SYSTEM, village_code=VILLAGE_A, person=newcomer, origin="recommended", added_on=date(2026, 9, 1)
    )
    members = [party_member(make_person, name=f"党员{i}") for i in range(3)]
    others = [make_person(VILLAGE_A, name=f"村民代表{i}") for i in range(2)]
    for person in others:
        group_member_add(actor=officer, person=person, group=Group.VILLAGER_REP)
    visit_plan_generate(
        actor=officer,
        village_code=VILLAGE_A,
        groups=[Group.PARTY_MEMBER, Group.VILLAGER_REP],
        visitor="驻村干部",
        due_on=DUE,
    )
    return Village(cadre, newcomer, members, others)


def said(actor: Any, v: Village, person: Person, on: date, *opinions: tuple[Person, str]) -> Visit:
    return record_visit(actor, v.target(person), visited_on=on, opinions=[(p.pk, stance) for p, stance in opinions])


def rates_of(village_code: str, term_change: Any, prospects: list[tuple[Person, str]]) -> dict[int, Any]:
    return {r.person.pk: r for r in village_rates(village_code, term_change, prospects, on=ON)}


def test_party_and_public_support_count_the_latest_yes_or_no_of_each_visited_person(
    village: Village, officer: Any, term_change: Any, web_as: Any
) -> None:
    v = village
    p0, p1, p2 = v.members
    r0, r1 = v.others
    said(officer, v, p0, date(2026, 10, 8), (v.cadre, "support"), (v.newcomer, "undecided"))
    # Recorded later but visited earlier: the visit of 10-08 stays p0's latest word.
    said(officer, v, p0, date(2026, 10, 5), (v.cadre, "oppose"))
    said(officer, v, p1, date(2026, 10, 8), (v.cadre, "support"), (v.newcomer, "oppose"))
    said(officer, v, p2, date(2026, 10, 6), (v.cadre, "support"))
    said(officer, v, p2, date(2026, 10, 9), (v.cadre, "oppose"))  # changed their mind: one voice, the latest
    said(officer, v, r0, date(2026, 10, 7), (v.cadre, "support"))
    said(officer, v, r1, date(2026, 10, 7), (v.cadre, "oppose"))
    said(officer, v, r1, date(2026, 10, 9), (v.cadre, "undecided"))  # 未表态 now: r1 is no longer counted as asked

    rows = rates_of(VILLAGE_A, term_change, prospects_of(VILLAGE_A))
    cadre, newcomer = rows[v.cadre.pk], rows[v.newcomer.pk]
    assert cadre.counts == {"party_support": (2, 3), "public_support": (1, 1)}
    assert cadre.party_support == Decimal("66.67")  # p0 and p1 of three party members
    assert cadre.public_support == Decimal("100.00")
    # p0's 未表态 is not an answer; p1's 不支持 is.
    assert newcomer.party_support == Decimal("0.00") and newcomer.public_support is None
    page = web_as(officer).get(f"/assessments/rates/{VILLAGE_A}/")
    assert page.status_code == 200
    row = page.content.decode().split("现任主任", 1)[1].split("</tr>", 1)[0]
    assert "66.67" in row and "100.00" in row


def test_visits_in_another_village_do_not_count(
    village: Village, officer: Any, term_change: Any, make_person: Any, make_user: Any
) -> None:
    elsewhere = make_person(VILLAGE_B, name="乙村主任")
    appoint(elsewhere, VILLAGE_B)
    voter = party_member(make_person, VILLAGE_B)
    visit_plan_generate(actor=SYSTEM, village_code=VILLAGE_B, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
    record_visit(
        make_user("town_officer", TOWN_B),
        VisitTarget.objects.select_related("term_change").get(person=voter),
        opinions=[(elsewhere.pk, "support")],
    )
    assert rates_of(VILLAGE_B, term_change, [(elsewhere, "")])[elsewhere.pk].party_support == Decimal("100.00")
    assert rates_of(VILLAGE_A, term_change, [(elsewhere, "")])[elsewhere.pk].party_support is None
    # Nor may a visit in one village speak for another village's candidate.
    with pytest.raises(DomainError) as caught:
        said(officer, village, village.members[0], date(2026, 10, 8), (elsewhere, "support"))
    assert "不是本村(社区)的人选" in caught.value.field_errors["opinions"][0]


def test_the_support_counts_of_a_village_are_one_query(
    village: Village, officer: Any, term_change: Any, django_assert_num_queries: Any
) -> None:
    for person in [*village.members, *village.others]:
        said(officer, village, person, date(2026, 10, 8), (village.cadre, "support"), (village.newcomer, "oppose"))
    with django_assert_num_queries(1):
        counts = support_counts(VILLAGE_A, term_change, [village.cadre.pk, village.newcomer.pk])
    assert counts[village.cadre.pk] == {"party_support": (3, 3), "public_support": (2, 2)}
    assert counts[village.newcomer.pk] == {"party_support": (0, 3), "public_support": (0, 2)}


def test_opinions_are_written_with_the_visit_in_one_record_entry(village: Village, officer: Any) -> None:
    visit = said(officer, village, village.members[0], date(2026, 10, 8), (village.cadre, "support"))
    assert [(o.candidate, o.stance, o.region_id) for o in visit.opinions.all()] == [
        (village.cadre, "support", VILLAGE_A)
    ]
    entry = RecordEntry.objects.get(event="visits.recorded")
    assert entry.after is not None and entry.after["对人选的态度"] == ["现任主任：支持"]
    # Nothing marked is fine.
    assert not said(officer, village, village.members[1], date(2026, 10, 8)).opinions.exists()


def test_a_wrong_opinion_saves_nothing(village: Village, officer: Any, make_person: Any, make_user: Any) -> None:
    v = village
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.CADRE], visitor="甲", due_on=DUE)
    bystander = make_person(VILLAGE_A, name="普通村民")
    cases = [
        (v.members[0], [(bystander, "support")], "不是本村(社区)的人选"),
        (v.members[0], [(v.cadre, "maybe")], "须为支持、不支持或未表态"),
        (v.members[0], [(v.cadre, "support"), (v.cadre, "oppose")], "只能记录一种态度"),
        (v.cadre, [(v.cadre, "support")], "对本人的态度"),
    ]
    for person, opinions, message in cases:
        target = VisitTarget.objects.select_related("person", "term_change").filter(person=person).first()
        assert target is not None
        with pytest.raises(DomainError) as caught:
            record_visit(officer, target, opinions=[(p.pk, stance) for p, stance in opinions])
        assert message in caught.value.field_errors["opinions"][0]
    assert not Visit.objects.exists() and not CandidateOpinion.objects.exists()
    assert coverage(Group.PARTY_MEMBER).visited == 0
    # Refused users save nothing either.
    target = v.target(v.members[0])
    with pytest.raises(NotPermitted):
        record_visit(make_user("discipline_supervisor", TOWN_A), target, opinions=[(v.cadre.pk, "support")])
    with pytest.raises(Http404):
        record_visit(make_user("town_officer", TOWN_B), target, opinions=[(v.cadre.pk, "support")])
    assert not CandidateOpinion.objects.exists()


def test_the_phone_form_asks_about_each_candidate_and_the_detail_shows_the_answers(
    village: Village, officer: Any, make_user: Any, web_as: Any
) -> None:
    target = village.target(village.members[0])
    client = web_as(officer)
    page = client.get(f"/visits/plan/{target.pk}/").content.decode()
    assert f'name="opinion_{village.cadre.pk}"' in page and f'name="opinion_{village.newcomer.pk}"' in page
    assert "未表态" in page and "现任主任" in page and "人选库（群众推荐）" in page
    body = {
        "mode": "in_person",
        "visited_on": "2026-10-08",
        "visitors": "驻村干部",
        "summary": "谈换届人选",
        f"opinion_{village.cadre.pk}": "support",
        f"opinion_{village.newcomer.pk}": "",
    }
    assert client.post(f"/visits/plan/{target.pk}/", body).status_code == 302
    opinion = CandidateOpinion.objects.get()
    assert (opinion.candidate, opinion.stance) == (village.cadre, "support")
    detail = client.get(f"/visits/plan/{target.pk}/").content.decode()
    assert "对人选的态度：现任主任" in detail and ">支持</span>" in detail
    # A cadre visited is not asked about themselves.
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.CADRE], visitor="甲", due_on=DUE)
    own = VisitTarget.objects.get(person=village.cadre, group=Group.CADRE)
    assert f'name="opinion_{village.cadre.pk}"' not in client.get(f"/visits/plan/{own.pk}/").content.decode()
    # Who may only read sees the answers but no form, and cannot post one.
    reader = web_as(make_user("discipline_supervisor", TOWN_A))
    read = reader.get(f"/visits/plan/{target.pk}/").content.decode()
    assert "对人选的态度：现任主任" in read and "opinion_" not in read
    assert reader.post(f"/visits/plan/{target.pk}/", body).status_code == 403
    assert CandidateOpinion.objects.count() == 1


def test_the_api_records_opinions_and_refuses_bad_ones(
    village: Village, officer: Any, make_user: Any, api_as: Any
) -> None:
    target = village.target(village.members[0])
    url = f"/api/v1/visits/plan/{target.pk}/visits"
    body = {"mode": "phone", "visited_on": "2026-10-08", "visitors": "驻村干部", "summary": "电话联系"}
    client = api_as(officer)

    def post(c: Any, payload: dict[str, Any]) -> Any:
        return c.post(url, json.dumps(payload), content_type="application/json")

    bad = post(client, {**body, "opinions": [{"candidate_id": village.cadre.pk, "stance": "perhaps"}]})
    assert bad.status_code == 400 and "opinions" in bad.json()["errors"] and not Visit.objects.exists()
    refused = post(api_as(make_user("discipline_supervisor", TOWN_A)), {**body, "opinions": []})
    assert refused.status_code == 403 and not Visit.objects.exists()
    done = post(
        client,
        {
            **body,
            "opinions": [
                {"candidate_id": village.cadre.pk, "stance": "support"},
                {"candidate_id": village.newcomer.pk, "stance": "undecided"},
            ],
        },
    )
    assert done.status_code == 201
    assert done.json()["opinions"] == [
        {"candidate_id": village.cadre.pk, "candidate_name": "现任主任", "stance": "support"},
        {"candidate_id": village.newcomer.pk, "candidate_name": "推荐人选", "stance": "undecided"},
    ]


def test_the_visit_page_reads_in_constant_queries_however_many_visits_and_opinions(
    village: Village, officer: Any, web_as: Any
) -> None:
    target = village.target(village.members[0])
    client = web_as(officer)

    def read() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/visits/plan/{target.pk}/").status_code == 200
        return len(queries)

    said(officer, village, village.members[0], date(2026, 10, 5), (village.cadre, "support"))
    once = read()
    for day in (6, 7, 8):
        said(
            officer,
            village,
            village.members[0],
            date(2026, 10, day),
            (village.cadre, "oppose"),
            (village.newcomer, "support"),
        )
    assert read() == once
