from datetime import date
from typing import Any

import pytest

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.commitments.services import commitment_create
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError


def test_a_commitment_names_the_visit_opinions_it_answers(make_user: Any, make_person: Any) -> None:
    from cunshe.commitments.services import commitment_link_visits
    from cunshe.records.models import RecordEntry
    from cunshe.termchanges.services import term_change_open
    from cunshe.visits.models import Visit, VisitTarget
    from cunshe.visits.services import visit_plan_generate, visit_record

    term_change_open(actor=SYSTEM, county_code="371681", year=2026, opened_on=date(2026, 9, 1))
    officer = make_user("town_officer", TOWN_A)
    member = {"birth_date": date(1970, 5, 1), "is_party_member": True, "party_joined_on": date(1995, 7, 1)}
    here, there = make_person(VILLAGE_A, **member), make_person(VILLAGE_B, **member)
    visits = []
    for person, opinion in ((here, "村口道路坑洼，雨天难行"), (there, "乙村意见")):
        visit_plan_generate(
            actor=SYSTEM,
            village_code=person.region_id,
            groups=["party_member"],
            visitor="走访组",
            due_on=date(2026, 10, 31),
        )
        target = VisitTarget.objects.get(person=person)
        visits.append(
            visit_record(
                actor=SYSTEM, target=target, mode="in_person", visited_on=date(2026, 10, 8), visitors="走访组",
                summary="入户座谈", opinion_team=opinion,
            )
        )  # fmt: skip
    commitment = commitment_create(
        actor=officer, village_code=VILLAGE_A, year=2026, category="改善生产生活条件", title="硬化村口道路",
        content="铺设水泥路面 300 米", target="雨天通行无阻", deadline=date(2026, 12, 31), responsible_post="村党组织书记",
    )  # fmt: skip
    with pytest.raises(DomainError, match="关联的走访有误"):
        commitment_link_visits(actor=officer, commitment=commitment, visits=visits)
    commitment_link_visits(actor=officer, commitment=commitment, visits=[visits[0]])
    assert list(commitment.source_visits.all()) == [Visit.objects.get(pk=visits[0].pk)]
    assert RecordEntry.objects.filter(event="commitments.visits_linked", object_id=str(commitment.pk)).exists()


def test_the_api_links_visit_opinions_like_the_page(make_user: Any, make_person: Any, api_as: Any) -> None:
    from cunshe.termchanges.services import term_change_open
    from cunshe.visits.models import VisitTarget
    from cunshe.visits.services import visit_plan_generate, visit_record

    term_change_open(actor=SYSTEM, county_code="371681", year=2026, opened_on=date(2026, 9, 1))
    officer = make_user("town_officer", TOWN_A)
    person = make_person(VILLAGE_A, birth_date=date(1970, 5, 1), is_party_member=True, party_joined_on=date(1995, 7, 1))
    visit_plan_generate(
        actor=SYSTEM, village_code=VILLAGE_A, groups=["party_member"], visitor="走访组", due_on=date(2026, 10, 31)
    )
    visit = visit_record(
        actor=SYSTEM, target=VisitTarget.objects.get(person=person), mode="in_person", visited_on=date(2026, 10, 8),
        visitors="走访组", summary="入户座谈", opinion_team="村口道路坑洼",
    )  # fmt: skip
    commitment = commitment_create(
        actor=officer, village_code=VILLAGE_A, year=2026, category="改善生产生活条件", title="硬化村口道路",
        content="铺设水泥路面 300 米", target="雨天通行无阻", deadline=date(2026, 12, 31), responsible_post="村党组织书记",
    )  # fmt: skip
    url = f"/api/v1/commitments/{commitment.pk}/visits"
    answer = api_as(officer).put(url, {"visit_ids": [visit.pk]}, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"commitment_id": commitment.pk, "visit_ids": [visit.pk]}
    assert list(commitment.source_visits.values_list("pk", flat=True)) == [visit.pk]
    # The other town's officer does not see the commitment; the links stay.
    stranger = api_as(make_user("town_officer", "371681002"))
    assert stranger.put(url, {"visit_ids": []}, content_type="application/json").status_code == 404
    assert commitment.source_visits.count() == 1
