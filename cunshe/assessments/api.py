from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.assessments.exports import rates_sheet_download, results_download, rollup_download
from cunshe.assessments.models import AssessmentWeights, MemberResult, Poll, SupportPoll, Tally, TrustAssessment
from cunshe.assessments.permissions import (
    assessment_policy,
    assessment_region_or_404,
    poll_policy,
    summary_region_or_404,
    support_policy,
    weights_county_or_404,
)
from cunshe.assessments.printouts import ballots_response, count_sheet_response
from cunshe.assessments.selectors import (
    assessment_of,
    polls_of,
    rates_today,
    results_of,
    rollup,
    weights_history,
)
from cunshe.assessments.services import (
    assessment_move,
    assessment_open,
    ballot_add,
    poll_enter_totals,
    support_poll_record,
    weights_set,
)
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX
from cunshe.termchanges.selectors import current_term_change

router = Router(tags=["两票一度"])


class TallyOut(ModelOut):
    class Meta:
        model = Tally
        fields = ("member_id", ("person_name", "member__person__name"), "good", "fair", "poor")


class PollOut(ModelOut):
    tallies: list[TallyOut]

    class Meta:
        model = Poll
        fields = ("id", "kind", "method", "base", "entitled", "cast", "invalid", "version", "tallies")


class ResultOut(ModelOut):
    class Meta:
        model = MemberResult
        fields = (
            "member_id", ("person_name", "member__person__name"), ("post", "member__post"), "party_rate",
            "representative_rate", "satisfaction_rate", "combined", "flagged", "flag_reason",
        )  # fmt: skip


class TrustAssessmentOut(ModelOut):
    weights: str = Field(validation_alias="weights_text", description="本次测评使用的权重")
    polls: list[PollOut]
    results: list[ResultOut]

    class Meta:
        model = TrustAssessment
        fields = ("id", "region", "held_on", "status", "weights", "version", "polls", "results")

    @staticmethod
    def resolve_polls(a: TrustAssessment) -> list[Poll]:
        return list(polls_of(a))

    @staticmethod
    def resolve_results(a: TrustAssessment) -> list[MemberResult]:
        return list(results_of(a))


class AssessmentOpenIn(Schema):
    held_on: date
    method: str
    base: str = "valid"
    entitled_party: int
    entitled_representative: int
    entitled_satisfaction: int
    methods: dict[str, str] = {}


class MemberCounts(Schema):
    member_id: int
    good: int
    fair: int
    poor: int


class TotalsIn(Schema):
    cast: int
    invalid: int = 0
    tallies: list[MemberCounts]
    version: int


class BallotIn(Schema):
    is_valid: bool = True
    marks: dict[int, str]


class StatusIn(Schema):
    to_status: str
    version: int


class AssessmentRollupOut(Schema):
    code: str
    name: str
    villages: int
    assessed: int
    members: int
    flagged: int
    average: Decimal | None


@router.get(
    "/village/{code}",
    response=TrustAssessmentOut,
    url_name="api_assessments_village",
    summary="某村(社区)本届两票一度测评",
)
def village(request: HttpRequest, code: str) -> TrustAssessment:
    if not assessment_policy.can_in_region(request.user, "view", code):
        raise Http404
    found = assessment_of(request.user, code, current_term_change(code))
    if found is None:
        raise Http404
    return found


@router.post("/village/{code}", response={201: TrustAssessmentOut}, url_name="api_assessments_open", summary="开展测评")
def open_assessment(request: HttpRequest, code: str, payload: AssessmentOpenIn) -> Status:
    made = assessment_open(
        actor=acting_user(request),
        village_code=code,
        held_on=payload.held_on,
        method=payload.method,
        base=payload.base,
        entitled={
            "party": payload.entitled_party,
            "representative": payload.entitled_representative,
            "satisfaction": payload.entitled_satisfaction,
        },
        methods=payload.methods,
    )
    return Status(201, made)


@router.post("/polls/{poll_id}/totals", response=PollOut, url_name="api_assessments_totals", summary="录入纸质汇总票数")
def totals(request: HttpRequest, poll_id: int, payload: TotalsIn) -> Poll:
    poll = poll_policy.get_or_404(request.user, pk=poll_id)
    poll = poll_enter_totals(
        actor=acting_user(request),
        poll=poll,
        cast=payload.cast,
        invalid=payload.invalid,
        tallies={t.member_id: (t.good, t.fair, t.poor) for t in payload.tallies},
        expected_version=payload.version,
    )
    return Poll.objects.prefetch_related("tallies__member__person").get(pk=poll.pk)


@router.post(
    "/polls/{poll_id}/ballots", response={201: PollOut}, url_name="api_assessments_ballot", summary="逐张录入选票"
)
def ballot(request: HttpRequest, poll_id: int, payload: BallotIn) -> Status:
    poll = poll_policy.get_or_404(request.user, pk=poll_id)
    ballot_add(actor=acting_user(request), poll=poll, is_valid=payload.is_valid, marks=payload.marks)
    return Status(201, Poll.objects.prefetch_related("tallies__member__person").get(pk=poll.pk))


@router.post(
    "/{assessment_id}/status",
    response=TrustAssessmentOut,
    url_name="api_assessments_move",
    summary="完成或重新打开测评",
)
def move(request: HttpRequest, assessment_id: int, payload: StatusIn) -> TrustAssessment:
    assessment = assessment_policy.get_or_404(request.user, pk=assessment_id)
    assessment_move(
        actor=acting_user(request), assessment=assessment, to_status=payload.to_status, expected_version=payload.version
    )
    return assessment


@router.get(
    "/overview/{code}", response=list[AssessmentRollupOut], url_name="api_assessments_overview", summary="乡镇或县汇总"
)
def overview(request: HttpRequest, code: str) -> list[dict[str, object]]:
    if not assessment_policy.can_in_region(request.user, "view", code):
        raise Http404
    place = Region.objects.filter(code=code, level__in=(Level.COUNTY, Level.TOWN)).first()
    if place is None:
        raise Http404
    return [
        {
            "code": r.region.code,
            "name": r.region.name,
            "villages": r.villages,
            "assessed": r.assessed,
            "members": r.members,
            "flagged": r.flagged,
            "average": r.average,
        }
        for r in rollup(request.user, place, current_term_change(code))
    ]


class RatesOut(Schema):
    person_id: int
    person_name: str
    role: str
    satisfaction: Decimal | None
    recommendation: Decimal | None
    party_support: Decimal | None
    public_support: Decimal | None
    likelihood: Decimal | None


class SupportIn(Schema):
    person_id: int
    kind: str
    held_on: date
    asked: int
    in_favour: int
    note: str = ""


class SupportOut(ModelOut):
    class Meta:
        model = SupportPoll
        fields = ("id", "person_id", "kind", "held_on", "asked", "in_favour")


@router.get("/rates/{code}", response=list[RatesOut], url_name="api_assessments_rates", summary="人选三率、两率")
def rates(request: HttpRequest, code: str) -> list[dict[str, object]]:
    if not support_policy.can_in_region(request.user, "view", code):
        raise Http404
    if not Region.objects.filter(code=code, level=Level.VILLAGE).exists():
        raise Http404
    rows = rates_today(code, current_term_change(code))
    return [
        {
            "person_id": r.person.pk,
            "person_name": r.person.name,
            "role": r.role,
            "satisfaction": r.satisfaction,
            "recommendation": r.recommendation,
            "party_support": r.party_support,
            "public_support": r.public_support,
            "likelihood": r.likelihood,
        }
        for r in rows
    ]


@router.post(
    "/rates/{code}/support",
    response={201: SupportOut},
    url_name="api_assessments_support",
    summary="录入推荐与支持情况",
)
def support(request: HttpRequest, code: str, payload: SupportIn) -> Status:
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    poll = support_poll_record(
        actor=acting_user(request),
        village_code=code,
        person=person,
        kind=payload.kind,
        held_on=payload.held_on,
        asked=payload.asked,
        in_favour=payload.in_favour,
        note=payload.note,
    )
    return Status(201, poll)


class WeightsIn(Schema):
    effective_from: date
    party_weight: int
    representative_weight: int
    satisfaction_weight: int
    flag_below: Decimal
    flag_distrust_over: Decimal


class WeightsOut(ModelOut):
    class Meta:
        model = AssessmentWeights
        fields = (
            "effective_from", "party_weight", "representative_weight", "satisfaction_weight", "flag_below",
            "flag_distrust_over", "county",
        )  # fmt: skip


@router.get(
    "/weights/{code}", response=list[WeightsOut], url_name="api_assessments_weights", summary="两票一度权重（历次设置）"
)
def weights(request: HttpRequest, code: str) -> list[AssessmentWeights]:
    """Newest first; a county that has set none scores 3:5:2."""
    county = weights_county_or_404(request.user, code)
    return list(weights_history(county.code))


@router.post(
    "/weights/{code}", response={201: WeightsOut}, url_name="api_assessments_weights_set", summary="设置两票一度权重"
)
def weights_add(request: HttpRequest, code: str, payload: WeightsIn) -> Status:
    county = weights_county_or_404(request.user, code)
    return Status(201, weights_set(actor=acting_user(request), county_code=county.code, **payload.dict()))


@pdf_route(
    router,
    "/polls/{poll_id}/ballots.pdf",
    url_name="api_assessments_ballots_print",
    summary="空白测评票（PDF，份数默认为应参加人数，不能多于应参加人数）",
    title="空白测评票",
)
def ballots_print(request: HttpRequest, poll_id: int, copies: int | None = None) -> HttpResponse:
    return ballots_response(poll_policy.get_or_404(request.user, pk=poll_id), copies)


@pdf_route(
    router,
    "/polls/{poll_id}/count-sheet.pdf",
    url_name="api_assessments_count_sheet_print",
    summary="计票单（PDF）",
    title="计票单",
)
def count_sheet_print(request: HttpRequest, poll_id: int) -> HttpResponse:
    return count_sheet_response(poll_policy.get_or_404(request.user, pk=poll_id))


@router.get(
    "/{assessment_id}/export",
    url_name="api_assessments_export",
    summary="下载测评结果（Excel）",
    openapi_extra=file_answer(XLSX, "两票一度测评结果"),
)
def export(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return results_download(assessment_policy.get_or_404(request.user, pk=assessment_id))


@router.get(
    "/overview/{code}/export",
    url_name="api_assessments_overview_export",
    summary="下载乡镇或县汇总（Excel）",
    openapi_extra=file_answer(XLSX, "两票一度汇总"),
)
def overview_export(request: HttpRequest, code: str) -> HttpResponse:
    return rollup_download(request.user, summary_region_or_404(request.user, code))


@router.get(
    "/rates/{code}/export",
    url_name="api_assessments_rates_export",
    summary="下载人选三率、两率（Excel）",
    openapi_extra=file_answer(XLSX, "人选三率两率"),
)
def rates_export(request: HttpRequest, code: str) -> HttpResponse:
    return rates_sheet_download(assessment_region_or_404(request.user, code, Level.VILLAGE))
