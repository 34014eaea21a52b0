"""Party work's API under /api/v1/partywork: every operation of the pages, the same services, selectors and files."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged, RowsOfQuery, first_page
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.partywork import downloads, hooks, selectors
from cunshe.partywork.models import (
    Addendum,
    Branch,
    Decision,
    FloatingCard,
    FloatingGroup,
    FloatingMember,
    FloatingReport,
    GroupMembership,
    MeetingAttendance,
    ModelPost,
    PartyMeeting,
    PostRating,
)
from cunshe.partywork.permissions import branch_policy, cadence_policy, floating_policy, group_policy, post_policy
from cunshe.partywork.services import (
    addendum_add,
    branch_open,
    card_issue,
    counts_of,
    floating_register,
    group_create,
    group_dissolve,
    group_leader_set,
    group_member_add,
    group_member_remove,
    meeting_attendance_mark,
    meeting_create,
    meeting_edit,
    meeting_sign,
    member_return,
    model_post_end,
    post_create,
    post_rate,
    report_add,
)
from cunshe.people.models import Person
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["党建工作"])


class PartyBranchIn(Schema):
    village: str
    name: str
    formed_on: date


class PartyBranchOut(ModelOut):
    class Meta:
        model = Branch
        fields = (("code", "region"), "name", "formed_on")


class PartyCadenceOut(Schema):
    kind: str
    label: str
    every: str
    held: int
    last_held_on: date | None
    due_on: date
    overdue: bool
    missed: int


class PartyMeetingBrief(ModelOut):
    due: int = Field(description="应到人数")
    present: int = Field(description="实到人数")

    class Meta:
        model = PartyMeeting
        fields = ("id", "kind", "number", "held_at", "place", "status", "due", "present")


class PartyBranchDetail(PartyBranchOut):
    cadence: list[PartyCadenceOut]
    meetings: list[PartyMeetingBrief] = Field(description="会议记录的第一页（新的在前）；全部见 GET …/meetings（分页）")
    meetings_count: int = Field(description="会议记录的总数")


class PartyDecisionIO(Schema):
    text: str
    owner: str
    due_on: date


class PartyMeetingIn(Schema):
    kind: str
    held_at: datetime
    place: str
    chair_id: int
    recorder_id: int
    agenda: str
    topic: str = ""
    discussion: str = ""
    votes: str = ""
    decisions: list[PartyDecisionIO] = []


class PartyMeetingEditIn(Schema):
    version: int
    held_at: datetime | None = None
    place: str | None = None
    chair_id: int | None = None
    recorder_id: int | None = None
    agenda: str | None = None
    topic: str | None = None
    discussion: str | None = None
    votes: str | None = None
    decisions: list[PartyDecisionIO] | None = None


class PartyAttendanceOut(ModelOut):
    class Meta:
        model = MeetingAttendance
        fields = ("person_id", ("name", "person__name"), "status", "reason")


class PartyAddendumOut(ModelOut):
    class Meta:
        model = Addendum
        fields = ("written_on", "text")


class PartyDecisionOut(ModelOut):
    class Meta:
        model = Decision
        fields = ("text", "owner", "due_on")


class PartyMeetingOut(ModelOut):
    counts: dict[str, int] = Field(description="出席情况：应到、实到、请假、缺席人数")
    attendance: list[PartyAttendanceOut]
    decisions: list[PartyDecisionOut]
    addenda: list[PartyAddendumOut]

    class Meta:
        model = PartyMeeting
        fields = (
            "id", ("branch", "region"), "kind", "number", "held_at", "place", "topic", ("chair", "chair__name"),
            ("recorder", "recorder__name"), "by_secretary", "agenda", "discussion", "votes", "status",
            "recorder_signed_at", "chair_signed_at", "version", "counts", "attendance", "decisions", "addenda",
        )  # fmt: skip

    @staticmethod
    def resolve_counts(m: PartyMeeting) -> dict[str, int]:
        return counts_of(m)


class PartyMarkIn(Schema):
    person_id: int
    status: str
    reason: str = ""


class PartyAttendanceIn(Schema):
    version: int
    marks: list[PartyMarkIn]


class PartySignIn(Schema):
    role: str
    version: int


class PartyAddendumIn(Schema):
    text: str


class PartyRollupRowOut(Schema):
    code: str
    name: str
    branches: int
    overdue: dict[str, int]


class PartyRollupOut(Schema):
    code: str
    name: str
    rows: list[PartyRollupRowOut]
    total: PartyRollupRowOut


class PartyPostIn(Schema):
    person_id: int
    title: str
    duty: str
    set_up_on: date


class PartyRatingOut(ModelOut):
    scores: dict[str, int] = Field(description="各项得分")

    class Meta:
        model = PostRating
        fields = ("year", "quarter", "scores", "total", "grade", "note")


class PartyPostOut(ModelOut):
    ratings: list[PartyRatingOut]

    class Meta:
        model = ModelPost
        fields = (
            "id", "region", "person_id", ("name", "person__name"), "title", "duty", "set_up_on", "ended_on",
            "end_reason", "version", "ratings",
        )  # fmt: skip


class PartyPostEndIn(Schema):
    ended_on: date
    reason: str
    version: int


class PartyRateIn(Schema):
    year: int
    quarter: int
    scores: dict[str, int]
    note: str = ""


class PartyFloatingIn(Schema):
    person_id: int
    whereabouts: str
    left_on: date
    work: str = ""
    phone: str = ""
    expected_back_on: date | None = None
    cannot_transfer: bool = False
    cannot_transfer_reason: str = ""


class PartyCardOut(ModelOut):
    class Meta:
        model = FloatingCard
        fields = ("number", "issued_on", "valid_until", "revoked_on")


class PartyFloatingOut(ModelOut):
    cards: list[PartyCardOut]
    reported_years: list[int] = Field(description="已交年度报告的年度")

    class Meta:
        model = FloatingMember
        fields = (
            "id", "region", "person_id", ("name", "person__name"), "whereabouts", "work", "left_on",
            "expected_back_on", "cannot_transfer", "returned_on", "report_due_on", "version", "cards",
            "reported_years",
        )  # fmt: skip

    @staticmethod
    def resolve_reported_years(m: FloatingMember) -> list[int]:
        return sorted(r.year for r in m.reports.all())


class PartyFloatingCardOut(PartyCardOut):
    state: str = Field(description="有效为空，否则为“已过期”或“已收回（日期）”")

    @staticmethod
    def resolve_state(c: FloatingCard) -> str:
        return downloads.card_state(c, timezone.localdate())


class PartyFloatingReportOut(ModelOut):
    class Meta:
        model = FloatingReport
        fields = ("year", "reported_on", "content")


class PartyFloatingMembershipOut(ModelOut):
    class Meta:
        model = GroupMembership
        fields = (
            "group_id", ("group", "group__name"), ("kind", "group__kind"), ("whereabouts", "group__whereabouts"),
            "joined_on", "left_on", "left_reason",
        )  # fmt: skip


class PartyFloatingDetailOut(ModelOut):
    branch: str = Field(description="所在党组织")
    report_overdue: bool = Field(description="未返回且年度报告已过截止日期")
    card: PartyFloatingCardOut | None = Field(description="今天有效的流动党员活动证（没有为空）")
    cards: list[PartyFloatingCardOut]
    groups: list[PartyFloatingMembershipOut] = Field(validation_alias="memberships", description="临时党小组")
    reports: list[PartyFloatingReportOut]
    # None while the requests channel is not wired
    requests_raised: int | None = Field(description="反映诉求数（未接入诉求渠道时为空）")
    requests_solved: int | None = Field(description="已解决的诉求数（未接入诉求渠道时为空）")

    class Meta:
        model = FloatingMember
        fields = (
            "id", "region", ("village", "region__name"), "branch", "person_id", ("name", "person__name"),
            "whereabouts", "work", "phone", "left_on", "expected_back_on", "cannot_transfer",
            "cannot_transfer_reason", "returned_on", "report_due_on", "report_overdue", "version", "card", "cards",
            "groups", "reports", "requests_raised", "requests_solved",
        )  # fmt: skip


class PartyGroupOut(ModelOut):
    size: int = Field(description="在组人数")

    class Meta:
        model = FloatingGroup
        fields = (
            "id", ("town", "region"), "kind", "name", "whereabouts", "formed_on", "dissolved_on",
            ("leader", "leader__name"), "size", "version",
        )  # fmt: skip


class PartyGroupLineOut(PartyGroupOut):
    requests_raised: int | None = Field(description="成员反映诉求数（未接入诉求渠道时为空）")
    requests_solved: int | None = Field(description="已解决的诉求数（未接入诉求渠道时为空）")


class PartyGroupMembershipOut(ModelOut):
    class Meta:
        model = GroupMembership
        fields = (
            "member_id", ("village", "member__region"), ("name", "member__person__name"), "joined_on", "left_on",
            "left_reason",
        )  # fmt: skip


class PartyGroupDetailOut(PartyGroupLineOut):
    memberships: list[PartyGroupMembershipOut]


class PartyGroupJoinIn(Schema):
    member_id: int
    joined_on: date
    version: int


class PartyGroupLeaveIn(Schema):
    left_on: date
    reason: str
    version: int


class PartyGroupLeaderIn(Schema):
    member_id: int
    version: int


class PartyGroupDissolveIn(Schema):
    dissolved_on: date
    version: int


class PartyFloatingCounts(Schema):
    members: int
    carded: int
    reports_overdue: int
    boat_groups: int
    other_groups: int
    requests_raised: int | None
    requests_solved: int | None


class PartyFloatingList(Schema):
    counts: PartyFloatingCounts
    members: list[PartyFloatingOut] = Field(description="在外流动党员的第一页；全部见 GET …/floating/members（分页）")
    members_count: int = Field(description="在外流动党员的总数")
    groups: list[PartyGroupOut] = Field(description="临时党小组的第一页；全部见 GET …/groups（分页）")
    groups_count: int = Field(description="临时党小组的总数")


class PartyCardIn(Schema):
    issued_on: date
    valid_until: date


class PartyReportIn(Schema):
    year: int
    reported_on: date
    content: str


class PartyReturnIn(Schema):
    returned_on: date
    version: int


class PartyGroupIn(Schema):
    kind: str
    name: str
    whereabouts: str
    formed_on: date
    member_ids: list[int]
    leader_id: int | None = None


def _branch(request: HttpRequest, code: str) -> Branch:
    return branch_policy.get_or_404(request.user, queryset=Branch.objects.select_related("region"), region_id=code)


def _region(request: HttpRequest, code: str) -> Region:
    return cadence_policy.rollup_region(request.user, code, fallback=False)


def _person(pk: int | None) -> Person | None:
    return Person.objects.filter(pk=pk).first() if pk is not None else None


def _meeting(request: HttpRequest, meeting_id: int) -> PartyMeeting:
    return selectors.meeting_full(request.user, meeting_id)


@router.get("/branches", response=list[PartyBranchOut], url_name="api_partywork_branches", summary="党支部")
@paginate(Paged)
def branches(request: HttpRequest) -> QuerySet[Branch]:
    # A branch in each village: a county has hundreds (the list stopped at 500).
    return selectors.branches_visible(request.user)


@router.post("/branches", response={201: PartyBranchOut}, url_name="api_partywork_branch_new", summary="登记党支部")
def branch_new(request: HttpRequest, payload: PartyBranchIn) -> Status:
    b = branch_open(
        actor=acting_user(request), village_code=payload.village, name=payload.name, formed_on=payload.formed_on
    )
    return Status(201, b)


@router.get(
    "/branches/{code}", response=PartyBranchDetail, url_name="api_partywork_branch", summary="党支部会议频次与会议记录"
)
def branch(request: HttpRequest, code: str) -> WithFields:
    b = _branch(request, code)
    meetings, count = first_page(selectors.meetings_of(request.user, b))
    return WithFields(
        b,
        cadence=[{**line.__dict__, "missed": len(line.missed)} for line in selectors.cadence_of(request.user, b)],
        meetings=meetings,
        meetings_count=count,
    )


@router.get(
    "/branches/{code}/meetings",
    response=list[PartyMeetingBrief],
    url_name="api_partywork_meetings",
    summary="党支部的会议记录（分页，新的在前）",
)
@paginate(Paged)
def meetings(request: HttpRequest, code: str) -> QuerySet[PartyMeeting]:
    # Three meetings and a lesson a month or so, year after year (the branch's answer stopped at 200).
    return selectors.meetings_of(request.user, _branch(request, code))


@router.post(
    "/branches/{code}/meetings",
    response={201: PartyMeetingOut},
    url_name="api_partywork_meeting_new",
    summary="新建会议记录（列出应到人员）",
)
def meeting_new(request: HttpRequest, code: str, payload: PartyMeetingIn) -> Status:
    b = _branch(request, code)
    data = payload.dict()
    m = meeting_create(
        actor=acting_user(request),
        branch=b,
        kind=data["kind"],
        held_at=data["held_at"],
        place=data["place"],
        chair=_person(data["chair_id"]),  # type: ignore[arg-type]
        recorder=_person(data["recorder_id"]),  # type: ignore[arg-type]
        agenda=data["agenda"],
        topic=data["topic"],
        discussion=data["discussion"],
        votes=data["votes"],
        decisions=data["decisions"],
    )
    return Status(201, _meeting(request, m.pk))


@router.get("/meetings/{meeting_id}", response=PartyMeetingOut, url_name="api_partywork_meeting", summary="会议记录")
def meeting(request: HttpRequest, meeting_id: int) -> PartyMeeting:
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/edit",
    response=PartyMeetingOut,
    url_name="api_partywork_meeting_edit",
    summary="修改会议记录（签字确认前）",
)
def meeting_change(request: HttpRequest, meeting_id: int, payload: PartyMeetingEditIn) -> PartyMeeting:
    m = _meeting(request, meeting_id)
    data = {k: v for k, v in payload.dict().items() if v is not None and k != "version"}
    for role in ("chair", "recorder"):
        if f"{role}_id" in data:
            data[role] = _person(data.pop(f"{role}_id"))
    meeting_edit(actor=acting_user(request), meeting=m, expected_version=payload.version, **data)
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/attendance",
    response=PartyMeetingOut,
    url_name="api_partywork_attendance",
    summary="登记出席、请假、缺席（含原因）",
)
def attendance(request: HttpRequest, meeting_id: int, payload: PartyAttendanceIn) -> PartyMeeting:
    m = _meeting(request, meeting_id)
    marks = {x.person_id: (x.status, x.reason) for x in payload.marks}
    meeting_attendance_mark(actor=acting_user(request), meeting=m, marks=marks, expected_version=payload.version)
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/sign",
    response=PartyMeetingOut,
    url_name="api_partywork_sign",
    summary="记录人或主持人签字确认",
)
def sign(request: HttpRequest, meeting_id: int, payload: PartySignIn) -> PartyMeeting:
    m = _meeting(request, meeting_id)
    meeting_sign(actor=acting_user(request), meeting=m, role=payload.role, expected_version=payload.version)
    return _meeting(request, meeting_id)


@router.post(
    "/meetings/{meeting_id}/addenda",
    response={201: PartyMeetingOut},
    url_name="api_partywork_addendum",
    summary="补充更正说明（签字确认后）",
)
def addendum(request: HttpRequest, meeting_id: int, payload: PartyAddendumIn) -> Status:
    addendum_add(actor=acting_user(request), meeting=_meeting(request, meeting_id), text=payload.text)
    return Status(201, _meeting(request, meeting_id))


@pdf_route(
    router,
    "/meetings/{meeting_id}/minutes.pdf",
    url_name="api_partywork_minutes",
    summary="会议记录（打印）",
    title="会议记录",
)
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return downloads.minutes_response(_meeting(request, meeting_id))


def rollup_out(table: selectors.Rollup) -> dict[str, Any]:
    def row(r: selectors.RollupRow) -> dict[str, Any]:
        return {"code": r.code, "name": r.name, "branches": r.branches, "overdue": r.overdue}

    return {
        "code": table.region.code,
        "name": table.region.name,
        "rows": [row(r) for r in table.rows],
        "total": row(table.total),
    }


@router.get(
    "/regions/{code}/rollup",
    response=PartyRollupOut,
    url_name="api_partywork_rollup",
    summary="三会一课逾期情况（按乡镇或村）",
)
def rollup(request: HttpRequest, code: str) -> dict[str, Any]:
    region = _region(request, code)
    if region.level not in (Level.COUNTY, Level.TOWN):
        raise Http404("汇总按县或乡镇(街道)查看。")
    return rollup_out(selectors.rollup(request.user, region))


@router.get(
    "/regions/{code}/ledger.xlsx",
    url_name="api_partywork_ledger",
    summary="三会一课台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.ledger_response(request.user, _region(request, code))


@router.get(
    "/regions/{code}/floating.xlsx",
    url_name="api_partywork_floating_ledger",
    summary="流动党员台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def floating_ledger(request: HttpRequest, code: str) -> HttpResponse:
    return downloads.floating_ledger_response(request.user, _region(request, code))


@router.get("/regions/{code}/posts", response=list[PartyPostOut], url_name="api_partywork_posts", summary="党员示范岗")
@paginate(Paged)
def posts(request: HttpRequest, code: str) -> QuerySet[ModelPost]:
    # Posts of every village below, term after term (the list stopped at 500).
    return selectors.posts_of(request.user, _region(request, code).code)


@router.post(
    "/branches/{code}/posts", response={201: PartyPostOut}, url_name="api_partywork_post_new", summary="设立党员示范岗"
)
def post_new(request: HttpRequest, code: str, payload: PartyPostIn) -> Status:
    b = _branch(request, code)
    person = _person(payload.person_id)
    if person is None:
        raise Http404("未找到该人员。")
    p = post_create(
        actor=acting_user(request),
        village_code=b.region_id,
        person=person,
        title=payload.title,
        duty=payload.duty,
        set_up_on=payload.set_up_on,
    )
    return Status(201, p)


@router.post(
    "/posts/{post_id}/ratings", response={201: PartyPostOut}, url_name="api_partywork_rate", summary="示范岗季度评比"
)
def rate(request: HttpRequest, post_id: int, payload: PartyRateIn) -> Status:
    p = post_policy.get_or_404(request.user, queryset=ModelPost.objects.select_related("person"), pk=post_id)
    post_rate(
        actor=acting_user(request),
        post=p,
        year=payload.year,
        quarter=payload.quarter,
        scores=payload.scores,
        note=payload.note,
    )
    return Status(201, ModelPost.objects.select_related("person").get(pk=p.pk))


@router.post("/posts/{post_id}/end", response=PartyPostOut, url_name="api_partywork_post_end", summary="党员示范岗撤岗")
def post_end(request: HttpRequest, post_id: int, payload: PartyPostEndIn) -> ModelPost:
    p = post_policy.get_or_404(request.user, queryset=ModelPost.objects.select_related("person"), pk=post_id)
    model_post_end(
        actor=acting_user(request),
        post=p,
        ended_on=payload.ended_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return ModelPost.objects.select_related("person").get(pk=p.pk)


@router.get(
    "/regions/{code}/ratings/{year}/{quarter}",
    response=list[dict[str, Any]],
    url_name="api_partywork_results",
    summary="示范岗评比结果（按村或乡镇）",
)
def results(request: HttpRequest, code: str, year: int, quarter: int) -> list[dict[str, Any]]:
    return selectors.post_results(request.user, _region(request, code).code, year, quarter)


@router.get(
    "/regions/{code}/ratings/{year}/{quarter}/results.xlsx",
    url_name="api_partywork_results_xlsx",
    summary="示范岗评比结果（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def results_xlsx(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    return downloads.results_response(request.user, _region(request, code), year, quarter)


@pdf_route(
    router,
    "/regions/{code}/ratings/{year}/{quarter}/sheet.pdf",
    url_name="api_partywork_rating_sheet",
    summary="示范岗评比表（打印）",
    title="示范岗评比表",
)
def rating_sheet(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    from cunshe.core.printing import pdf_response

    region = _region(request, code)
    return pdf_response(
        downloads.rating_sheet_pdf(request.user, region, year, quarter), f"{region.name}示范岗评比表.pdf"
    )


@router.get(
    "/regions/{code}/floating",
    response=PartyFloatingList,
    url_name="api_partywork_floating",
    summary="流动党员与临时党小组",
)
def floating(request: HttpRequest, code: str) -> dict[str, Any]:
    region = _region(request, code)
    # First pages and totals (the lists stopped at 500 and 200 without saying so); the rest page at their own paths.
    members, members_count = first_page(selectors.floating_of(request.user, region.code))
    groups, groups_count = first_page(selectors.groups_of(request.user, region.code))
    return {
        "counts": selectors.floating_counts(request.user, region.code),
        "members": members,
        "members_count": members_count,
        "groups": groups,
        "groups_count": groups_count,
    }


@router.get(
    "/regions/{code}/floating/members",
    response=list[PartyFloatingOut],
    url_name="api_partywork_floating_members",
    summary="在外流动党员（分页）",
)
@paginate(Paged)
def floating_members(request: HttpRequest, code: str) -> QuerySet[FloatingMember]:
    return selectors.floating_of(request.user, _region(request, code).code)


@router.post(
    "/branches/{code}/floating",
    response={201: PartyFloatingOut},
    url_name="api_partywork_floating_new",
    summary="登记流动党员",
)
def floating_new(request: HttpRequest, code: str, payload: PartyFloatingIn) -> Status:
    b = _branch(request, code)
    data = payload.dict()
    person = Person.objects.filter(pk=data.pop("person_id"), region_id=b.region_id).first()
    if person is None:
        raise Http404("未找到该人员。")
    m = floating_register(actor=acting_user(request), person=person, **data)
    return Status(201, m)


def _floating(request: HttpRequest, member_id: int) -> FloatingMember:
    return floating_policy.get_or_404(
        request.user, queryset=FloatingMember.objects.select_related("person"), pk=member_id
    )


def floating_detail(m: FloatingMember) -> WithFields:
    """One member as their page shows them (m as selectors.member_full fetched it)."""
    today = timezone.localdate()
    cards = list(m.cards.all())
    valid = next((c for c in cards if not downloads.card_state(c, today) and c.issued_on <= today), None)
    requests = hooks.requests_raised_by_member(m.pk)
    return WithFields(
        m,
        branch=downloads.branch_of(m),
        report_overdue=m.returned_on is None and m.report_due_on < today,
        card=valid,
        cards=cards,
        requests_raised=requests[0] if requests else None,
        requests_solved=requests[1] if requests else None,
    )


@router.get(
    "/floating/{member_id}",
    response=PartyFloatingDetailOut,
    url_name="api_partywork_member",
    summary="流动党员详情（所在地、活动证、临时党小组、年度报告、反映诉求）",
)
def member(request: HttpRequest, member_id: int) -> WithFields:
    return floating_detail(selectors.member_full(request.user, member_id))


@pdf_route(
    router,
    "/floating/{member_id}/registration.pdf",
    url_name="api_partywork_registration",
    summary="流动党员登记表（打印）",
    title="流动党员登记表",
)
def registration(request: HttpRequest, member_id: int) -> HttpResponse:
    return downloads.registration_response(selectors.member_full(request.user, member_id))


@pdf_route(
    router,
    "/floating/{member_id}/card.pdf",
    url_name="api_partywork_card_pdf",
    summary="流动党员活动证（打印；过期或已收回的标明）",
    title="流动党员活动证",
)
def card_pdf(request: HttpRequest, member_id: int) -> HttpResponse:
    return downloads.card_response(selectors.member_full(request.user, member_id))


@router.post(
    "/floating/{member_id}/cards",
    response={201: PartyFloatingOut},
    url_name="api_partywork_card",
    summary="发放流动党员活动证",
)
def card(request: HttpRequest, member_id: int, payload: PartyCardIn) -> Status:
    m = _floating(request, member_id)
    card_issue(actor=acting_user(request), member=m, issued_on=payload.issued_on, valid_until=payload.valid_until)
    return Status(201, _floating(request, member_id))


@router.post(
    "/floating/{member_id}/reports",
    response={201: PartyFloatingOut},
    url_name="api_partywork_report",
    summary="流动党员年度报告",
)
def report(request: HttpRequest, member_id: int, payload: PartyReportIn) -> Status:
    m = _floating(request, member_id)
    report_add(
        actor=acting_user(request),
        member=m,
        year=payload.year,
        reported_on=payload.reported_on,
        content=payload.content,
    )
    return Status(201, _floating(request, member_id))


@router.post(
    "/floating/{member_id}/return", response=PartyFloatingOut, url_name="api_partywork_return", summary="流动党员返回"
)
def returned(request: HttpRequest, member_id: int, payload: PartyReturnIn) -> FloatingMember:
    m = _floating(request, member_id)
    member_return(
        actor=acting_user(request), member=m, returned_on=payload.returned_on, expected_version=payload.version
    )
    return _floating(request, member_id)


@router.post(
    "/towns/{code}/groups",
    response={201: PartyGroupDetailOut},
    url_name="api_partywork_group_new",
    summary="建立临时党小组（船头党小组）",
)
def group_new(request: HttpRequest, code: str, payload: PartyGroupIn) -> Status:
    group_policy.check_in_region(acting_user(request), "manage", code)  # another town's: 404 before its members
    found = {
        m.pk: m
        for m in floating_policy.visible_to(request.user).filter(pk__in=payload.member_ids).select_related("person")
    }
    members = [found[i] for i in payload.member_ids if i in found]
    if len(found) != len(set(payload.member_ids)):
        raise DomainError("所选党员有误，未保存。", {"member_ids": ["有党员不在您可查看的流动党员名单中。"]})
    leader = found.get(payload.leader_id) if payload.leader_id is not None else None
    g = group_create(
        actor=acting_user(request),
        town_code=code,
        kind=payload.kind,
        name=payload.name,
        whereabouts=payload.whereabouts,
        formed_on=payload.formed_on,
        members=members,
        leader=leader,
    )
    return Status(201, group_detail(request, g.pk))


def group_detail(request: HttpRequest, group_id: int) -> WithFields:
    g = selectors.group_full(request.user, group_id)
    rows = list(g.memberships.all())
    line = selectors.group_lines([g])[0]
    return WithFields(
        g,
        size=sum(r.left_on is None for r in rows),
        requests_raised=line.requests_raised,
        requests_solved=line.requests_solved,
        memberships=rows,
    )


class _GroupLines(RowsOfQuery[FloatingGroup]):
    """The groups' page with their members' requests, counted for the whole page at once (selectors.group_lines)."""

    def __getitem__(self, window: slice) -> list[object]:
        lines = selectors.group_lines(self.query[window])
        return [
            WithFields(x.group, requests_raised=x.requests_raised, requests_solved=x.requests_solved) for x in lines
        ]


@router.get(
    "/regions/{code}/groups",
    response=list[PartyGroupLineOut],
    url_name="api_partywork_groups",
    summary="临时党小组一览（含成员反映诉求；分页）",
)
@paginate(Paged)
def groups(request: HttpRequest, code: str) -> _GroupLines:
    # A town's groups year after year (the list stopped at 500).
    region = floating_policy.rollup_region(request.user, code, fallback=False)
    return _GroupLines(selectors.groups_of(request.user, region.code), row=lambda g: g)


@router.get(
    "/groups/{group_id}", response=PartyGroupDetailOut, url_name="api_partywork_group", summary="临时党小组及其成员"
)
def group(request: HttpRequest, group_id: int) -> WithFields:
    return group_detail(request, group_id)


def _group_member(request: HttpRequest, g: FloatingGroup, member_id: int) -> FloatingMember:
    """A floating member of the group's town the user sees; another's is not found."""
    found = (
        floating_policy.visible_to(request.user)
        .filter(pk=member_id, region__startswith=g.region_id)
        .select_related("person")
        .first()
    )
    if found is None:
        raise Http404("未找到该流动党员。")
    return found


@router.post(
    "/groups/{group_id}/members",
    response={201: PartyGroupDetailOut},
    url_name="api_partywork_group_join",
    summary="临时党小组加入成员",
)
def group_join(request: HttpRequest, group_id: int, payload: PartyGroupJoinIn) -> Status:
    g = selectors.group_full(request.user, group_id)
    group_member_add(
        actor=acting_user(request),
        group=g,
        member=_group_member(request, g, payload.member_id),
        joined_on=payload.joined_on,
        expected_version=payload.version,
    )
    return Status(201, group_detail(request, group_id))


@router.post(
    "/groups/{group_id}/members/{member_id}/leave",
    response=PartyGroupDetailOut,
    url_name="api_partywork_group_leave",
    summary="临时党小组成员退出（保留记录）",
)
def group_leave(request: HttpRequest, group_id: int, member_id: int, payload: PartyGroupLeaveIn) -> WithFields:
    g = selectors.group_full(request.user, group_id)
    group_member_remove(
        actor=acting_user(request),
        group=g,
        member=_group_member(request, g, member_id),
        left_on=payload.left_on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return group_detail(request, group_id)


@router.post(
    "/groups/{group_id}/leader",
    response=PartyGroupDetailOut,
    url_name="api_partywork_group_leader",
    summary="更换临时党小组组长",
)
def group_leader(request: HttpRequest, group_id: int, payload: PartyGroupLeaderIn) -> WithFields:
    g = selectors.group_full(request.user, group_id)
    group_leader_set(
        actor=acting_user(request),
        group=g,
        member=_group_member(request, g, payload.member_id),
        expected_version=payload.version,
    )
    return group_detail(request, group_id)


@router.post(
    "/groups/{group_id}/dissolve",
    response=PartyGroupDetailOut,
    url_name="api_partywork_group_dissolve",
    summary="撤销临时党小组",
)
def group_dissolved(request: HttpRequest, group_id: int, payload: PartyGroupDissolveIn) -> WithFields:
    g = selectors.group_full(request.user, group_id)
    group_dissolve(
        actor=acting_user(request), group=g, dissolved_on=payload.dissolved_on, expected_version=payload.version
    )
    return group_detail(request, group_id)
