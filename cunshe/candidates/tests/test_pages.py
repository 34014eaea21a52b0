from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import VILLAGE_A, pdf_text
from cunshe.candidates.models import Candidate
from cunshe.candidates.services import candidates_publish
from cunshe.candidates.tests.factories import formal, nominate, people, review
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Kind
from cunshe.elections.tests.factories import open_election


def _supervision(published: bool = True) -> Any:
    election = open_election(kind=Kind.SUPERVISION)
    slate = people(VILLAGE_A, 6)
    review(slate)
    nominate(election, {"supervision_chair": slate[:2], "supervision_member": slate[2:6]})
    formal(election, {"supervision_chair": slate[:2], "supervision_member": slate[2:5]})
    if published:
        candidates_publish(actor=SYSTEM, election=election, on=date(2026, 12, 5), expected_version=election.version)
    return election, slate


def test_the_page_says_why_someone_cannot_stand(zouping: Any, make_user: Any, web_as: Any) -> None:
    election = open_election(kind=Kind.PARTY)
    (not_member,) = people(VILLAGE_A, 1)
    nominate(election, {"party_member": [not_member]})
    page = web_as(make_user("town_officer", VILLAGE_A[:9])).get(f"/candidates/election/{election.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "未通过本次换届的资格联审" in text and "不是中共党员" in text


def test_the_election_page_shows_the_section(zouping: Any, make_user: Any, web_as: Any) -> None:
    election, slate = _supervision()
    page = web_as(make_user("town_officer", VILLAGE_A[:9])).get(f"/elections/{election.pk}/")
    assert "提名与候选人" in page.content.decode() and slate[0].name in page.content.decode()


def test_poster_has_names_and_no_id_numbers(zouping: Any, make_user: Any, web_as: Any) -> None:
    election, slate = _supervision()
    response = web_as(make_user("town_officer", VILLAGE_A[:9])).get(f"/candidates/election/{election.pk}/poster.pdf")
    text, _ = pdf_text(response.content)
    assert "正式候选人名单" in text and slate[0].name in text
    flat = text.replace("\n", "")
    assert "西范村村务监督委员会选举正式候选人名单" in flat and "可向西范村村民选举委员会反映" in flat
    assert (slate[0].id_number not in text and "中共党员" in text) or "群众" in text


def test_poster_refused_before_publication(zouping: Any, make_user: Any, api_as: Any) -> None:
    election, _ = _supervision(published=False)
    response = api_as(make_user("town_officer", VILLAGE_A[:9])).get(
        f"/api/v1/candidates/elections/{election.pk}/poster.pdf"
    )
    assert response.status_code == 400 and "尚未公布" in response.json()["message"]


def test_public_page_lists_only_published_candidates(zouping: Any, client: Any) -> None:
    election, slate = _supervision(published=False)
    assert slate[0].name not in client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    candidates_publish(actor=SYSTEM, election=election, on=date(2026, 12, 5), expected_version=election.version)
    text = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert slate[0].name in text and slate[0].id_number not in text


def test_withdraw_page_uploads_the_letter_and_fills(zouping: Any, make_user: Any, web_as: Any) -> None:
    election, slate = _supervision()
    officer, cadre = make_user("town_officer", VILLAGE_A[:9]), make_user("village_cadre", VILLAGE_A)
    member = Candidate.objects.get(election=election, person=slate[2])
    body = {"on": "2026-12-05", "reason": "外出务工", "version": member.version}
    letter = SimpleUploadedFile("退出.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert web_as(cadre).post(f"/candidates/{member.pk}/withdraw/", {**body, "letter": letter}).status_code == 403
    letter = SimpleUploadedFile("退出.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = web_as(officer).post(f"/candidates/{member.pk}/withdraw/", {**body, "letter": letter})
    assert response.status_code == 302
    assert Candidate.objects.get(election=election, person=slate[5], status="formal").replaces_id == member.pk
    assert web_as(officer).get(f"/candidates/{member.pk}/letter/").content == b"%PDF-1.4 x"


def test_api_nominations_and_board(zouping: Any, make_user: Any, api_as: Any) -> None:
    election = open_election(kind=Kind.VILLAGERS)
    a, b = people(VILLAGE_A, 2)
    cadre = api_as(make_user("village_cadre", VILLAGE_A))
    url = f"/api/v1/candidates/elections/{election.pk}/nominations"
    too_many = {"ballots": 5, "on": "2026-12-01", "rows": [{"post": "director", "person_id": a.pk, "votes": 6}]}
    refused = cadre.post(url, too_many, content_type="application/json")
    assert refused.status_code == 400 and "多于收回的提名票" in str(refused.json())
    ok = {
        "ballots": 5,
        "on": "2026-12-01",
        "rows": [{"post": "director", "person_id": p.pk, "votes": 2} for p in (a, b)],
    }
    answer = cadre.post(url, ok, content_type="application/json")
    assert answer.status_code == 200 and [n["name"] for n in answer.json()["posts"][0]["nominees"]] == [a.name, b.name]
    assert answer.json()["posts"][0]["nominees"][0]["reasons"]  # not reviewed yet: says why
