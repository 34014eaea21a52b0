from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import pdf_route
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema
from cunshe.elections.models import Election, ElectionResult
from cunshe.elections.permissions import election_for
from cunshe.results import printouts, selectors
from cunshe.results.models import PartyPostVote
from cunshe.results.services import (
    handover_plan,
    party_post_elect,
    party_posts_approve,
    result_certify,
    result_handover_open,
    result_void_confirm,
)

router = Router(tags=["选举结果"])


class ResultsElectedOut(Schema):
    person_id: int
    name: str
    post: str
    post_label: str
    votes: int
    elected_on: date


class ResultsPartyVoteOut(ModelOut):
    votes: dict[str, int] = Field(description="得票：人员编号 → 票数")

    class Meta:
        model = PartyPostVote
        fields = (
            "id", "post", "person_id", ("name", "person__name"), "held_on", "committee_size", "votes", "approved_on", "approval_ref",
        )  # fmt: skip


class ResultsOut(Schema):
    election_id: int
    region: str
    election_status: str
    result_status: str | None
    registered: int | None
    returned: int | None
    invalid: int | None
    certified_on: date | None
    certified_by_name: str
    elected: list[ResultsElectedOut]
    party_votes: list[ResultsPartyVoteOut]
    handover_id: int | None
    handover_starts_on: date | None
    handover_todo: list[str]
    version: int


class ResultsCertifyIn(Schema):
    on: date
    version: int


class ResultsVoidIn(Schema):
    on: date
    rerun_day: date
    version: int


class ResultsRerunOut(Schema):
    election_id: int
    rerun_id: int
    rerun_day: date


class ResultsPartyVoteIn(Schema):
    post: str
    held_on: date
    votes: dict[int, int]


class ResultsPartyApproveIn(Schema):
    on: date
    approval_ref: str


class ResultsHandoverIn(Schema):
    meeting_at: datetime
    meeting_place: str


def _out(election: Election) -> dict[str, Any]:
    election.refresh_from_db()
    result = ElectionResult.objects.filter(election=election).first()
    certification = getattr(election, "certification", None) if hasattr(election, "certification") else None
    plan = (
        handover_plan(election)
        if election.kind in selectors.COMMITTEE_KINDS and election.status == "certified"
        else None
    )
    return {
        "election_id": election.pk,
        "region": election.region_id,
        "election_status": election.status,
        "result_status": result.status if result else None,
        "registered": result.registered if result else None,
        "returned": result.returned if result else None,
        "invalid": result.invalid if result else None,
        "certified_on": result.certified_on if result else None,
        "certified_by_name": result.certified_by_name if result else "",
        "elected": [
            {
                "person_id": m.person_id,
                "name": m.person.name,
                "post": m.post,
                "post_label": m.get_post_display(),
                "votes": m.votes,
                "elected_on": day,
            }
            for m, day in selectors.elected_of(election)
        ],
        "party_votes": list(election.party_post_votes.select_related("person")),
        "handover_id": certification.handover_id if certification else None,
        "handover_starts_on": plan["starts_on"] if plan else None,
        "handover_todo": plan["problems"] if plan and not (certification and certification.handover_id) else [],
        "version": election.version,
    }


@router.get("/{election_id}", response=ResultsOut, url_name="api_results_detail", summary="选举结果及后续")
def result_detail(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return _out(election_for(request.user, election_id))


@router.post("/{election_id}/certify", response=ResultsOut, url_name="api_results_certify", summary="确认选举结果")
def certify(request: HttpRequest, election_id: int, payload: ResultsCertifyIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    result_certify(actor=acting_user(request), election=election, on=payload.on, expected_version=payload.version)
    return _out(election)


@router.post(
    "/{election_id}/void",
    response={201: ResultsRerunOut},
    url_name="api_results_void",
    summary="确认选举无效并发起重新选举",
)
def void(request: HttpRequest, election_id: int, payload: ResultsVoidIn) -> Status:
    election = election_for(request.user, election_id)
    rerun = result_void_confirm(
        actor=acting_user(request),
        election=election,
        on=payload.on,
        rerun_day=payload.rerun_day,
        expected_version=payload.version,
    )
    return Status(201, {"election_id": election.pk, "rerun_id": rerun.pk, "rerun_day": rerun.election_day})


@router.post(
    "/{election_id}/party-votes",
    response={201: ResultsOut},
    url_name="api_results_party_vote",
    summary="登记党组织委员会选举书记、副书记",
)
def party_vote(request: HttpRequest, election_id: int, payload: ResultsPartyVoteIn) -> Status:
    election = election_for(request.user, election_id)
    party_post_elect(
        actor=acting_user(request), election=election, post=payload.post, held_on=payload.held_on, votes=payload.votes
    )
    return Status(201, _out(election))


@router.post(
    "/{election_id}/party-approval",
    response=ResultsOut,
    url_name="api_results_party_approve",
    summary="登记乡镇党委批复（党组织职务随之进入班子）",
)
def party_approve(request: HttpRequest, election_id: int, payload: ResultsPartyApproveIn) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    party_posts_approve(actor=acting_user(request), election=election, on=payload.on, approval_ref=payload.approval_ref)
    return _out(election)


@router.post(
    "/{election_id}/handover",
    response={201: ResultsOut},
    url_name="api_results_handover",
    summary="据选举结果发起交接",
)
def handover(request: HttpRequest, election_id: int, payload: ResultsHandoverIn) -> Status:
    election = election_for(request.user, election_id)
    result_handover_open(
        actor=acting_user(request),
        election=election,
        meeting_at=payload.meeting_at,
        meeting_place=payload.meeting_place,
    )
    return Status(201, _out(election))


@pdf_route(
    router,
    "/{election_id}/report.pdf",
    url_name="api_results_report",
    summary="选举结果报告单（PDF）",
    title="选举结果报告单",
)
def report(request: HttpRequest, election_id: int) -> HttpResponse:
    election = election_for(request.user, election_id)
    return pdf_response(printouts.result_report_pdf(election), f"{election.region.name}选举结果报告单.pdf")


@pdf_route(
    router,
    "/{election_id}/certificates.pdf",
    url_name="api_results_certificates",
    summary="当选证书（PDF，每人一页）",
    title="当选证书",
)
def certificates(request: HttpRequest, election_id: int) -> HttpResponse:
    election = election_for(request.user, election_id)
    return pdf_response(printouts.certificates_pdf(election), f"{election.region.name}当选证书.pdf")
