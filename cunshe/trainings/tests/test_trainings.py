from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.firstyear.models import Progress
from cunshe.firstyear.services import progress_undo
from cunshe.firstyear.tests.helpers import DAY, certified
from cunshe.spreadsheets.layout import write_workbook
from cunshe.teams.models import TeamMember
from cunshe.trainings.exports import IMPORT_COLUMNS, attendance_import
from cunshe.trainings.models import Attendance, VillageTally
from cunshe.trainings.services import (
    attendance_mark,
    course_create,
    followup_add,
    session_code_renew,
    session_create,
    signin,
)
from cunshe.trainings.tests.helpers import course_for, with_session

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _first(session: Any, village: str = VILLAGE_A) -> Attendance:
    """One of the new team members due at the session (the certified election fills every seat)."""
    found = Attendance.objects.filter(session=session, village_id=village).order_by("pk").first()
    assert found is not None
    return found


def test_who_is_due_the_new_team_members(make_person: Any) -> None:
    session = with_session(VILLAGE_A, make_person, held_on=TODAY)
    rows = list(Attendance.objects.filter(session=session))
    team = TeamMember.objects.filter(region_id=VILLAGE_A, ended_on__isnull=True, started_on__gte=DAY)
    assert len(rows) == team.count() >= 1  # everyone the certified election put in the new team
    assert {r.person_id for r in rows} == set(team.values_list("person_id", flat=True))
    assert {(r.village_id, r.status) for r in rows} == {(VILLAGE_A, "due")}
    assert VillageTally.objects.get(village_id=VILLAGE_A, course=session.course).due == len(rows)
    # before the new team exists there is nobody to train, and no class before it was elected
    with pytest.raises(DomainError, match="尚无新一届班子成员"):
        session_create(actor=SYSTEM, course=course_for(TOWN_B), held_on=TODAY, place="黄山街道党校")
    with pytest.raises(DomainError, match="不能早于新一届班子产生"):
        session_create(actor=SYSTEM, course=session.course, held_on=TODAY - timedelta(days=60), place="党校")


def test_who_may_run_courses(make_person: Any, make_user: Any) -> None:
    course_create(actor=make_user("town_officer", TOWN_A), region_code=TOWN_A, title="黛溪街道培训班", provider="town")
    with pytest.raises(NotPermitted):  # the town sees the county but runs no course there
        course_create(actor=make_user("town_officer", TOWN_A), region_code=COUNTY, title="县培训", provider="county")
    with pytest.raises(Http404):
        course_create(actor=make_user("town_officer", TOWN_B), region_code=TOWN_A, title="越界", provider="town")
    with pytest.raises(NotPermitted):
        course_create(actor=make_user("village_cadre", VILLAGE_A), region_code=TOWN_A, title="村里", provider="town")


def test_qr_signin_on_the_day_only_and_only_for_ones_own_village(make_person: Any, make_user: Any) -> None:
    session = with_session(VILLAGE_A, make_person, held_on=TODAY)
    person = _first(session).person_id
    cadre = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(Http404):  # a cadre of a village with nobody due: the session is not theirs
        signin(actor=make_user("village_cadre", "371681001214"), code=session.code, person_ids=[person])
    with pytest.raises(DomainError, match="不在您可签到的名单中"):
        signin(actor=cadre, code=session.code, person_ids=[person, person + 100000])
    assert signin(actor=cadre, code=session.code, person_ids=[person]) == 1
    assert signin(actor=cadre, code=session.code, person_ids=[person]) == 0  # again: nothing new
    a = Attendance.objects.get(session=session, person_id=person)
    assert (a.status, a.method) == ("present", "qr")
    assert VillageTally.objects.get(village_id=VILLAGE_A, course=session.course).present == 1
    # yesterday's class: a photo of its QR code signs nobody in today
    old = session_create(actor=SYSTEM, course=session.course, held_on=TODAY - timedelta(days=1), place="党校")
    with pytest.raises(DomainError, match="只在培训当天"):
        signin(actor=cadre, code=old.code, person_ids=[person])
    with pytest.raises(DomainError, match="签到码无效"):
        signin(actor=cadre, code="not-a-code", person_ids=[person])


def _sheet(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("签到表", IMPORT_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def test_excel_import_all_or_nothing_and_idempotent(make_person: Any, make_user: Any) -> None:
    certified("371681001214", make_person)
    session = with_session(VILLAGE_A, make_person, held_on=TODAY - timedelta(days=2), region=TOWN_A)
    a, b = _first(session, VILLAGE_A), _first(session, "371681001214")
    officer = make_user("town_officer", TOWN_A)
    bad = [
        {"id": str(a.pk), "status": "出席", "reason": ""},
        {"id": str(b.pk), "status": "缺席", "reason": ""},  # an absence without its reason
        {"id": "999999", "status": "出席", "reason": ""},
    ]
    with pytest.raises(DomainError) as error:
        attendance_import(actor=officer, session=session, stream=_sheet(bad))
    assert set(error.value.field_errors) == {"第 3 行", "第 4 行"}
    assert not Attendance.objects.filter(session=session).exclude(status="due").exists()
    good = [{"id": str(a.pk), "status": "出席", "reason": ""}, {"id": str(b.pk), "status": "缺席", "reason": "住院"}]
    report = attendance_import(actor=officer, session=session, stream=_sheet(good))
    assert (report.updated, report.unchanged) == (2, 0)
    again = attendance_import(actor=officer, session=session, stream=_sheet(good))
    assert (again.updated, again.unchanged) == (0, 2)
    assert sum(t.present for t in VillageTally.objects.filter(course=session.course)) == 1
    with pytest.raises(Http404):
        attendance_import(actor=make_user("town_officer", TOWN_B), session=session, stream=_sheet(good))


def test_absentees_are_followed_up(make_person: Any, make_user: Any) -> None:
    session = with_session(VILLAGE_A, make_person, held_on=TODAY - timedelta(days=3))
    a = _first(session)
    officer = make_user("town_officer", TOWN_A)
    with pytest.raises(DomainError, match="只有缺席或请假"):
        followup_add(actor=officer, attendance=a, written_on=TODAY, note="已补训")
    with pytest.raises(DomainError, match="缺席或请假须写明原因"):
        attendance_mark(actor=officer, attendance=a, status="absent", reason="", expected_version=a.version)
    a = attendance_mark(actor=officer, attendance=a, status="absent", reason="外出务工", expected_version=a.version)
    with pytest.raises(NotPermitted):  # the village cadre signs in at the door; the town follows absentees up
        followup_add(actor=make_user("village_cadre", VILLAGE_A), attendance=a, written_on=TODAY, note="已补训")
    follow = followup_add(actor=officer, attendance=a, written_on=TODAY, note="已送学上门，补学党课录像")
    assert follow.village_id == VILLAGE_A


def test_pages_and_api(make_person: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    session = with_session(VILLAGE_A, make_person, held_on=TODAY)
    cadre = make_user("village_cadre", VILLAGE_A)
    page = web_as(cadre).get(f"/trainings/signin/{session.code}/")
    assert page.status_code == 200 and "勾选到场人员" in page.content.decode()
    person = _first(session).person_id
    assert web_as(cadre).post(f"/trainings/signin/{session.code}/", {"person": [person]}).status_code == 302
    assert (
        web_as(make_user("village_cadre", "371681002201")).get(f"/trainings/signin/{session.code}/").status_code == 404
    )
    officer = make_user("town_officer", TOWN_A)
    text, _ = pdf_text(web_as(officer).get(f"/trainings/session/{session.pk}/poster.pdf").content)
    assert session.course.title in text and "当天有效" in text
    detail = api_as(officer).get(f"/api/v1/trainings/courses/{session.course_id}").json()
    assert detail["present"] == 1 and detail["villages"][0]["code"] == VILLAGE_A
    assert api_as(make_user("town_officer", TOWN_B)).get(f"/api/v1/trainings/sessions/{session.pk}").status_code == 404


def test_a_new_signin_code_retires_the_old_one(make_person: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    session = with_session(VILLAGE_A, make_person, held_on=TODAY)
    person = _first(session).person_id
    old = session.code
    officer = make_user("town_officer", TOWN_A)
    with pytest.raises(NotPermitted):  # the village signs in at the door; the town that runs the class renews
        session_code_renew(actor=make_user("village_cadre", VILLAGE_A), session=session, expected_version=1)
    with pytest.raises(Http404):
        session_code_renew(actor=make_user("town_officer", TOWN_B), session=session, expected_version=1)
    assert web_as(officer).post(f"/trainings/session/{session.pk}/new-code/", {"version": 1}).status_code == 302
    session.refresh_from_db()
    assert session.code != old and session.version == 2
    with pytest.raises(DomainError, match="签到码无效"):
        signin(actor=make_user("village_cadre", VILLAGE_A), code=old, person_ids=[person])
    again = api_as(officer).post(
        f"/api/v1/trainings/sessions/{session.pk}/new-code", {"version": 1}, content_type="application/json"
    )
    assert again.status_code == 409  # a stale page
    answer = (
        api_as(officer)
        .post(f"/api/v1/trainings/sessions/{session.pk}/new-code", {"version": 2}, content_type="application/json")
        .json()
    )
    assert answer["code"] not in (old, session.code)
    past = session_create(actor=SYSTEM, course=session.course, held_on=TODAY - timedelta(days=1), place="党校")
    with pytest.raises(DomainError, match="培训已经结束"):
        session_code_renew(actor=officer, session=past, expected_version=past.version)


def test_the_first_lesson_is_done_when_the_whole_new_team_attended(make_person: Any, make_user: Any) -> None:
    session = with_session(VILLAGE_A, make_person, held_on=TODAY)
    lesson = Progress.objects.get(region_id=VILLAGE_A, item__key="first_lesson")
    rows = list(Attendance.objects.filter(session=session, village_id=VILLAGE_A).order_by("pk"))
    assert len(rows) > 1
    cadre = make_user("village_cadre", VILLAGE_A)
    signin(actor=cadre, code=session.code, person_ids=[a.person_id for a in rows[:-1]])
    lesson.refresh_from_db()
    assert lesson.done_on is None  # one member still missing
    signin(actor=cadre, code=session.code, person_ids=[rows[-1].person_id])
    lesson.refresh_from_db()
    assert (lesson.done_on, lesson.done_source) == (TODAY, "training")
    with pytest.raises(DomainError, match="其他模块的记录"):  # not entered by hand
        progress_undo(actor=cadre, progress=lesson, reason="误登", expected_version=lesson.version)


def test_training_lists_take_a_constant_number_of_queries(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    certified("371681001214", make_person)
    session = with_session(VILLAGE_A, make_person, held_on=TODAY, region=TOWN_A)
    for n in range(3):
        course_create(actor=SYSTEM, region_code=TOWN_A, title=f"专题培训{n}", provider="town")
    for a in Attendance.objects.filter(session=session):
        a = attendance_mark(actor=SYSTEM, attendance=a, status="absent", reason="外出", expected_version=a.version)
        followup_add(actor=SYSTEM, attendance=a, written_on=TODAY, note="已送学上门")
    officer = make_user("town_officer", TOWN_A)
    web, api = web_as(officer), api_as(officer)
    for url in (
        "/trainings/",
        f"/trainings/course/{session.course_id}/",
        f"/trainings/session/{session.pk}/",
        "/api/v1/trainings/courses",
        f"/api/v1/trainings/courses/{session.course_id}",
        f"/api/v1/trainings/sessions/{session.pk}",
    ):
        client = api if url.startswith("/api") else web
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200, url


def test_the_api_import_answers_the_shared_import_report(make_person: Any, make_user: Any, api_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = with_session(VILLAGE_A, make_person, held_on=TODAY - timedelta(days=2), region=TOWN_A)
    a = _first(session)
    url = f"/api/v1/trainings/sessions/{session.pk}/import"

    def upload(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"file": SimpleUploadedFile("签到表.xlsx", _sheet(rows).getvalue())}

    api = api_as(make_user("town_officer", TOWN_A))
    refused = api.post(url, upload([{"id": str(a.pk), "status": "缺席", "reason": ""}]))
    assert refused.status_code == 400 and "第 2 行" in refused.content.decode()
    answer = api.post(url, upload([{"id": str(a.pk), "status": "出席", "reason": ""}])).json()
    assert {k: answer[k] for k in ("created", "updated", "unchanged", "skipped", "bad_rows")} == {
        "created": 0, "updated": 1, "unchanged": 0, "skipped": 0, "bad_rows": []
    }  # fmt: skip
    assert answer["summary"] and Attendance.objects.get(pk=a.pk).status == "present"
    # The other town's officer does not see the session.
    stranger = api_as(make_user("town_officer", TOWN_B))
    assert stranger.post(url, upload([{"id": str(a.pk), "status": "缺席", "reason": "出差"}])).status_code == 404
    assert Attendance.objects.get(pk=a.pk).status == "present"
