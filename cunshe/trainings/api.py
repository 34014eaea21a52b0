"""The training module's API under /api/v1/trainings: every operation of the pages, same services and files."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema, WithFields
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut
from cunshe.trainings import selectors, views
from cunshe.trainings.exports import attendance_import
from cunshe.trainings.models import Attendance, Course, FollowUp, Session
from cunshe.trainings.permissions import attendance_policy, course_policy, session_policy
from cunshe.trainings.services import (
    attendance_mark,
    course_create,
    followup_add,
    session_code_renew,
    session_create,
    signin,
)

router = Router(tags=["任职培训"])


class TrainingCourseOut(ModelOut):
    class Meta:
        model = Course
        fields = ("id", "region", "title", "provider", "description")


class TrainingCourseIn(Schema):
    region: str
    title: str
    provider: str
    description: str = ""


class TrainingVillageOut(Schema):
    code: str
    name: str
    due: int
    present: int


class TrainingSessionBrief(ModelOut):
    class Meta:
        model = Session
        fields = ("id", "held_on", "place")


class TrainingCourseDetail(TrainingCourseOut):
    sessions: list[TrainingSessionBrief]
    villages: list[TrainingVillageOut]
    due: int
    present: int


class TrainingSessionIn(Schema):
    held_on: date
    place: str


class TrainingFollowUpOut(ModelOut):
    class Meta:
        model = FollowUp
        fields = ("written_on", "note")


class TrainingAttendanceOut(ModelOut):
    follow_ups: list[TrainingFollowUpOut]

    class Meta:
        model = Attendance
        fields = (
            "id",
            "person_id",
            ("name", "person__name"),
            "village",
            "post",
            "status",
            "reason",
            "method",
            "version",
            "follow_ups",
        )


class TrainingSessionOut(ModelOut):
    counts: dict[str, int] = Field(description="各出勤状态的人数")
    attendance: list[TrainingAttendanceOut]

    class Meta:
        model = Session
        fields = ("id", "course_id", "held_on", "place", "counts", "attendance")


class TrainingMarkIn(Schema):
    status: str
    reason: str = ""
    version: int


class TrainingFollowUpIn(Schema):
    written_on: date
    note: str


class TrainingSigninIn(Schema):
    person_ids: list[int]


class TrainingVersionIn(Schema):
    version: int


class TrainingCodeOut(ModelOut):
    class Meta:
        model = Session
        fields = ("id", "code", "version")


class TrainingCountOut(Schema):
    count: int


@router.get("/courses", response=list[TrainingCourseOut], url_name="api_trainings_courses", summary="培训班")
@paginate(Paged)
def courses(request: HttpRequest) -> QuerySet[Course]:
    # Courses add up over the years: a page at a time (the list stopped at 200 without saying so).
    return selectors.courses_visible(request.user)


@router.post("/courses", response={201: TrainingCourseOut}, url_name="api_trainings_course_new", summary="创建培训班")
def course_new(request: HttpRequest, payload: TrainingCourseIn) -> Status:
    data = payload.dict()
    course = course_create(actor=acting_user(request), region_code=data.pop("region"), **data)
    return Status(201, course)


@router.get(
    "/courses/{course_id}", response=TrainingCourseDetail, url_name="api_trainings_course", summary="培训班及参训人次"
)
def course(request: HttpRequest, course_id: int) -> WithFields:
    c = course_policy.get_or_404(request.user, pk=course_id)
    villages, total = selectors.person_times(request.user, c)
    return WithFields(
        c, sessions=selectors.sessions_of(request.user, c), villages=villages, due=total.due, present=total.present
    )


@router.post(
    "/courses/{course_id}/sessions",
    response={201: TrainingSessionOut},
    url_name="api_trainings_session_new",
    summary="安排培训场次（列出应参训人员）",
)
def session_new(request: HttpRequest, course_id: int, payload: TrainingSessionIn) -> Status:
    c = course_policy.get_or_404(request.user, pk=course_id)
    s = session_create(actor=acting_user(request), course=c, held_on=payload.held_on, place=payload.place)
    return Status(201, _session_out(request, s))


def _session_out(request: HttpRequest, s: Session) -> WithFields:
    return WithFields(
        s, counts=selectors.session_counts(request.user, s), attendance=selectors.attendance_of(request.user, s)
    )


def _session(request: HttpRequest, session_id: int) -> Session:
    return session_policy.get_or_404(request.user, queryset=Session.objects.select_related("course"), pk=session_id)


@router.get(
    "/sessions/{session_id}", response=TrainingSessionOut, url_name="api_trainings_session", summary="场次及出勤"
)
def session(request: HttpRequest, session_id: int) -> WithFields:
    return _session_out(request, _session(request, session_id))


@router.get(
    "/sessions/{session_id}/sheet.xlsx",
    url_name="api_trainings_sheet",
    summary="签到表（Excel，导入格式）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    return views.sheet_response(request.user, _session(request, session_id))


@router.post(
    "/sessions/{session_id}/import",
    response=ImportReportOut,
    url_name="api_trainings_import",
    summary="导入签到表（multipart：file；任一行有误则不保存，errors 按行列出）",
)
def import_sheet(request: HttpRequest, session_id: int, file: File[UploadedFile]) -> dict[str, Any]:
    # The same answer as every other import (created is always 0 here: the sheet only updates the roll).
    return attendance_import(
        actor=acting_user(request), session=_session(request, session_id), stream=cast(BinaryIO, file)
    ).answer()


@pdf_route(
    router,
    "/sessions/{session_id}/poster.pdf",
    url_name="api_trainings_poster",
    summary="签到二维码海报",
    title="签到二维码",
)
def poster(request: HttpRequest, session_id: int) -> HttpResponse:
    return views.poster_response(request, _session(request, session_id))


@router.post(
    "/sessions/{session_id}/new-code",
    response=TrainingCodeOut,
    url_name="api_trainings_new_code",
    summary="更换签到码（原二维码作废）",
)
def new_code(request: HttpRequest, session_id: int, payload: TrainingVersionIn) -> dict[str, Any]:
    s = session_code_renew(
        actor=acting_user(request), session=_session(request, session_id), expected_version=payload.version
    )
    return {"id": s.pk, "code": s.code, "version": s.version}


def _attendance(request: HttpRequest, attendance_id: int) -> Attendance:
    return attendance_policy.get_or_404(
        request.user, queryset=Attendance.objects.select_related("session", "person"), pk=attendance_id
    )


@router.post(
    "/attendance/{attendance_id}", response=TrainingAttendanceOut, url_name="api_trainings_mark", summary="登记出勤"
)
def mark(request: HttpRequest, attendance_id: int, payload: TrainingMarkIn) -> Attendance:
    a = attendance_mark(
        actor=acting_user(request),
        attendance=_attendance(request, attendance_id),
        status=payload.status,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return a


@router.post(
    "/attendance/{attendance_id}/follow-ups",
    response={201: TrainingAttendanceOut},
    url_name="api_trainings_followup",
    summary="记录缺训跟进",
)
def followup(request: HttpRequest, attendance_id: int, payload: TrainingFollowUpIn) -> Status:
    a = _attendance(request, attendance_id)
    followup_add(actor=acting_user(request), attendance=a, written_on=payload.written_on, note=payload.note)
    return Status(201, _attendance(request, attendance_id))


@router.post(
    "/signin/{code}", response=TrainingCountOut, url_name="api_trainings_signin", summary="扫码签到（培训当天）"
)
def signin_api(request: HttpRequest, code: str, payload: TrainingSigninIn) -> dict[str, int]:
    return {"count": signin(actor=acting_user(request), code=code, person_ids=payload.person_ids)}
