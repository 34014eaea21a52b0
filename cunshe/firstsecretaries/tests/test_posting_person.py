"""A posting's link to the people-registry row its satisfaction survey scores: chosen by number on the posting's
form or page and in the API, checked (the village's row, the posting's name), recorded; the village may not set
it and another town does not find the posting."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.firstsecretaries.models import Posting
from cunshe.firstsecretaries.services import add_years
from cunshe.firstsecretaries.tests.helpers import posting_for
from cunshe.records.models import RecordEntry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_posting_page_links_a_registry_row(make_person: Any, make_user: Any, web_as: Any) -> None:
    person = make_person(VILLAGE_A, name="陈晓东")
    organizer = web_as(make_user("county_organizer", COUNTY))
    body = {
        "village": VILLAGE_A,
        "name": "陈晓东",
        "sending_unit": "邹平市农业农村局",
        "started_on": TODAY.isoformat(),
        "ends_on": add_years(TODAY, 2).isoformat(),
        "team_members": "",
    }
    # a number nobody has, or a row of another name: the form says so and nothing is saved
    bad = organizer.post("/firstsecretaries/postings/new/", {**body, "person": 99999999})
    assert bad.status_code == 400 and "未找到该登记编号的人员" in bad.content.decode()
    other = make_person(VILLAGE_A, name="王另人")
    bad = organizer.post("/firstsecretaries/postings/new/", {**body, "person": other.pk})
    assert bad.status_code == 400 and "不一致" in bad.content.decode() and not Posting.objects.exists()
    done = organizer.post("/firstsecretaries/postings/new/", {**body, "person": person.pk})
    posting = Posting.objects.get()
    assert done.status_code == 302 and posting.person_id == person.pk
    assert f"编号 {person.pk}" in organizer.get(f"/firstsecretaries/postings/{posting.pk}/").content.decode()
    # unlinked on the page, and recorded
    organizer.post(f"/firstsecretaries/postings/{posting.pk}/person/", {"person": "", "version": posting.version})
    posting.refresh_from_db()
    assert posting.person_id is None and RecordEntry.objects.filter(event="firstsecretaries.posting_person").exists()
    assert "未关联" in organizer.get(f"/firstsecretaries/postings/{posting.pk}/").content.decode()
    # the village's cadre may not link; another town does not find the posting
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    answer = cadre.post(
        f"/firstsecretaries/postings/{posting.pk}/person/", {"person": person.pk, "version": posting.version}
    )
    assert answer.status_code == 403
    away = web_as(make_user("town_officer", TOWN_B))
    answer = away.post(
        f"/firstsecretaries/postings/{posting.pk}/person/", {"person": person.pk, "version": posting.version}
    )
    assert answer.status_code == 404 and Posting.objects.get().person_id is None


def test_the_api_links_a_registry_row(make_person: Any, make_user: Any, api_as: Any) -> None:
    posting = posting_for(VILLAGE_A, name="刘振华")
    person = make_person(VILLAGE_A, name="刘振华")
    api = api_as(make_user("county_organizer", COUNTY))
    url = f"/api/v1/firstsecretaries/postings/{posting.pk}/person"
    wrong = api.post(
        url,
        {"person_id": make_person(VILLAGE_B, name="刘振华").pk, "version": posting.version},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "登记在派驻村" in wrong.content.decode()
    done = api.post(url, {"person_id": person.pk, "version": posting.version}, content_type="application/json")
    assert done.status_code == 200 and (done.json()["person_id"], done.json()["person_name"]) == (person.pk, "刘振华")
    stale = api.post(url, {"person_id": None, "version": posting.version}, content_type="application/json")
    assert stale.status_code == 409 and Posting.objects.get().person_id == person.pk
    refused = api_as(make_user("village_cadre", VILLAGE_A)).post(
        url, {"person_id": None, "version": done.json()["version"]}, content_type="application/json"
    )
    assert refused.status_code == 403 and Posting.objects.get().person_id == person.pk
