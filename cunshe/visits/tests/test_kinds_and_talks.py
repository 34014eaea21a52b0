"""四访四问 (a visit's type) and 三个谈话全覆盖 (party members, representatives and notables all talked to)."""

from typing import Any

import pytest

from conftest import TOWN_A, VILLAGE_A, api_client, web_client
from cunshe.core.errors import DomainError
from cunshe.visits.models import Group, VisitTarget
from cunshe.visits.selectors import coverage_table
from cunshe.visits.services import group_member_add, visit_plan_generate
from cunshe.visits.tests.test_visits import DUE, party_member, record_visit

pytestmark = pytest.mark.django_db


def test_a_visit_carries_its_four_visits_type_and_refuses_another(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    party_member(make_person)
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=[Group.PARTY_MEMBER], visitor="甲", due_on=DUE)
    target = VisitTarget.objects.get()
    with pytest.raises(DomainError) as refused:
        record_visit(officer, target, kind="chat")
    assert "kind" in refused.value.field_errors and not target.visits.exists()
    visit = record_visit(officer, target, kind="grievances")
    assert visit.get_kind_display() == "访怨问由"
    assert record_visit(officer, target).kind == ""  # the type stays optional
    got = api_client(officer).post(
        f"/api/v1/visits/plan/{target.pk}/visits",
        {"mode": "phone", "kind": "notables", "visited_on": "2026-10-09", "visitors": "甲", "summary": "问计"},
        content_type="application/json",
    )
    assert got.status_code == 201 and got.json()["kind"] == "notables"


def test_three_talks_are_covered_only_when_all_three_groups_are_complete(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    party_member(make_person)
    group_member_add(actor=officer, person=make_person(VILLAGE_A), group=Group.VILLAGER_REP)
    group_member_add(actor=officer, person=make_person(VILLAGE_A), group=Group.NOTABLE)
    groups: list[str] = [Group.PARTY_MEMBER, Group.VILLAGER_REP, Group.NOTABLE]
    visit_plan_generate(actor=officer, village_code=VILLAGE_A, groups=groups, visitor="甲", due_on=DUE)
    targets = list(VisitTarget.objects.order_by("group"))
    for t in targets[:-1]:
        record_visit(officer, t)
    assert not next(r for r in coverage_table(officer, TOWN_A).rows if r.code == VILLAGE_A).talks_covered
    record_visit(officer, targets[-1], mode="phone")
    village = next(r for r in coverage_table(officer, TOWN_A).rows if r.code == VILLAGE_A)
    assert village.talks_covered and [c.visited for _, c in village.talk_cells] == [1, 1, 1]
    # a village with nobody listed is never "covered"
    assert not any(r.talks_covered for r in coverage_table(officer, TOWN_A).rows if r.code != VILLAGE_A)
    page = web_client(officer).get(f"/visits/?under={TOWN_A}").content.decode()
    assert "三个谈话全覆盖" in page and "已全覆盖" in page
    rows = api_client(officer).get(f"/api/v1/visits/coverage?under={TOWN_A}").json()
    assert next(r for r in rows if r["code"] == VILLAGE_A)["talks_covered"] is True
