"""The candidates API: every operation of the pages (views.py), through the same selectors and services. The scanned
withdrawal letter comes as base64 in JSON; the poster comes back as application/pdf."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.candidates.models import Candidate, VoterMeeting
from cunshe.candidates.permissions import candidate_policy
from cunshe.candidates.printouts import poster_response
from cunshe.candidates.selectors import Board, board, voter_meetings
from cunshe.candidates.services import (
    NominationRow,
    candidate_withdraw,
    candidates_determine,
    candidates_publish,
    list_approve,
    nominations_enter,
    recommendations_enter,
    voter_meeting_record,
)
from cunshe.core.errors import DomainError
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.elections.models import Election
from cunshe.elections.permissions import election_for

router = Router(tags=["候选人"])


class CandidatesNomineeOut(Schema):
    person_id: int
    name: str
    votes: int
    rank: int
    residents_recommendations: int | None
    members_recommendations: int | None
    may_stand: bool
    reasons: list[str]
    is_candidate: bool


class CandidatesCandidateOut(ModelOut):
    name: str
    status_label: str

    class Meta:
        model = Candidate
        fields = (
            "id", "person_id", "name", "post", "nomination_votes", "rank", "position", "status", "status_label",
            "withdrawn_on", "withdraw_reason", "replaces_id", "version",
        )  # fmt: skip


class CandidatesPostOut(Schema):
    post: str
    post_label: str
    seats: int
    candidates_min: int
    candidates_max: int | None
    nominees: list[CandidatesNomineeOut]
    candidates: list[CandidatesCandidateOut]


class CandidatesBoardOut(Schema):
    election_id: int
    status: str
    ballots: int | None
    nominated_on: date | None
    approved_on: date | None
    approval_document: str
    published_on: date | None
    posts: list[CandidatesPostOut]
    withdrawn: list[CandidatesCandidateOut]
    said: list[str] = []


class CandidatesNominationIn(Schema):
    post: str
    person_id: int
    votes: int


class CandidatesNominationsIn(Schema):
    ballots: int
    on: date
    rows: list[CandidatesNominationIn]


class CandidatesRecommendationIn(Schema):
    person_id: int
    residents: int
    members: int


class CandidatesRecommendationsIn(Schema):
    counts: list[CandidatesRecommendationIn]


class CandidatesDetermineIn(Schema):
    chosen: dict[str, list[int]]


class CandidatesWithdrawIn(Schema):
    on: date
    reason: str
    letter_name: str
    letter_type: str
    letter_base64: str
    version: int


class CandidatesApproveIn(Schema):
    approved_on: date
    document: str


class CandidatesPublishIn(Schema):
    on: date
    version: int


class CandidatesMeetingIn(Schema):
    held_on: date
    place: str
    candidates: list[int]
    note: str = ""


class CandidatesMeetingOut(ModelOut):
    candidates: list[int]
    names: list[str]

    class Meta:
        model = VoterMeeting
        fields = ("id", "held_on", "place", "candidates", "names", "note", "recorded_by_name")


def _meeting(m: VoterMeeting) -> dict[str, Any]:
    present = list(m.candidates.all())
    return {
        "id": m.pk, "held_on": m.held_on, "place": m.place, "candidates": [c.pk for c in present],
        "names": [c.person.name for c in present], "note": m.note, "recorded_by_name": m.recorded_by_name,
    }  # fmt: skip


def _candidate(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.pk, "person_id": c.person_id, "name": c.person.name, "post": c.post,
        "nomination_votes": c.nomination_votes, "rank": c.rank, "position": c.position, "status": c.status,
        "status_label": c.get_status_display(), "withdrawn_on": c.withdrawn_on, "withdraw_reason": c.withdraw_reason,
        "replaces_id": c.replaces_id, "version": c.version,
    }  # fmt: skip


def _board(b: Board, said: list[str] | None = None) -> dict[str, Any]:
    e = b.election
    return {
        "election_id": e.pk,
        "status": e.status,
        "ballots": b.sheet.ballots if b.sheet else None,
        "nominated_on": b.sheet.entered_on if b.sheet else None,
        "approved_on": b.approval.approved_on if b.approval else None,
        "approval_document": b.approval.document if b.approval else "",
        "published_on": e.candidates_published_on,
        "posts": [
            {
                "post": p.post,
                "post_label": p.label,
                "seats": p.seats,
                "candidates_min": p.need_min,
                "candidates_max": p.need_max,
                "nominees": [
                    {
                        "person_id": n.row.person_id,
                        "name": n.row.person.name,
                        "votes": n.row.votes,
                        "rank": n.rank,
                        "residents_recommendations": n.row.residents_recommendations,
                        "members_recommendations": n.row.members_recommendations,
                        "may_stand": not n.reasons,
                        "reasons": n.reasons,
                        "is_candidate": n.candidate is not None,
                    }
                    for n in p.nominees
                ],
                "candidates": [_candidate(c) for c in p.candidates],
            }
            for p in b.posts
        ],
        "withdrawn": [_candidate(c) for c in b.withdrawn],
        "said": said or [],
    }


def _fresh(election: Election) -> Election:
    return Election.objects.select_related("region", "rules").get(pk=election.pk)


@router.get(
    "/elections/{election_id}", response=CandidatesBoardOut, url_name="api_candidates_board", summary="提名与候选人"
)
def candidates_board(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return _board(board(election_for(request.user, election_id)))


@router.post(
    "/elections/{election_id}/nominations",
    response=CandidatesBoardOut,
    url_name="api_candidates_nominations",
    summary="录入提名（海选）统计",
)
def candidates_nominations(request: HttpRequest, election_id: int, payload: CandidatesNominationsIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    done = nominations_enter(
        actor=acting_user(request), election=election, ballots=payload.ballots, on=payload.on,
        rows=[NominationRow(r.post, r.person_id, r.votes) for r in payload.rows],
    )  # fmt: skip
    return _board(board(_fresh(election)), done.said)


@router.post(
    "/elections/{election_id}/recommendations",
    response=CandidatesBoardOut,
    url_name="api_candidates_recommendations",
    summary="录入“两推”推荐票",
)
def candidates_recommendations(
    request: HttpRequest, election_id: int, payload: CandidatesRecommendationsIn
) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    counts = {c.person_id: (c.residents, c.members) for c in payload.counts}
    recommendations_enter(actor=acting_user(request), election=election, counts=counts)
    return _board(board(_fresh(election)))


@router.post(
    "/elections/{election_id}/determine",
    response=CandidatesBoardOut,
    url_name="api_candidates_determine",
    summary="确定正式候选人",
)
def candidates_set(request: HttpRequest, election_id: int, payload: CandidatesDetermineIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    candidates_determine(actor=acting_user(request), election=election, chosen=payload.chosen)
    return _board(board(_fresh(election)))


@router.post(
    "/elections/{election_id}/approval",
    response=CandidatesBoardOut,
    url_name="api_candidates_approve",
    summary="登记乡镇党委对候选人名单的批复",
)
def candidates_approve(request: HttpRequest, election_id: int, payload: CandidatesApproveIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    list_approve(
        actor=acting_user(request), election=election, approved_on=payload.approved_on, document=payload.document
    )
    return _board(board(_fresh(election)))


@router.post(
    "/elections/{election_id}/publish",
    response=CandidatesBoardOut,
    url_name="api_candidates_publish",
    summary="公布正式候选人名单",
)
def candidates_announce(request: HttpRequest, election_id: int, payload: CandidatesPublishIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    candidates_publish(actor=acting_user(request), election=election, on=payload.on, expected_version=payload.version)
    return _board(board(_fresh(election)))


@pdf_route(
    router,
    "/elections/{election_id}/poster.pdf",
    url_name="api_candidates_poster",
    summary="正式候选人名单公告（PDF）",
    title="正式候选人名单",
)
def candidates_poster(request: HttpRequest, election_id: int) -> HttpResponse:
    return poster_response(election_for(request.user, election_id))


@router.get(
    "/elections/{election_id}/meetings",
    response=list[CandidatesMeetingOut],
    url_name="api_candidates_meetings",
    summary="候选人与选民见面记录",
)
def candidates_meetings(request: HttpRequest, election_id: int) -> list[dict[str, Any]]:
    return [_meeting(m) for m in voter_meetings(election_for(request.user, election_id))]


@router.post(
    "/elections/{election_id}/meetings",
    response={201: CandidatesMeetingOut},
    url_name="api_candidates_meeting_record",
    summary="登记候选人与选民见面",
)
def candidates_meeting_record(request: HttpRequest, election_id: int, payload: CandidatesMeetingIn) -> Status:
    election = election_for(request.user, election_id)
    meeting = voter_meeting_record(
        actor=acting_user(request), election=election, held_on=payload.held_on, place=payload.place,
        candidate_ids=payload.candidates, note=payload.note,
    )  # fmt: skip
    return Status(201, _meeting(meeting))


@router.post(
    "/{candidate_id}/withdraw", response=CandidatesBoardOut, url_name="api_candidates_withdraw", summary="书面退出"
)
def candidates_withdraw(request: HttpRequest, candidate_id: int, payload: CandidatesWithdrawIn) -> dict[str, Any]:
    candidate = candidate_policy.get_or_404(request.user, pk=candidate_id)
    try:
        content = base64.b64decode(payload.letter_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError("上传失败。", {"letter_base64": ["不是有效的 Base64 内容。"]}) from exc
    done = candidate_withdraw(
        actor=acting_user(request), candidate=candidate, on=payload.on, reason=payload.reason,
        letter_name=payload.letter_name, letter_type=payload.letter_type, letter=content,
        expected_version=payload.version,
    )  # fmt: skip
    return _board(board(_fresh(candidate.election)), done.said)


@router.get(
    "/{candidate_id}/letter",
    url_name="api_candidates_letter",
    summary="书面退出申请扫描件",
    openapi_extra=file_answer("application/pdf", "书面退出申请"),
)
def candidates_letter(request: HttpRequest, candidate_id: int) -> HttpResponse:
    return letter_file(candidate_policy.get_or_404(request.user, pk=candidate_id))


def letter_file(candidate: Candidate) -> HttpResponse:
    letter = getattr(candidate, "letter", None)
    if letter is None:
        raise DomainError("没有书面退出申请。")
    response = HttpResponse(bytes(letter.content), content_type=letter.content_type)
    response["Content-Disposition"] = content_disposition_header(False, letter.name) or "inline"
    return response
