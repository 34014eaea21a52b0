from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.directory.models import Entry
from cunshe.directory.printouts import directory_pdf
from cunshe.directory.selectors import public_groups
from cunshe.directory.services import consent_record, consent_withdraw, entry_create, entry_update, fill_from_team
from cunshe.regions.models import Region
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint, member_end

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MOBILE = "13905437788"


def _town_secretary(**over: Any) -> Entry:
    args = {"region_code": TOWN_A, "name": "李明", "post": "党工委书记", "office_phone": "0543-4261001", **over}
    return entry_create(actor=SYSTEM, **args)


def test_private_numbers_only_with_recorded_consent(zouping: Any, client: Any) -> None:
    e = _town_secretary(duties="主持党工委全面工作")
    page = client.get(reverse("directory_public:region", kwargs={"code": TOWN_A})).content.decode()
    assert "李明" in page and "0543-4261001" in page and MOBILE not in page
    with pytest.raises(DomainError) as refused:  # a mobile is never entered as the office number
        entry_update(
            actor=SYSTEM, entry=e, name="李明", post="党工委书记", duties="", office_phone=MOBILE, sort=1,
            published=True, expected_version=e.version,
        )  # fmt: skip
    assert "office_phone" in refused.value.field_errors
    with pytest.raises(DomainError) as refused:
        consent_record(actor=SYSTEM, entry=e, mobile=MOBILE, consent_on=TODAY, note="", expected_version=e.version)
    assert "note" in refused.value.field_errors
    with transaction.atomic(), pytest.raises(IntegrityError):  # the database refuses a number without consent
        Entry.objects.filter(pk=e.pk).update(mobile=MOBILE)
    e = consent_record(
        actor=SYSTEM, entry=e, mobile=MOBILE, consent_on=TODAY, note="本人签字同意书", expected_version=e.version
    )
    assert MOBILE in client.get(reverse("directory_public:region", kwargs={"code": TOWN_A})).content.decode()
    text, pages = pdf_text(directory_pdf(Region.objects.get(code=TOWN_A)))
    assert pages == 1 and "李明" in text and "主持党工委全面工作" in text and MOBILE in text
    e = consent_withdraw(actor=SYSTEM, entry=e, expected_version=e.version)
    assert (e.mobile, e.mobile_consent_on) == ("", None)
    assert MOBILE not in pdf_text(directory_pdf(Region.objects.get(code=TOWN_A)))[0]
    assert MOBILE not in client.get(f"/api/v1/directory/public/{TOWN_A}").content.decode()


def test_who_keeps_which_entries(zouping: Any, make_user: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    own = entry_create(actor=cadre, region_code=VILLAGE_A, name="张建国", post="村党组织书记")
    with pytest.raises(Http404):  # the town's entries are the town's (its public page shows them)
        entry_create(actor=cadre, region_code=TOWN_A, name="越权", post="党工委书记")
    with pytest.raises(Http404):
        entry_create(actor=make_user("town_officer", TOWN_B), region_code=VILLAGE_A, name="越界", post="书记")
    with pytest.raises(NotPermitted):  # the first secretary reads the directory but does not keep it
        entry_update(
            actor=make_user("first_secretary", VILLAGE_A), entry=own, name="张建国", post="村党组织书记", duties="",
            office_phone="", sort=1, published=True, expected_version=own.version,
        )  # fmt: skip
    with pytest.raises(DomainError):
        entry_create(actor=cadre, region_code=VILLAGE_A, name="", post="")


def test_village_entries_follow_the_teams_current_posts(zouping: Any, make_person: Any) -> None:
    start = date(2026, 11, 16)
    secretary = member_appoint(
        actor=SYSTEM, village_code=VILLAGE_A, person=make_person(VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1)),
        committee=Committee.PARTY,
        post=Post.SECRETARY, started_on=start,
    )  # fmt: skip
    member_appoint(
        actor=SYSTEM, village_code=VILLAGE_A, person=make_person(VILLAGE_A), committee=Committee.VILLAGERS,
        post=Post.DEPUTY_DIRECTOR, started_on=start,
    )  # fmt: skip
    assert fill_from_team(actor=SYSTEM, village_code=VILLAGE_A) == (2, 0)
    assert fill_from_team(actor=SYSTEM, village_code=VILLAGE_A) == (0, 0)  # twice changes nothing
    entries = list(Entry.objects.filter(region_id=VILLAGE_A))
    assert entries[0].post == secretary.post_title and all(e.mobile == "" for e in entries)
    member_end(actor=SYSTEM, member=secretary, ended_on=TODAY, reason="辞职", expected_version=secretary.version)
    assert fill_from_team(actor=SYSTEM, village_code=VILLAGE_A) == (0, 1)
    shown = public_groups(Region.objects.get(code=TOWN_A))
    assert [len(items) for _, items in shown] == [1]  # the one who left is off the public page
    with pytest.raises(DomainError):
        fill_from_team(actor=SYSTEM, village_code=TOWN_A)


def test_public_pages_by_level(zouping: Any, client: Any) -> None:
    entry_create(actor=SYSTEM, region_code=COUNTY, name="王县", post="市委书记", office_phone="0543-4321000")
    _town_secretary()
    entry_create(actor=SYSTEM, region_code=TOWN_B, name="赵镇", post="党工委书记")
    hidden = _town_secretary(name="隐藏", post="党工委委员")
    entry_update(
        actor=SYSTEM, entry=hidden, name="隐藏", post="党工委委员", duties="", office_phone="", sort=1,
        published=False, expected_version=hidden.version,
    )  # fmt: skip
    county = [(r.code, [e.name for e in items]) for r, items in public_groups(Region.objects.get(code=COUNTY))]
    assert county == [(COUNTY, ["王县"]), (TOWN_A, ["李明"]), (TOWN_B, ["赵镇"])]
    assert client.get(reverse("directory_public:region", kwargs={"code": "999999"})).status_code == 404
    response = client.get(reverse("directory_public:print", kwargs={"code": COUNTY}))
    assert response["Content-Type"] == "application/pdf" and "隐藏" not in pdf_text(response.content)[0]
