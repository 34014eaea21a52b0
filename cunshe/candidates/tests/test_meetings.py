"""候选人与选民见面: a recorded meeting per election (day, place, the formal candidates present, a note), on the
candidates page and in the API; recorded by those who enter the election's data, never by another town's staff."""

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.candidates.models import Candidate, CandidateStatus, VoterMeeting
from cunshe.candidates.services import candidates_publish, voter_meeting_record
from cunshe.candidates.tests.factories import formal, nominate, people, review
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.elections.models import Kind
from cunshe.elections.tests.factories import open_election
from cunshe.records.models import RecordEntry

PUBLISHED = date(2026, 12, 5)


def _published() -> Any:
    election = open_election(kind=Kind.SUPERVISION)
    slate = people(VILLAGE_A, 6)
    review(slate)
    nominate(election, {"supervision_chair": slate[:2], "supervision_member": slate[2:6]})
    formal(election, {"supervision_chair": slate[:2], "supervision_member": slate[2:5]})
    candidates_publish(actor=SYSTEM, election=election, on=PUBLISHED, expected_version=election.version)
    election.refresh_from_db()
    return election, list(Candidate.objects.filter(election=election, status=CandidateStatus.FORMAL))


def test_a_meeting_is_recorded_with_the_candidates_present(zouping: Any, make_user: Any) -> None:
    election, formal_ = _published()
    cadre = make_user("village_cadre", VILLAGE_A)
    meeting = voter_meeting_record(
        actor=cadre, election=election, held_on=PUBLISHED, place="村委会大院",
        candidate_ids=[formal_[0].pk, formal_[2].pk], note="介绍履职设想，回答村民提问 6 个",
    )  # fmt: skip
    assert {c.pk for c in meeting.candidates.all()} == {formal_[0].pk, formal_[2].pk}
    entry = RecordEntry.objects.get(event="candidates.met_voters")
    assert "2 名候选人到场" in entry.summary and "村委会大院" in entry.summary
    # another town's officer may not record it (the election is not theirs to see: 404), a supervisor (reads only)
    # may see it but not record it (403)
    stranger = make_user("town_officer", TOWN_B)
    with pytest.raises(Http404):
        voter_meeting_record(
            actor=stranger, election=election, held_on=PUBLISHED, place="村委会", candidate_ids=[formal_[0].pk]
        )
    reader = make_user("discipline_supervisor", VILLAGE_A[:6])
    with pytest.raises(NotPermitted):
        voter_meeting_record(
            actor=reader, election=election, held_on=PUBLISHED, place="村委会", candidate_ids=[formal_[0].pk]
        )
    assert VoterMeeting.objects.count() == 1


def test_a_meeting_before_publication_on_election_day_or_with_strangers_is_refused(
    zouping: Any, make_user: Any
) -> None:
    election, formal_ = _published()
    officer = make_user("town_officer", TOWN_A)
    other = open_election(kind=Kind.PARTY)
    stray = people(VILLAGE_A, 1)[0]
    nominee = Candidate.objects.create(election=other, post="party_member", person=stray, rank=1, position=1)
    cases = [
        ({"held_on": date(2026, 12, 4)}, "held_on", "不能早于候选人名单公布日期"),
        ({"held_on": election.election_day}, "held_on", "须在选举日"),
        ({"place": " "}, "place", "请填写见面地点"),
        ({"candidate_ids": []}, "candidates", "请选择到场的候选人"),
        ({"candidate_ids": [nominee.pk]}, "candidates", "须是本次选举的正式候选人"),
    ]
    for change, field, message in cases:
        data = {"held_on": PUBLISHED, "place": "村委会", "candidate_ids": [formal_[0].pk], **change}
        with pytest.raises(DomainError) as refused:
            voter_meeting_record(actor=officer, election=election, **data)
        assert message in "".join(refused.value.field_errors[field]), change
    assert not VoterMeeting.objects.exists()


def test_the_page_and_the_api_record_and_list_meetings(zouping: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    election, formal_ = _published()
    cadre = make_user("village_cadre", VILLAGE_A)
    page = web_as(cadre).post(
        f"/candidates/election/{election.pk}/meetings/",
        {"held_on": "2026-12-05", "place": "文化广场", "candidates": [formal_[1].pk], "note": "到场村民 80 余人"},
    )
    assert page.status_code == 302
    shown = web_as(cadre).get(f"/candidates/election/{election.pk}/").content.decode()
    assert "候选人与选民见面" in shown and "文化广场" in shown and formal_[1].person.name in shown
    url = f"/api/v1/candidates/elections/{election.pk}/meetings"
    made = api_as(cadre).post(
        url,
        {"held_on": "2026-12-05", "place": "二组活动室", "candidates": [formal_[0].pk, formal_[1].pk]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["names"] == [formal_[0].person.name, formal_[1].person.name]
    listed = api_as(cadre).get(url).json()
    assert [m["place"] for m in listed] == ["文化广场", "二组活动室"]
    bad = api_as(cadre).post(
        url, {"held_on": "2026-12-05", "place": "", "candidates": []}, content_type="application/json"
    )
    assert bad.status_code == 400 and "见面记录有误" in bad.content.decode()
    stranger = make_user("town_officer", TOWN_B)
    assert api_as(stranger).get(url).status_code == 404
    assert VoterMeeting.objects.count() == 2
