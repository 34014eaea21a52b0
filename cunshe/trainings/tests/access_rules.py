from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.elections.models import Election, Status
from cunshe.firstyear.tests.helpers import certified
from cunshe.spreadsheets.layout import write_workbook
from cunshe.trainings.exports import IMPORT_COLUMNS
from cunshe.trainings.models import Attendance, Course, Session
from cunshe.trainings.services import attendance_mark, course_create, session_create

# the villages the firstyear rules certify (their new teams are the people due)
VILLAGES = {"a": "371681001233", "b": "371681002233"}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
TITLES = {"a": "黛溪街道任职培训班", "b": "黄山街道任职培训班"}


def setup(world: World, make_person: Any, **_: Any) -> None:
    today = timezone.localdate()
    for side, village in VILLAGES.items():
        if not Election.objects.filter(region_id=village, status=Status.CERTIFIED).exists():
            certified(village, make_person)
        course = course_create(actor=SYSTEM, region_code=TOWNS[side], title=TITLES[side], provider="party_school")
        session = session_create(actor=SYSTEM, course=course, held_on=today, place="基层党校")
        other = session_create(actor=SYSTEM, course=course, held_on=today, place="基层党校二教室")
        absent = Attendance.objects.filter(session=other, village_id=village).order_by("pk")[0]
        attendance_mark(actor=SYSTEM, attendance=absent, status="absent", reason="外出务工", expected_version=1)
        world.extra[f"trainings_course_{side}"] = course
        world.extra[f"trainings_session_{side}"] = session
        world.extra[f"trainings_other_{side}"] = (
            other  # its code is renewed by the walk (the signin rule keeps its own)
        )
        world.extra[f"trainings_due_{side}"] = Attendance.objects.filter(session=session, village_id=village).order_by(
            "pk"
        )[0]
        world.extra[f"trainings_absent_{side}"] = absent


def _pk(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _code(side: str) -> Any:
    return lambda w: {"code": w.extra[f"trainings_session_{side}"].code}


def _due_b_unchanged(w: World) -> bool:
    return Attendance.objects.get(pk=w.extra["trainings_due_b"].pk).status == "due"


def _no_course_b(w: World) -> bool:
    return not Course.objects.filter(region_id=TOWN_B, title="新增培训班").exists()


def _one_session_b(w: World) -> bool:
    return Session.objects.filter(course=w.extra["trainings_course_b"]).count() == 2


def _no_followup_b(w: World) -> bool:
    return not Attendance.objects.get(pk=w.extra["trainings_absent_b"].pk).follow_ups.exists()


def _sheet(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        buffer = BytesIO()
        row = {"id": str(w.extra[f"trainings_due_{side}"].pk), "status": "出席", "reason": ""}
        write_workbook("签到表", IMPORT_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("签到表.xlsx", buffer.getvalue())}

    return body


def _mark(side: str) -> Any:
    return lambda w: {"status": "present", "reason": "", "version": w.extra[f"trainings_due_{side}"].version}


FOLLOW = {"written_on": timezone.localdate().isoformat(), "note": "已送学上门"}
COURSE = {"title": "新增培训班", "provider": "town", "description": ""}


def _session_body(w: World) -> dict[str, Any]:
    return {"held_on": timezone.localdate().isoformat(), "place": "街道会议室"}


def _signin(side: str) -> Any:
    return lambda w: {"person_ids": [w.extra[f"trainings_due_{side}"].person_id]}


def _code_b_unchanged(w: World) -> bool:
    return Session.objects.get(pk=w.extra["trainings_other_b"].pk).code == w.extra["trainings_other_b"].code


def _version(side: str) -> Any:
    return lambda w: {"version": Session.objects.get(pk=w.extra[f"trainings_other_{side}"].pk).version}


WEB_RULES = {
    "trainings:list": Rule("scoped", marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]),
    "trainings:course_new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**COURSE, "region": TOWN_A},
        body_b=lambda w: {**COURSE, "region": TOWN_B},
        refused_status=400,
        b_unchanged=_no_course_b,
    ),
    "trainings:course": Rule("scoped", a=_pk("trainings_course_a"), b=_pk("trainings_course_b")),
    "trainings:session_new": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_course_a"),
        b=_pk("trainings_course_b"),
        body_a=_session_body,
        body_b=_session_body,
        b_unchanged=_one_session_b,
    ),
    "trainings:session": Rule("scoped", a=_pk("trainings_session_a"), b=_pk("trainings_session_b")),
    "trainings:sheet": Rule("scoped", a=_pk("trainings_session_a"), b=_pk("trainings_session_b"), as_text=lambda c: ""),
    "trainings:poster": Rule(
        "scoped", a=_pk("trainings_session_a"), b=_pk("trainings_session_b"), as_text=lambda c: ""
    ),
    "trainings:import": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_session_a"),
        b=_pk("trainings_session_b"),
        body_a=_sheet("a"),
        body_b=_sheet("b"),
        b_unchanged=_due_b_unchanged,
    ),
    "trainings:mark": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_due_a"),
        b=_pk("trainings_due_b"),
        body_a=_mark("a"),
        body_b=_mark("b"),
        b_unchanged=_due_b_unchanged,
    ),
    "trainings:followup": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_absent_a"),
        b=_pk("trainings_absent_b"),
        body_a=lambda w: FOLLOW,
        body_b=lambda w: FOLLOW,
        b_unchanged=_no_followup_b,
    ),
    "trainings:signin": Rule("scoped", a=_code("a"), b=_code("b")),
    "trainings:new_code": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_other_a"),
        b=_pk("trainings_other_b"),
        body_a=_version("a"),
        body_b=_version("b"),
        b_unchanged=_code_b_unchanged,
    ),
}

API_RULES = {
    "GET /api/v1/trainings/courses": Rule("scoped", marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]),
    "POST /api/v1/trainings/courses": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**COURSE, "region": TOWN_A},
        body_b=lambda w: {**COURSE, "region": TOWN_B},
        b_unchanged=_no_course_b,
    ),
    "GET /api/v1/trainings/courses/{course_id}": Rule(
        "scoped", a=_pk("trainings_course_a", "course_id"), b=_pk("trainings_course_b", "course_id")
    ),
    "POST /api/v1/trainings/courses/{course_id}/sessions": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_course_a", "course_id"),
        b=_pk("trainings_course_b", "course_id"),
        body_a=_session_body,
        body_b=_session_body,
        b_unchanged=_one_session_b,
    ),
    "GET /api/v1/trainings/sessions/{session_id}": Rule(
        "scoped", a=_pk("trainings_session_a", "session_id"), b=_pk("trainings_session_b", "session_id")
    ),
    "GET /api/v1/trainings/sessions/{session_id}/sheet.xlsx": Rule(
        "scoped",
        a=_pk("trainings_session_a", "session_id"),
        b=_pk("trainings_session_b", "session_id"),
        as_text=lambda c: "",
    ),
    "POST /api/v1/trainings/sessions/{session_id}/import": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_session_a", "session_id"),
        b=_pk("trainings_session_b", "session_id"),
        body_a=_sheet("a"),
        body_b=_sheet("b"),
        b_unchanged=_due_b_unchanged,
    ),
    "GET /api/v1/trainings/sessions/{session_id}/poster.pdf": Rule(
        "scoped",
        a=_pk("trainings_session_a", "session_id"),
        b=_pk("trainings_session_b", "session_id"),
        as_text=lambda c: "",
    ),
    "POST /api/v1/trainings/sessions/{session_id}/new-code": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_other_a", "session_id"),
        b=_pk("trainings_other_b", "session_id"),
        body_a=_version("a"),
        body_b=_version("b"),
        b_unchanged=_code_b_unchanged,
    ),
    "POST /api/v1/trainings/attendance/{attendance_id}": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_due_a", "attendance_id"),
        b=_pk("trainings_due_b", "attendance_id"),
        body_a=_mark("a"),
        body_b=_mark("b"),
        b_unchanged=_due_b_unchanged,
    ),
    "POST /api/v1/trainings/attendance/{attendance_id}/follow-ups": Rule(
        "scoped",
        method="POST",
        a=_pk("trainings_absent_a", "attendance_id"),
        b=_pk("trainings_absent_b", "attendance_id"),
        body_a=lambda w: FOLLOW,
        body_b=lambda w: FOLLOW,
        b_unchanged=_no_followup_b,
    ),
    "POST /api/v1/trainings/signin/{code}": Rule(
        "scoped",
        method="POST",
        a=_code("a"),
        b=_code("b"),
        body_a=_signin("a"),
        body_b=_signin("b"),
        b_unchanged=_due_b_unchanged,
    ),
}
