from datetime import date
from typing import Any

import pytest
from django.http import Http404

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.negativelist.selectors import entries_of_person, flagged_person_ids, is_flagged
from cunshe.negativelist.services import entry_add, entry_settle
from cunshe.records.models import RecordEntry
from cunshe.termchanges.services import term_change_open


@pytest.fixture
def ready(zouping: Any) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user("county_organizer", COUNTY)


def _rule(code: str = "9") -> ExclusionRule:
    return ExclusionRule.objects.get(county_id=COUNTY, code=code)


def _add(actor: Any, person: Any, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "rule": _rule(),
        "source": "department",
        "found_on": date(2026, 9, 20),
        "details": "法院反馈：列为失信被执行人",
    }
    args.update(kw)
    return entry_add(actor=actor, person=person, **args)


def test_an_unresolved_entry_flags_the_person_until_it_is_settled(ready: Any, organizer: Any, make_person: Any) -> None:
    person = make_person(VILLAGE_A)
    entry = _add(organizer, person)
    assert is_flagged(person.pk) and person.pk in flagged_person_ids(organizer)
    entry = entry_settle(
        actor=organizer, entry=entry, to_state="confirmed", conclusion="法院核实属实", expected_version=entry.version
    )
    assert is_flagged(person.pk)  # confirmed and not yet cleared
    entry_settle(
        actor=organizer, entry=entry, to_state="cleared", conclusion="已履行判决义务", expected_version=entry.version
    )
    assert not is_flagged(person.pk)
    events = list(RecordEntry.objects.filter(region_id=VILLAGE_A).values_list("event", flat=True))
    assert events.count("negativelist.settled") == 2 and "negativelist.added" in events
    # The record book, read by every role of the village, names neither the rule nor the details.
    book = " ".join(str(e.summary) + str(e.after) for e in RecordEntry.objects.filter(event__startswith="negativelist"))
    assert "失信" not in book and "法院" not in book and "待核实" in book


def test_settling_follows_the_transitions_and_needs_a_conclusion(ready: Any, organizer: Any, make_person: Any) -> None:
    entry = _add(organizer, make_person(VILLAGE_A))
    with pytest.raises(IllegalTransition):
        entry_settle(actor=organizer, entry=entry, to_state="cleared", conclusion="x", expected_version=entry.version)
    with pytest.raises(DomainError) as caught:
        entry_settle(actor=organizer, entry=entry, to_state="dismissed", conclusion=" ", expected_version=entry.version)
    assert "conclusion" in caught.value.field_errors
    with pytest.raises(ConcurrentEdit):
        entry_settle(actor=organizer, entry=entry, to_state="dismissed", conclusion="不实", expected_version=9)
    entry_settle(
        actor=organizer, entry=entry, to_state="dismissed", conclusion="查无此事", expected_version=entry.version
    )
    assert not is_flagged(entry.person_id)


def test_the_rule_must_be_in_force_on_the_entry_date(ready: Any, organizer: Any, make_person: Any) -> None:
    person = make_person(VILLAGE_A)
    ExclusionRule.objects.filter(county_id=COUNTY, code="9").update(effective_until=date(2026, 6, 30))
    with pytest.raises(DomainError) as caught:
        _add(organizer, person, found_on=date(2026, 9, 20))
    assert "不在有效期内" in caught.value.field_errors["rule"][0]
    _add(organizer, person, found_on=date(2026, 6, 1))
    with pytest.raises(DomainError) as caught:
        _add(organizer, person, details="", source="rumour")
    assert {"details", "source"} <= set(caught.value.field_errors)


def test_only_organizers_and_supervisors_see_details_others_see_the_flag(
    ready: Any, organizer: Any, make_user: Any, make_person: Any, web_as: Any
) -> None:
    person = make_person(VILLAGE_A, name="负面测试人")
    _add(organizer, person)
    officer = make_user("town_officer", TOWN_A)
    supervisor = make_user("discipline_supervisor", TOWN_A)
    assert entries_of_person(officer, person) is None
    details = entries_of_person(supervisor, person)
    assert details is not None and details.count() == 1
    officer_page = web_as(officer).get(f"/people/{person.pk}/").content.decode()
    assert "负面清单" in officer_page and "失信被执行人" not in officer_page and "违法占地" not in officer_page
    supervisor_page = web_as(supervisor).get(f"/people/{person.pk}/").content.decode()
    assert "违法占地建房或失信被执行" in supervisor_page
    assert web_as(officer).get("/negativelist/").content.decode().count("负面测试人") == 0
    with pytest.raises(Http404):
        _add(officer, person)
    clean = make_person(VILLAGE_A, name="无记录人")
    assert "负面清单" not in web_as(officer).get(f"/people/{clean.pk}/").content.decode().split("</nav>", 1)[1]


def test_a_village_cadre_sees_the_flag_but_cannot_settle(
    ready: Any, organizer: Any, make_user: Any, make_person: Any
) -> None:
    entry = _add(organizer, make_person(VILLAGE_A))
    cadre = make_user("village_cadre", VILLAGE_A)
    assert entry.person_id in flagged_person_ids(cadre)
    with pytest.raises(Http404):
        entry_settle(actor=cadre, entry=entry, to_state="dismissed", conclusion="x", expected_version=entry.version)
    supervisor_elsewhere = make_user("discipline_supervisor", "371681002")
    with pytest.raises(Http404):
        entry_settle(actor=supervisor_elsewhere, entry=entry, to_state="dismissed", conclusion="x", expected_version=1)
    assert entry.person_id not in flagged_person_ids(supervisor_elsewhere)


def test_flagging_a_list_costs_one_query(
    ready: Any, organizer: Any, make_person: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    from cunshe.reserves.services import candidate_add

    people = [make_person(VILLAGE_A) for _ in range(6)]
    for person in people[:3]:
        _add(organizer, person)
    for person in people:
        candidate_add(
            actor=SYSTEM, village_code=VILLAGE_A, person=person, origin="recommended", added_on=date(2026, 9, 1)
        )
    client = web_as(make_user("town_officer", TOWN_A))
    with django_assert_max_num_queries(12):
        page = client.get("/reserves/pool/").content.decode()
    assert page.count(">负面清单</span>") == 3


def test_a_county_supervisor_settles_but_a_first_secretary_cannot(
    ready: Any, organizer: Any, make_user: Any, make_person: Any
) -> None:
    entry = _add(organizer, make_person(VILLAGE_A))
    secretary = make_user("first_secretary", VILLAGE_A)
    with pytest.raises(Http404):
        entry_settle(actor=secretary, entry=entry, to_state="confirmed", conclusion="x", expected_version=1)
    county_supervisor = make_user("discipline_supervisor", COUNTY)
    entry_settle(
        actor=county_supervisor, entry=entry, to_state="confirmed", conclusion="属实", expected_version=entry.version
    )


def test_the_candidate_pool_api_carries_the_flag_without_details(
    ready: Any, organizer: Any, make_user: Any, make_person: Any, api_as: Any
) -> None:
    from cunshe.reserves.services import candidate_add

    flagged, clean = make_person(VILLAGE_A), make_person(VILLAGE_A)
    _add(organizer, flagged)
    for person in (flagged, clean):
        candidate_add(
            actor=SYSTEM, village_code=VILLAGE_A, person=person, origin="recommended", added_on=date(2026, 9, 1)
        )
    body = api_as(make_user("town_officer", TOWN_A)).get("/api/v1/reserves/pool").json()["items"]
    assert {row["person_id"]: row["negative_flag"] for row in body} == {flagged.pk: True, clean.pk: False}
    assert "失信" not in str(body)
