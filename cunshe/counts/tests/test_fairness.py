"""Fairness of the count: an account whose holder is a candidate of the election, or a candidate's close relative,
may not enter, settle, clear, sign off or correct that election's count sheets (403 with the reason); others may."""

from typing import Any

import pytest

from conftest import TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import NotPermitted
from cunshe.counts.models import AccountPerson, SheetStatus
from cunshe.counts.services import account_person_set, scan_add, sheet_enter, sheet_sign_off
from cunshe.counts.tests.factories import PNG, add_person, sheet_data, voting_election
from cunshe.people.models import Kinship
from cunshe.people.services import relation_add
from cunshe.records.models import RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "cadre1": make_user("village_cadre", VILLAGE_A),
        "cadre2": make_user("village_cadre", VILLAGE_A),
        "officer": make_user("town_officer", TOWN_A),
        "officer2": make_user("town_officer", TOWN_A),
    }


def test_a_candidates_account_may_not_enter_the_sheet_and_an_unrelated_one_may(
    people: dict[str, Any], web_as: Any, api_as: Any
) -> None:
    c = voting_election(stations=1)
    election, box = c["election"], c["stations"][0]
    account_person_set(
        actor=people["officer"], election=election, username=people["cadre1"].username,
        id_number=c["d1"].person.id_number,
    )  # fmt: skip
    data = sheet_data(c, d1=3)
    with pytest.raises(NotPermitted, match="是本次选举的候选人"):
        sheet_enter(actor=people["cadre1"], election=election, station=box, data=data)
    answer = api_as(people["cadre1"]).post(
        f"/api/v1/counts/elections/{election.pk}/sheets",
        {"station": box.pk, "figures": data},
        content_type="application/json",
    )
    assert answer.status_code == 403 and "候选人" in answer.content.decode()
    page = web_as(people["cadre1"]).get(f"/counts/elections/{election.pk}/").content.decode()
    assert "应当回避" in page
    form = {"station": box.pk, "issued": 5, "returned": 5, "valid": 5, "invalid": 0, "void_director": 0,
            "void_committee_member": 0, **{f"votes_{c[k].pk}": 0 for k in ("d1", "d2", "m1", "m2", "m3")}}  # fmt: skip
    refused = web_as(people["cadre1"]).post(f"/counts/elections/{election.pk}/enter/?station={box.pk}", form)
    assert refused.status_code == 403 and "应当回避" in refused.content.decode()
    assert not election.count_sheets.exists()
    # the other cadre, not linked to anyone standing, enters as before
    sheet = sheet_enter(actor=people["cadre2"], election=election, station=box, data=data)
    assert sheet.status == SheetStatus.FIRST


def test_a_candidates_close_relative_may_not_sign_off(people: dict[str, Any], api_as: Any) -> None:
    c = voting_election(stations=1)
    election, box = c["election"], c["stations"][0]
    brother = add_person(VILLAGE_A)
    relation_add(actor=SYSTEM, person=c["m1"].person, relative=brother, kinship=Kinship.SIBLING)
    account_person_set(
        actor=people["officer"], election=election, username=people["officer2"].username, id_number=brother.id_number
    )
    data = sheet_data(c, d1=3)
    sheet_enter(actor=people["cadre1"], election=election, station=box, data=data)
    sheet = sheet_enter(actor=people["cadre2"], election=election, station=box, data=data)
    scan_add(actor=people["cadre1"], sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    with pytest.raises(NotPermitted, match=f"候选人{c['m1'].person.name}的近亲属（兄弟姐妹）"):
        sheet_sign_off(actor=people["officer2"], sheet=sheet, expected_version=sheet.version)
    answer = api_as(people["officer2"]).post(
        f"/api/v1/counts/sheets/{sheet.pk}/sign-off", {"version": sheet.version}, content_type="application/json"
    )
    assert answer.status_code == 403 and "近亲属" in answer.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.RECONCILED
    signed = sheet_sign_off(actor=people["officer"], sheet=sheet, expected_version=sheet.version)
    assert signed.status == SheetStatus.SIGNED_OFF


def test_only_a_settler_records_whose_account_it_is(people: dict[str, Any], api_as: Any) -> None:
    c = voting_election(stations=1)
    election = c["election"]
    body = {"username": people["cadre2"].username, "id_number": c["d2"].person.id_number}
    url = f"/api/v1/counts/elections/{election.pk}/account-persons"
    refused = api_as(people["cadre1"]).post(url, body, content_type="application/json")
    assert refused.status_code == 403 and not AccountPerson.objects.exists()
    bad = api_as(people["officer"]).post(url, {**body, "username": "无此账号"}, content_type="application/json")
    assert bad.status_code == 400 and "未找到该账号" in bad.content.decode()
    done = api_as(people["officer"]).post(url, body, content_type="application/json")
    assert done.status_code == 201 and done.json()["name"] == c["d2"].person.name
    assert AccountPerson.objects.get(user=people["cadre2"]).person == c["d2"].person
    assert RecordEntry.objects.filter(event="counts.account_person").exists()
