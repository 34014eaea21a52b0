"""四议两公开 under /api/v1/decisions: every operation of the pages, same services and printouts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema
from cunshe.decisions import printouts, selectors
from cunshe.decisions.models import Decision, DecisionRules, Meeting
from cunshe.decisions.permissions import decision_policy, rules_policy
from cunshe.decisions.rules import rules_for
from cunshe.decisions.services import decision_create, decision_withdraw, meeting_record, rules_save
from cunshe.disclosures.models import Disclosure
from cunshe.regions.models import Level, Region

router = Router(tags=["四议两公开"])


class DecisionRulesIn(Schema):
    effective_from: date
    basis: str = ""
    committee_quorum: str = "1/2"
    committee_quorum_strict: bool = True
    committee_base: str = "due"
    party_quorum: str = "2/3"
    party_quorum_strict: bool = False
    party_base: str = "due"
    party_notice_days: int = 3
    villagers_quorum: str = "2/3"
    villagers_quorum_strict: bool = False
    villagers_base: str = "present"


class DecisionRulesOut(ModelOut):
    class Meta:
        model = DecisionRules
        fields = (
            "effective_from", "basis", "committee_quorum", "committee_quorum_strict", "committee_base", "party_quorum",
            "party_quorum_strict", "party_base", "party_notice_days", "villagers_quorum", "villagers_quorum_strict",
            "villagers_base", "region",
        )  # fmt: skip


class DecisionRulesInForce(Schema):
    source: str
    committee: str
    party: str
    villagers: str
    party_notice_days: int


class DecisionRulesPage(Schema):
    in_force: DecisionRulesInForce
    rule_sets: list[DecisionRulesOut]


class DecisionOpenIn(Schema):
    village: str
    title: str
    matter: str
    proposer: str


class DecisionAbsentee(Schema):
    name: str
    reason: str


class DecisionMeetingIn(Schema):
    step: str
    merged: bool = False
    held_at: datetime
    place: str
    chair: str
    recorder: str
    due: int
    present: int
    absentees: list[DecisionAbsentee] = []
    votes_for: int
    votes_against: int = 0
    votes_abstain: int = 0
    notice_sent_on: date | None = None
    discussion: str
    outcome: str
    version: int


class DecisionMeetingOut(ModelOut):
    absentees: list[DecisionAbsentee]

    class Meta:
        model = Meeting
        fields = (
            "id", "number", "step", "merged", "held_at", "place", "chair", "recorder", "due", "present", "absentees",
            "votes_for", "votes_against", "votes_abstain", "notice_sent_on", "discussion", "outcome", "quorum_met",
            "passed", "rule_text",
        )  # fmt: skip


class DecisionDisclosureBrief(ModelOut):
    step: str = Field(validation_alias="decision_step", description="四议两公开步骤")

    class Meta:
        model = Disclosure
        fields = ("id", "step", "title", "published_on", "late")


class DecisionOut(ModelOut):
    status_display: str = Field(validation_alias="get_status_display", description="状态名称")

    class Meta:
        model = Decision
        fields = (
            "id", ("village", "region"), ("village_name", "region__name"), "title", "matter", "proposer", "status", "status_display", "merged",
            "resolved_on", "version",
        )  # fmt: skip


class DecisionDetailOut(DecisionOut):
    meetings: list[DecisionMeetingOut]
    disclosures: list[DecisionDisclosureBrief]


class DecisionWithdrawIn(Schema):
    reason: str
    version: int


@router.get("/rules/{code}", response=DecisionRulesPage, url_name="api_decisions_rules", summary="县的四议两公开规则")
def rules(request: HttpRequest, code: str) -> dict[str, Any]:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not rules_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    now = rules_for(f"{county.code}000000", timezone.localdate())
    return {
        "in_force": {
            "source": now.source,
            "committee": now.committee.text,
            "party": now.party.text,
            "villagers": now.villagers.text,
            "party_notice_days": now.party_notice_days,
        },
        "rule_sets": selectors.rules_of(request.user, county.code),
    }


@router.post(
    "/rules/{code}",
    response={201: DecisionRulesOut},
    url_name="api_decisions_rules_save",
    summary="制定规则（县委组织部）",
)
def rules_new(request: HttpRequest, code: str, payload: DecisionRulesIn) -> Status:
    if not rules_policy.can_in_region(request.user, "view", code):
        raise Http404("未找到该县。")
    row = rules_save(actor=acting_user(request), region_code=code, **payload.dict())
    return Status(201, row)


@router.get("/region/{code}", response=list[DecisionOut], url_name="api_decisions_list", summary="区域内的事项")
@paginate(Paged)
def decisions(request: HttpRequest, code: str) -> QuerySet[Decision]:
    # A town's or county's matters grow every year: a page at a time (the list stopped at 500 without saying so).
    region = decision_policy.rollup_region(request.user, code, fallback=False)
    return selectors.decisions_in(request.user, region.code)


@router.post("", response={201: DecisionDetailOut}, url_name="api_decisions_create", summary="登记事项")
def create(request: HttpRequest, payload: DecisionOpenIn) -> Status:
    decision = decision_create(
        actor=acting_user(request),
        village_code=payload.village,
        title=payload.title,
        matter=payload.matter,
        proposer=payload.proposer,
    )
    return Status(201, selectors.decision_detail(request.user, decision.pk))


@router.get("/{decision_id}", response=DecisionDetailOut, url_name="api_decisions_detail", summary="事项及会议记录")
def detail(request: HttpRequest, decision_id: int) -> Decision:
    return selectors.decision_detail(request.user, decision_id)


@router.post(
    "/{decision_id}/meetings",
    response={201: DecisionDetailOut},
    url_name="api_decisions_meeting",
    summary="登记会议记录（到会和表决按规则核验；未通过的会议也留档）",
)
def meeting(request: HttpRequest, decision_id: int, payload: DecisionMeetingIn) -> Status:
    decision = decision_policy.get_or_404(request.user, pk=decision_id)
    data = payload.dict()
    version = data.pop("version")
    meeting_record(actor=acting_user(request), decision=decision, expected_version=version, **data)
    return Status(201, selectors.decision_detail(request.user, decision_id))


@router.post(
    "/{decision_id}/withdraw", response=DecisionDetailOut, url_name="api_decisions_withdraw", summary="撤回事项"
)
def withdraw(request: HttpRequest, decision_id: int, payload: DecisionWithdrawIn) -> Decision:
    decision = decision_policy.get_or_404(request.user, pk=decision_id)
    decision_withdraw(
        actor=acting_user(request), decision=decision, reason=payload.reason, expected_version=payload.version
    )
    return selectors.decision_detail(request.user, decision_id)


@pdf_route(
    router,
    "/{decision_id}/sheets.pdf",
    url_name="api_decisions_sheets",
    summary="六步签字表（PDF）",
    title="四议两公开签字表",
)
def sheets(request: HttpRequest, decision_id: int) -> HttpResponse:
    return printouts.sheets_response(selectors.decision_detail(request.user, decision_id))
