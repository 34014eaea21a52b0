from datetime import date
from typing import Any

import pytest
from django.http import Http404

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.core.errors import ConcurrentEdit, DomainError, NotPermitted
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.people.services import person_create, person_update
from cunshe.records.models import RecordEntry


def test_creating_a_person_derives_birth_date_and_gender_and_records_it(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    number = id_numbers.make("371681", date(1975, 6, 1), 11)
    person = person_create(actor=officer, region_code=VILLAGE_A, name=" 王五 ", id_number=number)
    assert (person.name, person.birth_date, person.gender) == ("王五", date(1975, 6, 1), "M")
    entry = RecordEntry.objects.get(object_type="people.person", object_id=str(person.pk))
    assert entry.event == "people.person_created" and entry.actor == officer and entry.region_id == VILLAGE_A
    assert entry.after is not None
    assert entry.after["身份证号码"] == id_numbers.mask(number)  # the record book never holds the full number


def test_inconsistent_fields_are_all_reported_and_nothing_is_saved(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    number = id_numbers.make("371681", date(1975, 6, 1), 11)
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=officer,
            region_code=VILLAGE_A,
            name="王五",
            id_number=number,
            birth_date=date(1975, 6, 2),
            gender="F",
            phone="12345",
            is_party_member=True,
        )
    assert set(caught.value.field_errors) == {"birth_date", "gender", "phone", "party_joined_on"}
    assert not Person.objects.filter(id_number=number).exists()
    assert not RecordEntry.objects.filter(event="people.person_created", summary__contains="王五").exists()


def test_party_member_must_have_joined_at_eighteen_or_later(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    number = id_numbers.make("371681", date(1975, 6, 1), 13)
    with pytest.raises(DomainError) as caught:
        person_create(
            actor=officer,
            region_code=VILLAGE_A,
            name="赵六",
            id_number=number,
            is_party_member=True,
            party_joined_on=date(1990, 1, 1),
        )
    assert "十八岁" in caught.value.field_errors["party_joined_on"][0]


def test_an_id_number_is_registered_once(make_person: Any) -> None:
    first = make_person()
    with pytest.raises(DomainError) as caught:
        make_person(id_number=first.id_number, birth_date=first.birth_date)
    assert caught.value.field_errors["id_number"] == ["该身份证号码已登记，不能重复登记。"]


def test_town_officer_cannot_register_in_another_town(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    number = id_numbers.make("371681", date(1975, 6, 1), 15)
    with pytest.raises(Http404):
        person_create(actor=officer, region_code=VILLAGE_B, name="越权", id_number=number)
    assert not Person.objects.filter(id_number=number).exists()


def test_first_secretary_sees_but_cannot_change(make_user: Any, make_person: Any) -> None:
    secretary = make_user("first_secretary", VILLAGE_A)
    person = make_person(VILLAGE_A)
    with pytest.raises(NotPermitted):
        person_update(actor=secretary, person=person, expected_version=person.version, phone="13900000000")


def test_a_stale_edit_is_refused_and_the_newer_one_kept(make_user: Any, make_person: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    person = make_person(VILLAGE_A)
    loaded_version = person.version
    other_copy = Person.objects.get(pk=person.pk)
    person_update(actor=officer, person=person, expected_version=loaded_version, phone="13900000001")
    with pytest.raises(ConcurrentEdit):
        person_update(actor=officer, person=other_copy, expected_version=loaded_version, phone="13900000002")
    person.refresh_from_db()
    assert person.phone == "13900000001" and person.version == loaded_version + 1


def test_an_update_records_only_what_changed(make_user: Any, make_person: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    person = make_person(VILLAGE_A, phone="13900000001")
    person_update(actor=officer, person=person, expected_version=person.version, phone="13900000009")
    entry = RecordEntry.objects.filter(event="people.person_updated", object_id=str(person.pk)).get()
    assert entry.before == {"联系电话": "13900000001"} and entry.after == {"联系电话": "13900000009"}


def test_cannot_move_a_person_out_of_ones_regions(make_user: Any, make_person: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    person = make_person(VILLAGE_A)
    with pytest.raises(DomainError) as caught:
        person_update(actor=officer, person=person, expected_version=person.version, region=VILLAGE_B)
    assert "region" in caught.value.field_errors
    person.refresh_from_db()
    assert person.region_id == VILLAGE_A


def test_a_full_width_number_is_stored_ascii_and_is_the_same_person(make_user: Any, make_person: Any) -> None:
    first = make_person()
    wide = first.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    with pytest.raises(DomainError) as caught:
        make_person(id_number=wide, birth_date=first.birth_date)
    assert caught.value.field_errors["id_number"] == ["该身份证号码已登记，不能重复登记。"]
    officer = make_user("town_officer", TOWN_A)
    number = id_numbers.make("371681", date(1975, 6, 1), 13)
    person = person_create(
        actor=officer,
        region_code=VILLAGE_A,
        name="王六",
        id_number=number.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    )
    assert person.id_number == number


def test_a_superscript_digit_is_a_clear_field_error_not_a_crash(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    number = id_numbers.make("371681", date(1975, 6, 1), 15)
    with pytest.raises(DomainError) as caught:
        person_create(actor=officer, region_code=VILLAGE_A, name="王七", id_number=number[:10] + "²" + number[11:])
    assert "不能含“²”" in caught.value.field_errors["id_number"][0]
    assert not Person.objects.filter(name="王七").exists()
