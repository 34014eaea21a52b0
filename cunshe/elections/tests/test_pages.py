from datetime import date
from typing import Any

from django.urls import reverse

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.deadlines.work_items import work_items_for
from cunshe.elections.models import CommitteeMember, Election, ElectionRules, Kind, Status
from cunshe.elections.services import election_move
from cunshe.elections.tests.factories import open_election, term_change_for


def test_a_town_officer_opens_an_election_on_the_page_and_sees_its_timeline(
    make_user: Any, web_as: Any, make_person: Any
) -> None:
    term_change_for()
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    form = client.get(reverse("elections:new")).content.decode()
    assert VILLAGE_A in form and "371681002" not in form  # only the officer's own villages are offered
    response = client.post(
        reverse("elections:new"),
        {
            "village": VILLAGE_A,
            "kind": Kind.VILLAGERS,
            "election_day": "2026-12-20",
            "seats_director": "1",
            "seats_deputy_director": "1",
            "seats_committee_member": "3",
        },
    )
    election = Election.objects.get(region_id=VILLAGE_A)
    assert response.status_code == 302 and response["Location"] == reverse("elections:detail", args=[election.pk])
    page = client.get(response["Location"]).content.decode()
    assert "公布选民名单（选举日前 20 日以上）" in page and "2026-11-30" in page and "2026-12-15" in page
    refused = client.post(
        reverse("elections:new"),
        {"village": VILLAGE_A, "kind": Kind.PARTY, "election_day": "2026-12-20", "seats_party_member": "9"},
    )
    assert refused.status_code == 200 and "须在 3 至 7 名之间" in refused.content.decode()
    assert Election.objects.count() == 1
    person = make_person(VILLAGE_A)
    added = client.post(
        reverse("elections:committee_add", args=[election.pk]),
        {"person": person.pk, "role": "chair", "chosen_by": "村民代表会议推选", "chosen_on": "2026-11-01"},
    )
    assert added.status_code == 302 and CommitteeMember.objects.get(election=election).person == person
    assert person.name in client.get(reverse("elections:detail", args=[election.pk])).content.decode()
    titles = [i.title for i in work_items_for(officer) if i.module == "elections"]
    assert any(t.startswith("公布选民名单") for t in titles) and any(t.startswith("公布正式候选人") for t in titles)


def test_a_village_cadre_reads_the_election_but_may_not_run_it(make_user: Any, web_as: Any, make_person: Any) -> None:
    election = open_election()
    client = web_as(make_user("village_cadre", VILLAGE_A))
    assert client.get(reverse("elections:detail", args=[election.pk])).status_code == 200
    person = make_person(VILLAGE_A)
    refused = client.post(
        reverse("elections:committee_add", args=[election.pk]),
        {"person": person.pk, "role": "chair", "chosen_by": "村民代表会议推选", "chosen_on": "2026-11-01"},
    )
    assert refused.status_code == 403 and not CommitteeMember.objects.exists()
    assert client.get(reverse("elections:new")).status_code == 404
    assert not [i for i in work_items_for(make_user("village_cadre", VILLAGE_A)) if i.module == "elections"]


def test_a_correction_moves_back_only_with_a_reason(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    election = open_election(actor=officer)
    client = web_as(officer)
    election_move(
        actor=officer,
        election=election,
        to_status=Status.REGISTER_PUBLISHED,
        on=date(2026, 11, 20),
        expected_version=election.version,
    )
    url = reverse("elections:correct", args=[election.pk])
    body = {"to_status": "preparing", "on": "2026-11-21", "version": election.version}
    page = client.post(url, {**body, "reason": ""}, follow=True).content.decode()
    assert "退回上一阶段须写明原因" in page
    election.refresh_from_db()
    assert election.status == Status.REGISTER_PUBLISHED
    client.post(url, {**body, "reason": "名单漏登 3 人，撤回重新公布"})
    election.refresh_from_db()
    assert election.status == Status.PREPARING


def test_the_api_opens_reads_and_refuses_in_chinese(make_user: Any, api_as: Any) -> None:
    term_change_for()
    client = api_as(make_user("town_officer", TOWN_A))
    body = {"village": VILLAGE_A, "kind": "villagers", "election_day": "2026-12-20", "seats": {"director": 2}}
    refused = client.post("/api/v1/elections", body, content_type="application/json")
    assert refused.status_code == 400 and "主任应选 1 名。" in refused.json()["errors"]["seats"]
    body["seats"] = {"director": 1, "deputy_director": 1, "committee_member": 3}
    created = client.post("/api/v1/elections", body, content_type="application/json")
    assert created.status_code == 201
    detail = client.get(f"/api/v1/elections/{created.json()['id']}").json()
    assert [s["due_on"] for s in detail["timeline"] if s["key"] == "register"] == ["2026-11-30"]
    listed = client.get("/api/v1/elections?status=preparing").json()
    assert listed["count"] == 1 and listed["items"][0]["region"] == VILLAGE_A


def test_a_county_tightens_its_rules_on_the_page(make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("county_organizer", COUNTY))
    response = client.post(
        reverse("elections:rules"),
        {"kind": "villagers", "effective_from": "2026-10-01", "name": "邹平市细则", "source": "邹组发〔2026〕1号",
         "proxy_cap": "4"},
    )  # fmt: skip
    assert response.status_code == 200 and "只能从严" in response.content.decode()
    assert not ElectionRules.objects.filter(county_id=COUNTY).exists()
    client.post(
        reverse("elections:rules"),
        {"kind": "villagers", "effective_from": "2026-10-01", "name": "邹平市细则", "source": "邹组发〔2026〕1号",
         "proxy_cap": "2"},
    )  # fmt: skip
    assert ElectionRules.objects.get(county_id=COUNTY).proxy_cap == 2
    town = web_as(make_user("town_officer", TOWN_A))
    assert "邹平市细则" in town.get(reverse("elections:rules")).content.decode()
    assert town.post(reverse("elections:rules"), {"kind": "villagers"}).status_code == 404
