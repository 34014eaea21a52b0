from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
import python_calamine
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


def _sheet(content: bytes) -> list[list[Any]]:
    return python_calamine.CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_ledger_holds_what_the_public_pages_show(
    zouping: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    entry_create(actor=SYSTEM, region_code=COUNTY, name="王县长", post="市长", office_phone="0543-4321000", sort=1)
    town = _town_secretary(duties="主持党工委全面工作")
    consent_record(
        actor=SYSTEM, entry=town, mobile=MOBILE, consent_on=TODAY, note="本人签字同意书", expected_version=town.version
    )
    hidden = entry_create(actor=SYSTEM, region_code=VILLAGE_A, name="未公开", post="村委会委员")
    entry_update(
        actor=SYSTEM, entry=hidden, name="未公开", post="村委会委员", duties="", office_phone="", sort=1,
        published=False, expected_version=hidden.version,
    )  # fmt: skip
    for n in range(8):
        entry_create(actor=SYSTEM, region_code=VILLAGE_A, name=f"村干部{n}", post="村委会委员", sort=10 + n)
    entry_create(actor=SYSTEM, region_code=TOWN_B, name="黄山书记", post="党工委书记")
    with django_assert_max_num_queries(2):  # the region, then the entries with their units: at any size
        county_sheet = _sheet(client.get(f"/public/directory/{COUNTY}/ledger.xlsx").content)
    assert county_sheet[0][:4] == ["层级", "区划代码", "所属乡镇(街道)", "单位"]
    town_name, village = Region.objects.get(code=TOWN_A).name, Region.objects.get(code=VILLAGE_A)
    rows = {r[4]: r for r in county_sheet[1:]}
    assert len(rows) == 11 and "未公开" not in rows  # a county's sheet runs down to its villages; unpublished stay out
    assert rows["王县长"][:2] == ["县(市、区)", COUNTY] and rows["王县长"][7] == "0543-4321000"
    assert rows["李明"][:4] == ["乡镇(街道)", TOWN_A, "", town_name] and rows["李明"][6:] == [
        "主持党工委全面工作", "0543-4261001", MOBILE,
    ]  # fmt: skip
    assert rows["村干部0"][:4] == ["村(社区)", VILLAGE_A, town_name, village.name] and rows["村干部0"][8] == ""
    town_sheet = _sheet(client.get(f"/api/v1/directory/public/{TOWN_A}/ledger.xlsx").content)
    assert {r[4] for r in town_sheet[1:]} == {"李明", *(f"村干部{n}" for n in range(8))}
    consent_withdraw(actor=SYSTEM, entry=Entry.objects.get(pk=town.pk), expected_version=town.version + 1)
    assert MOBILE not in {c for r in _sheet(client.get(f"/public/directory/{TOWN_A}/ledger.xlsx").content) for c in r}
    assert client.get("/public/directory/371681999999/ledger.xlsx").status_code == 404  # no such unit


def test_the_staff_list_pages_on_the_page_and_in_the_api(
    zouping: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    # 51 entries: the 51st is on the page's second page of 50 and past the API's first page of 50 (both lists
    # stopped at 1,000 without saying so)
    for n in range(51):
        entry_create(actor=SYSTEM, region_code=TOWN_A, name=f"王{n:03d}号", post="党工委委员", sort=n)
    officer = make_user("town_officer", TOWN_A)
    page = reverse("directory:region", kwargs={"code": TOWN_A})
    first, second = web_as(officer).get(page).content.decode(), web_as(officer).get(page, {"page": 2}).content.decode()
    assert "王049号" in first and "王050号" not in first and "王050号" in second
    url = f"/api/v1/directory/region/{TOWN_A}"
    rest = api_as(officer).get(url, {"limit": 50, "offset": 50}).json()
    assert (rest["count"], [e["name"] for e in rest["items"]]) == (51, ["王050号"])
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404
