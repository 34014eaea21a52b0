from datetime import date
from io import BytesIO
from typing import Any, BinaryIO, cast

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import AliasPath

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.paging import Paged, RowsOfQuery
from cunshe.core.printing import pdf_response
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.elections.permissions import election_for
from cunshe.people.permissions import person_policy
from cunshe.spreadsheets.layout import xlsx_response
from cunshe.spreadsheets.schemas import ImportReportOut
from cunshe.voters.exports import register_export, register_import
from cunshe.voters.models import Objection, Register, Voter
from cunshe.voters.permissions import objection_policy, voter_policy
from cunshe.voters.printouts import register_pdf
from cunshe.voters.selectors import change_counts, register_of, register_origin, register_summary, voters_of
from cunshe.voters.services import (
    deprivation_add,
    objection_decide,
    objection_file,
    register_amend,
    register_build,
    register_publish,
    voter_add,
    voter_leave_out,
    voter_remove,
    voter_update,
)

router = Router(tags=["选民登记"])


class VoterRegisterOut(ModelOut):
    built_from: str = Field(description="名单来源（据以编制的上届名单或户籍）")
    published_on: date | None = Field(
        validation_alias=AliasPath("election", "register_published_on"), description="选民名单公布日"
    )
    registered: int = Field(description="在册选民数")
    counted: int = Field(description="计入选民数")
    objections: int = Field(description="异议数")
    objections_open: int = Field(description="未处理的异议数")
    changes: dict[str, int] = Field(description="各类变动的条数")

    class Meta:
        model = Register
        fields = (
            "id", "election_id", "built_on", "built_from", "frozen_on", "published_on", "registered", "counted",
            "objections", "objections_open", "changes", "version",
        )  # fmt: skip


class VoterOut(ModelOut):
    name: str
    gender: str
    route_label: str

    class Meta:
        model = Voter
        fields = (
            "id", "person_id", "name", "gender", "group", "route", "route_label", "consent", "counted",
            "left_out_rule", "left_out_decision", "version",
        )  # fmt: skip


class VoterObjectionOut(ModelOut):
    name: str

    class Meta:
        model = Objection
        fields = (
            "id", "person_id", "name", "claim", "filed_by", "filed_on", "grounds", "outcome", "decided_on",
            "decision_ref", "decision_text", "version",
        )  # fmt: skip


class VoterBuildIn(Schema):
    on: date


class VoterPublishIn(Schema):
    on: date
    version: int


class VoterAddIn(Schema):
    person_id: int
    route: str = "resident"
    group: str = ""
    consent: str = ""
    reason: str = "edit"
    evidence: str = ""
    on: date


class VoterRemoveIn(Schema):
    reason: str
    evidence: str = ""
    on: date


class VoterUpdateIn(Schema):
    group: str
    route: str
    consent: str = ""
    version: int


class VoterLeaveOutIn(Schema):
    rule: str
    decision: str
    version: int


class VoterAmendIn(Schema):
    person_id: int
    kind: str
    reason: str
    decision_ref: str
    evidence: str = ""
    group: str = ""
    route: str = ""
    consent: str = ""
    on: date


class VoterObjectionIn(Schema):
    person_id: int
    claim: str
    filed_by: str
    filed_on: date
    grounds: str
    group: str = ""
    route: str = ""


class VoterDecideIn(Schema):
    outcome: str
    decided_on: date
    decision_ref: str
    decision_text: str
    version: int


class VoterDeprivationIn(Schema):
    person_id: int
    reason: str
    since: date
    until: date | None = None


def _register(request: HttpRequest, election_id: int) -> Register:
    register = register_of(election_for(request.user, election_id))
    if register is None:
        raise DomainError("本次选举尚未编制选民名单。")
    return register


def _register_out(r: Register) -> WithFields:
    """The register with what is counted from its voters, objections and changes."""
    return WithFields(r, built_from=register_origin(r), **register_summary(r), changes=change_counts(r))


def _voter(v: Voter) -> dict[str, Any]:
    return {
        "id": v.pk,
        "person_id": v.person_id,
        "name": v.person.name,
        "gender": v.person.get_gender_display(),
        "group": v.group,
        "route": v.route,
        "route_label": v.get_route_display(),
        "consent": v.consent,
        "counted": v.counted,
        "left_out_rule": v.left_out_rule,
        "left_out_decision": v.left_out_decision,
        "version": v.version,
    }


def _objection(o: Objection) -> dict[str, Any]:
    return {
        "id": o.pk,
        "person_id": o.person_id,
        "name": o.person.name,
        "claim": o.claim,
        "filed_by": o.filed_by,
        "filed_on": o.filed_on,
        "grounds": o.grounds,
        "outcome": o.outcome,
        "decided_on": o.decided_on,
        "decision_ref": o.decision_ref,
        "decision_text": o.decision_text,
        "version": o.version,
    }


def _voter_of(request: HttpRequest, voter_id: int) -> Voter:
    return voter_policy.get_or_404(
        request.user, queryset=Voter.objects.select_related("person", "register"), pk=voter_id
    )


# Fixed paths first: /deprivations would otherwise be read as an election id.
@router.post("/deprivations", response={201: dict[str, int]}, url_name="api_voters_deprive", summary="登记剥夺政治权利")
def deprivation_create(request: HttpRequest, payload: VoterDeprivationIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    d = deprivation_add(
        actor=acting_user(request), person=person, reason=payload.reason, since=payload.since, until=payload.until
    )
    return Status(201, {"id": d.pk})


@router.get("/{election_id}", response=VoterRegisterOut, url_name="api_voters_register", summary="选民名单概况")
def register_detail(request: HttpRequest, election_id: int) -> WithFields:
    return _register_out(_register(request, election_id))


@router.post("/{election_id}", response={201: VoterRegisterOut}, url_name="api_voters_build", summary="编制选民名单")
def register_create(request: HttpRequest, election_id: int, payload: VoterBuildIn) -> Status:
    report = register_build(actor=acting_user(request), election=election_for(request.user, election_id), on=payload.on)
    return Status(201, _register_out(report.register))


@router.get(
    "/{election_id}/voters", response=list[VoterOut], url_name="api_voters_list", summary="选民（分页，按小组）"
)
@paginate(Paged)
def voter_list(request: HttpRequest, election_id: int) -> Any:
    return RowsOfQuery(voters_of(_register(request, election_id)), _voter)


@router.post("/{election_id}/voters", response={201: VoterOut}, url_name="api_voters_add", summary="增加选民（公布前）")
def voter_create(request: HttpRequest, election_id: int, payload: VoterAddIn) -> Status:
    register = _register(request, election_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    voter = voter_add(
        actor=acting_user(request),
        register=register,
        person=person,
        route=payload.route,
        group=payload.group,
        consent=payload.consent,
        reason=payload.reason,
        evidence=payload.evidence,
        on=payload.on,
    )
    return Status(201, _voter(voter))


@router.post("/{election_id}/publish", response=VoterRegisterOut, url_name="api_voters_publish", summary="公布选民名单")
def register_publish_api(request: HttpRequest, election_id: int, payload: VoterPublishIn) -> WithFields:
    register = _register(request, election_id)
    register_publish(actor=acting_user(request), register=register, on=payload.on, expected_version=payload.version)
    return _register_out(_register(request, election_id))


@router.post(
    "/{election_id}/amend", response=VoterOut, url_name="api_voters_amend", summary="依决定变动选民名单（公布后）"
)
def register_amend_api(request: HttpRequest, election_id: int, payload: VoterAmendIn) -> dict[str, Any]:
    register = _register(request, election_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    voter = register_amend(
        actor=acting_user(request),
        register=register,
        person=person,
        kind=payload.kind,
        reason=payload.reason,
        decision_ref=payload.decision_ref,
        evidence=payload.evidence,
        group=payload.group,
        route=payload.route,
        consent=payload.consent,
        on=payload.on,
    )
    return _voter(voter)


@router.get(
    "/{election_id}/objections", response=list[VoterObjectionOut], url_name="api_voters_objections", summary="申诉"
)
def objection_list(request: HttpRequest, election_id: int) -> list[dict[str, Any]]:
    register = _register(request, election_id)
    return [_objection(o) for o in register.objections.select_related("person")]


@router.post(
    "/{election_id}/objections",
    response={201: VoterObjectionOut},
    url_name="api_voters_objection_file",
    summary="登记申诉",
)
def objection_create(request: HttpRequest, election_id: int, payload: VoterObjectionIn) -> Status:
    register = _register(request, election_id)
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    objection = objection_file(
        actor=acting_user(request),
        register=register,
        person=person,
        claim=payload.claim,
        filed_by=payload.filed_by,
        filed_on=payload.filed_on,
        grounds=payload.grounds,
        group=payload.group,
        route=payload.route,
    )
    return Status(201, _objection(objection))


@router.post(
    "/objections/{objection_id}/decide",
    response=VoterObjectionOut,
    url_name="api_voters_objection_decide",
    summary="作出申诉处理决定",
)
def objection_decide_api(request: HttpRequest, objection_id: int, payload: VoterDecideIn) -> dict[str, Any]:
    objection = objection_policy.get_or_404(
        request.user, queryset=Objection.objects.select_related("person"), pk=objection_id
    )
    objection_decide(
        actor=acting_user(request),
        objection=objection,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        decision_ref=payload.decision_ref,
        decision_text=payload.decision_text,
        expected_version=payload.version,
    )
    return _objection(objection)


@router.post("/voters/{voter_id}", response=VoterOut, url_name="api_voters_update", summary="修改小组和登记方式")
def voter_edit(request: HttpRequest, voter_id: int, payload: VoterUpdateIn) -> dict[str, Any]:
    voter = _voter_of(request, voter_id)
    voter_update(
        actor=acting_user(request),
        voter=voter,
        group=payload.group,
        route=payload.route,
        consent=payload.consent,
        expected_version=payload.version,
    )
    return _voter(voter)


@router.post("/voters/{voter_id}/remove", response=VoterOut, url_name="api_voters_remove", summary="减少选民（公布前）")
def voter_delete(request: HttpRequest, voter_id: int, payload: VoterRemoveIn) -> dict[str, Any]:
    voter = _voter_of(request, voter_id)
    voter_remove(
        actor=acting_user(request), voter=voter, reason=payload.reason, evidence=payload.evidence, on=payload.on
    )
    return _voter(voter)


@router.post(
    "/voters/{voter_id}/leave-out", response=VoterOut, url_name="api_voters_leave_out", summary="不计入登记选民总数"
)
def voter_leave_out_api(request: HttpRequest, voter_id: int, payload: VoterLeaveOutIn) -> dict[str, Any]:
    voter = _voter_of(request, voter_id)
    voter_leave_out(
        actor=acting_user(request),
        voter=voter,
        rule=payload.rule,
        decision=payload.decision,
        expected_version=payload.version,
    )
    return _voter(voter)


@router.get("/{election_id}/export", url_name="api_voters_export", summary="导出选民名单（Excel，可回导）")
def register_xlsx(request: HttpRequest, election_id: int, public: bool = False) -> HttpResponse:
    register = _register(request, election_id)
    out = BytesIO()
    register_export(register=register, target=out, public=public)
    return xlsx_response(out.getvalue(), f"{register.election.region.name}选民名单.xlsx")


@router.get("/{election_id}/print", url_name="api_voters_print", summary="选民名单（PDF，按小组，不含身份证号码）")
def register_print(request: HttpRequest, election_id: int) -> HttpResponse:
    register = _register(request, election_id)
    return pdf_response(register_pdf(register), f"{register.election.region.name}选民名单.pdf")


@router.post("/{election_id}/import", response=ImportReportOut, url_name="api_voters_import", summary="导入选民名单")
def register_upload(request: HttpRequest, election_id: int, on: Form[date], file: File[UploadedFile]) -> dict[str, Any]:
    register = _register(request, election_id)
    return register_import(actor=acting_user(request), register=register, stream=cast(BinaryIO, file), on=on).answer()
