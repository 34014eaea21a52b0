"""Access rules of the joint review for the walk (cunshe/access/tests/test_every_url.py).

County pages: organizer_a of 邹平市 against a round and batch of the other county. Town pages: officer_a of
黛溪街道 against a batch of 黄山街道. The desk: reviewer_a of 市公安局 against 市人民法院's part of the same batch,
so the walk itself proves that one department cannot reach another department's answers."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World
from cunshe.access.tests.walk import pk as _pk
from cunshe.accounts.models import Department
from cunshe.accounts.services import department_create
from cunshe.core.actors import SYSTEM
from cunshe.people import id_numbers
from cunshe.reviews.exports import CANDIDATE_COLUMNS
from cunshe.reviews.models import Answer, Candidate, DepartmentHead, DepartmentReview, ReviewBatch, ReviewRound
from cunshe.reviews.services import (
    CandidateRow,
    answer_give,
    answers_clear_rest,
    batch_release,
    batch_submit,
    department_head_set,
    department_review_sign,
    round_open,
)
from cunshe.spreadsheets.layout import write_workbook

NEW_A = id_numbers.make(COUNTY, date(1985, 5, 5), 11)
NEW_B = id_numbers.make(COUNTY, date(1985, 5, 5), 13)


def _rows(village: str, *names: str, start: int = 100) -> list[CandidateRow]:
    return [
        CandidateRow(
            line=n, name=name, id_number=id_numbers.make(village[:6], date(1980, 1, 1), start + n), village=village
        )
        for n, name in enumerate(names, start=1)
    ]


def setup(world: World, make_user: Any, **_: Any) -> None:
    police = department_create(actor=SYSTEM, county_code=COUNTY, name="市公安局")
    court = department_create(actor=SYSTEM, county_code=COUNTY, name="市人民法院")
    reviewer_a = make_user("reviewer", COUNTY, department=police, name="公安审查员")
    reviewer_court = make_user("reviewer", COUNTY, department=court, name="法院审查员")
    department_head_set(actor=SYSTEM, department=police, user=reviewer_a)
    department_head_set(actor=SYSTEM, department=court, user=reviewer_court)
    round_a = round_open(actor=SYSTEM, county_code=COUNTY, opened_on=date(2026, 9, 1), title="本县联审")
    round_b = round_open(actor=SYSTEM, county_code=OTHER_COUNTY, opened_on=date(2026, 9, 1), title="外县联审")
    waiting = batch_submit(
        actor=SYSTEM, review_round=round_a, town_code=TOWN_A, rows=_rows(VILLAGE_A, "待发甲"), title="甲镇待发布批"
    )
    town_b = batch_submit(
        actor=SYSTEM,
        review_round=round_a,
        town_code=TOWN_B,
        rows=_rows(VILLAGE_B, "乙镇人选", start=150),
        title="乙镇批",
    )
    open_batch = batch_submit(
        actor=SYSTEM,
        review_round=round_a,
        town_code=TOWN_A,
        rows=_rows(VILLAGE_A, "审查甲", start=200),
        title="甲镇审查批",
    )
    batch_release(actor=SYSTEM, batch=open_batch, expected_version=open_batch.version)
    # The police have answered everyone but not signed: answers can still change, and the head can sign.
    police_open = DepartmentReview.objects.get(batch=open_batch, department=police)
    answers_clear_rest(actor=SYSTEM, review=police_open)
    done = batch_submit(
        actor=SYSTEM,
        review_round=round_a,
        town_code=TOWN_A,
        rows=_rows(VILLAGE_A, "存疑甲", start=300),
        title="甲镇完成批",
    )
    batch_release(actor=SYSTEM, batch=done, expected_version=done.version)
    candidate_done = done.candidates.get()
    police_done = DepartmentReview.objects.get(batch=done, department=police)
    answer_give(actor=SYSTEM, review=police_done, candidate=candidate_done, verdict="doubtful", reason="有举报待核")
    department_review_sign(
        actor=SYSTEM, review=police_done, conclusion="存疑一人", expected_version=police_done.version
    )
    court_done = DepartmentReview.objects.get(batch=done, department=court)
    answers_clear_rest(actor=SYSTEM, review=court_done)
    department_review_sign(actor=SYSTEM, review=court_done, conclusion="无异常", expected_version=court_done.version)
    # departments other modules' walk data add to the county (e.g. the handover group's finance and audit) review too
    for other in DepartmentReview.objects.filter(batch=done).exclude(department__in=(police, court)):
        answers_clear_rest(actor=SYSTEM, review=other)
        department_review_sign(actor=SYSTEM, review=other, conclusion="无异常", expected_version=other.version)
    outside = department_create(actor=SYSTEM, county_code=OTHER_COUNTY, name="外县公安局")
    batch_b = batch_submit(
        actor=SYSTEM,
        review_round=round_b,
        town_code=OTHER_VILLAGE[:9],
        rows=_rows(OTHER_VILLAGE, "外县人选"),
        title="外县批",
    )
    batch_release(actor=SYSTEM, batch=batch_b, expected_version=batch_b.version)
    world.extra.update(
        reviewer_a=reviewer_a,
        round_a=round_a,
        round_b=round_b,
        waiting=waiting,
        town_b=town_b,
        open_batch=open_batch,
        done=done,
        batch_b=batch_b,
        police_open=police_open,
        court_open=DepartmentReview.objects.get(batch=open_batch, department=court),
        police_done=police_done,
        review_b=DepartmentReview.objects.get(batch=batch_b, department=outside),
        candidate_done=candidate_done,
        candidate_b=batch_b.candidates.get(),
        candidate_town_b=town_b.candidates.get(),
        candidate_open=open_batch.candidates.get(),
    )


def _desk(key: str, name: str = "pk") -> Any:
    """The department review plus the candidate of its batch."""

    def probe(w: World) -> dict[str, Any]:
        review = w.extra[key]
        candidate = review.batch.candidates.first()
        return {name: review.pk, "candidate_pk" if name == "pk" else "candidate_id": candidate.pk}

    return probe


def _b_round_untouched(w: World) -> bool:
    return not ReviewRound.objects.filter(county_id=OTHER_COUNTY, title="越权轮次").exists()


def _batch_b_untouched(w: World) -> bool:
    batch = ReviewBatch.objects.get(pk=w.extra["batch_b"].pk)
    return batch.status == "released" and not Answer.objects.filter(department_review__batch=batch).exists()


def _court_untouched(w: World) -> bool:
    court = DepartmentReview.objects.get(pk=w.extra["court_open"].pk)
    return court.status == "open" and court.answered_count == 0 and not court.answers.exists()


def _upload(village: str, number: str, name: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        buffer = BytesIO()
        write_workbook("联审人选", CANDIDATE_COLUMNS, [{"name": name, "id_number": number, "village": village}], buffer)
        town = village[:9]
        return {"town": town, "title": "", "file": SimpleUploadedFile("c.xlsx", buffer.getvalue())}

    return body


def _no_new_b(w: World) -> bool:
    return not Candidate.objects.filter(id_number=NEW_B).exists()


WEB_RULES = {
    "reviews:index": Rule("scoped", actor="organizer_a", marker_a=lambda w: "本县联审", marker_b=lambda w: "外县联审"),
    "reviews:round_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"opened_on": "2026-10-01", "title": "新联审"},
        body_b=lambda w: {"opened_on": "2026-10-01", "title": "越权轮次"},
        # The county comes from the organizer's own assignment: there is no way to name another county.
        refused_status=302,
        b_unchanged=_b_round_untouched,
    ),
    "reviews:round": Rule("scoped", actor="organizer_a", a=_pk("round_a"), b=_pk("round_b")),
    "reviews:round_report_xlsx": Rule("scoped", actor="organizer_a", a=_pk("round_a"), b=_pk("round_b")),
    "reviews:round_report_pdf": Rule("scoped", actor="organizer_a", a=_pk("round_a"), b=_pk("round_b")),
    "reviews:batch_import": Rule(
        "scoped",
        method="POST",
        a=_pk("round_a"),
        b=_pk("round_a"),
        body_a=_upload(VILLAGE_A, NEW_A, "导入甲"),
        body_b=_upload(VILLAGE_B, NEW_B, "越权乙"),
        refused_status=200,
        b_unchanged=_no_new_b,
    ),
    "reviews:batch_pick": Rule(
        "scoped",
        method="POST",
        a=_pk("round_a"),
        b=_pk("round_a"),
        body_a=lambda w: {"town": TOWN_A, "person": [w.person_a.pk]},
        body_b=lambda w: {"town": TOWN_B, "person": [w.person_b.pk]},
        b_unchanged=lambda w: not Candidate.objects.filter(person=w.person_b).exists(),
    ),
    "reviews:batch": Rule("scoped", a=_pk("waiting"), b=_pk("town_b")),
    "reviews:batch_release": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("waiting"),
        b=_pk("batch_b"),
        body_a=lambda w: {"deadline_days": "2.5", "version": w.extra["waiting"].version},
        body_b=lambda w: {"deadline_days": "2.5", "version": w.extra["batch_b"].version},
        b_unchanged=_batch_b_untouched,
    ),
    "reviews:candidate": Rule("scoped", a=_pk("candidate_open"), b=_pk("candidate_town_b")),
    "reviews:candidate_decide": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("candidate_done"),
        b=_pk("candidate_b"),
        body_a=lambda w: {
            "decision": "cleared",
            "reason": "经核实举报不实",
            "version": w.extra["candidate_done"].version,
        },
        body_b=lambda w: {"decision": "cleared", "reason": "越权", "version": w.extra["candidate_b"].version},
        b_unchanged=lambda w: Candidate.objects.get(pk=w.extra["candidate_b"].pk).decision == "",
    ),
    "reviews:reopen": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("police_done"),
        b=_pk("review_b"),
        body_a=lambda w: {"reason": "补充核查", "version": w.extra["police_done"].version},
        body_b=lambda w: {"reason": "越权", "version": w.extra["review_b"].version},
        b_unchanged=lambda w: DepartmentReview.objects.get(pk=w.extra["review_b"].pk).reopen_count == 0,
    ),
    "reviews:departments": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: "市人民法院", marker_b=lambda w: "外县公安局"
    ),
    "reviews:department_head": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"pk": w.extra["police_open"].department_id},
        b=lambda w: {"pk": w.extra["review_b"].department_id},
        body_a=lambda w: {"user": w.extra["reviewer_a"].pk, "version": _department_version(w, "police_open")},
        body_b=lambda w: {"user": w.extra["reviewer_a"].pk, "version": _department_version(w, "review_b")},
        b_unchanged=lambda w: (
            not DepartmentHead.objects.filter(department_id=w.extra["review_b"].department_id).exists()
        ),
    ),
    "reviews:department_edit": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"pk": w.extra["police_open"].department_id},
        b=lambda w: {"pk": w.extra["review_b"].department_id},
        body_a=lambda w: {"name": "市公安局", "is_active": "on", "version": _department_version(w, "police_open")},
        body_b=lambda w: {"name": "改名", "is_active": "", "version": _department_version(w, "review_b")},
        b_unchanged=lambda w: Department.objects.get(pk=w.extra["review_b"].department_id).is_active,
    ),
    "reviews:desk": Rule(
        "scoped", actor="reviewer_a", marker_a=lambda w: "甲镇审查批", marker_b=lambda w: "甲镇待发布批"
    ),
    "reviews:desk_batch": Rule("scoped", actor="reviewer_a", a=_pk("police_open"), b=_pk("court_open")),
    "reviews:desk_candidate": Rule("scoped", actor="reviewer_a", a=_desk("police_open"), b=_desk("court_open")),
    "reviews:desk_answer": Rule(
        "scoped",
        actor="reviewer_a",
        method="POST",
        a=_desk("police_open"),
        b=_desk("court_open"),
        body_a=lambda w: {"verdict": "doubtful", "reason": "待核", "version": 1},
        body_b=lambda w: {"verdict": "clear"},
        b_unchanged=_court_untouched,
    ),
    "reviews:desk_clear_rest": Rule(
        "scoped",
        actor="reviewer_a",
        method="POST",
        a=_pk("police_open"),
        b=_pk("court_open"),
        b_unchanged=_court_untouched,
    ),
    "reviews:desk_sign": Rule(
        "scoped",
        actor="reviewer_a",
        method="POST",
        a=_pk("police_open"),
        b=_pk("court_open"),
        body_a=lambda w: {"conclusion": "无异常", "version": w.extra["police_open"].version},
        body_b=lambda w: {"conclusion": "越权", "version": w.extra["court_open"].version},
        b_unchanged=_court_untouched,
    ),
}

API_RULES = {
    "GET /api/v1/reviews/rounds": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: "本县联审", marker_b=lambda w: "外县联审"
    ),
    "POST /api/v1/reviews/rounds": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "opened_on": "2026-10-01", "title": "新联审"},
        body_b=lambda w: {"county": OTHER_COUNTY, "opened_on": "2026-10-01", "title": "越权轮次"},
        b_unchanged=_b_round_untouched,
    ),
    "GET /api/v1/reviews/rounds/{round_id}": Rule(
        "scoped", actor="organizer_a", a=_pk("round_a", "round_id"), b=_pk("round_b", "round_id")
    ),
    "POST /api/v1/reviews/rounds/{round_id}/batches": Rule(
        "scoped",
        method="POST",
        a=_pk("round_a", "round_id"),
        b=_pk("round_a", "round_id"),
        body_a=lambda w: {"town": TOWN_A, "candidates": [{"name": "接口甲", "id_number": NEW_A, "village": VILLAGE_A}]},
        body_b=lambda w: {"town": TOWN_B, "candidates": [{"name": "越权乙", "id_number": NEW_B, "village": VILLAGE_B}]},
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/reviews/rounds/{round_id}/batches/template.xlsx": Rule(
        "scoped", a=_pk("round_a", "round_id"), b=_pk("round_b", "round_id")
    ),
    "POST /api/v1/reviews/rounds/{round_id}/batches/import": Rule(
        "scoped",
        method="POST",
        a=_pk("round_a", "round_id"),
        b=_pk("round_a", "round_id"),
        body_a=_upload(VILLAGE_A, NEW_A, "导入甲"),
        body_b=_upload(VILLAGE_B, NEW_B, "越权乙"),
        b_unchanged=_no_new_b,
    ),
    "GET /api/v1/reviews/rounds/{round_id}/report.xlsx": Rule(
        "scoped", actor="organizer_a", a=_pk("round_a", "round_id"), b=_pk("round_b", "round_id")
    ),
    "GET /api/v1/reviews/rounds/{round_id}/report.pdf": Rule(
        "scoped", actor="organizer_a", a=_pk("round_a", "round_id"), b=_pk("round_b", "round_id")
    ),
    "GET /api/v1/reviews/departments": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: "市人民法院", marker_b=lambda w: "外县公安局"
    ),
    "POST /api/v1/reviews/departments": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "name": "市审计局"},
        body_b=lambda w: {"county": OTHER_COUNTY, "name": "越权单位"},
        b_unchanged=lambda w: not Department.objects.filter(name="越权单位").exists(),
    ),
    "POST /api/v1/reviews/departments/defaults": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY},
        body_b=lambda w: {"county": OTHER_COUNTY},
        b_unchanged=lambda w: Department.objects.filter(county_id=OTHER_COUNTY).count() == 1,
    ),
    "PATCH /api/v1/reviews/departments/{department_id}": Rule(
        "scoped",
        actor="organizer_a",
        method="PATCH",
        a=lambda w: {"department_id": w.extra["police_open"].department_id},
        b=lambda w: {"department_id": w.extra["review_b"].department_id},
        body_a=lambda w: {"name": "市公安局", "is_active": True, "version": _department_version(w, "police_open")},
        body_b=lambda w: {"name": "改名", "is_active": False, "version": _department_version(w, "review_b")},
        b_unchanged=lambda w: Department.objects.get(pk=w.extra["review_b"].department_id).is_active,
    ),
    "POST /api/v1/reviews/departments/{department_id}/head": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"department_id": w.extra["police_open"].department_id},
        b=lambda w: {"department_id": w.extra["review_b"].department_id},
        body_a=lambda w: {"user_id": w.extra["reviewer_a"].pk, "version": _department_version(w, "police_open")},
        body_b=lambda w: {"user_id": w.extra["reviewer_a"].pk, "version": _department_version(w, "review_b")},
        b_unchanged=lambda w: (
            not DepartmentHead.objects.filter(department_id=w.extra["review_b"].department_id).exists()
        ),
    ),
    "GET /api/v1/reviews/batches/{batch_id}": Rule("scoped", a=_pk("waiting", "batch_id"), b=_pk("town_b", "batch_id")),
    "POST /api/v1/reviews/batches/{batch_id}/release": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("waiting", "batch_id"),
        b=_pk("batch_b", "batch_id"),
        body_a=lambda w: {"version": w.extra["waiting"].version},
        body_b=lambda w: {"version": w.extra["batch_b"].version},
        b_unchanged=_batch_b_untouched,
    ),
    "GET /api/v1/reviews/candidates/{candidate_id}": Rule(
        "scoped", a=_pk("candidate_open", "candidate_id"), b=_pk("candidate_town_b", "candidate_id")
    ),
    "POST /api/v1/reviews/candidates/{candidate_id}/decision": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("candidate_done", "candidate_id"),
        b=_pk("candidate_b", "candidate_id"),
        body_a=lambda w: {"decision": "cleared", "reason": "经核实", "version": w.extra["candidate_done"].version},
        body_b=lambda w: {"decision": "cleared", "reason": "越权", "version": w.extra["candidate_b"].version},
        b_unchanged=lambda w: Candidate.objects.get(pk=w.extra["candidate_b"].pk).decision == "",
    ),
    "POST /api/v1/reviews/department-reviews/{review_id}/reopen": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_pk("police_done", "review_id"),
        b=_pk("review_b", "review_id"),
        body_a=lambda w: {"reason": "补充核查", "version": w.extra["police_done"].version},
        body_b=lambda w: {"reason": "越权", "version": w.extra["review_b"].version},
        b_unchanged=lambda w: DepartmentReview.objects.get(pk=w.extra["review_b"].pk).reopen_count == 0,
    ),
    "GET /api/v1/reviews/desk": Rule(
        "scoped", actor="reviewer_a", marker_a=lambda w: "甲镇审查批", marker_b=lambda w: "甲镇待发布批"
    ),
    "GET /api/v1/reviews/desk/{review_id}": Rule(
        "scoped", actor="reviewer_a", a=_pk("police_open", "review_id"), b=_pk("court_open", "review_id")
    ),
    "PUT /api/v1/reviews/desk/{review_id}/answers/{candidate_id}": Rule(
        "scoped",
        actor="reviewer_a",
        method="PUT",
        a=_desk("police_open", "review_id"),
        b=_desk("court_open", "review_id"),
        body_a=lambda w: {"verdict": "doubtful", "reason": "待核", "version": 1},
        body_b=lambda w: {"verdict": "clear"},
        b_unchanged=_court_untouched,
    ),
    "POST /api/v1/reviews/desk/{review_id}/clear-rest": Rule(
        "scoped",
        actor="reviewer_a",
        method="POST",
        a=_pk("police_open", "review_id"),
        b=_pk("court_open", "review_id"),
        b_unchanged=_court_untouched,
    ),
    "POST /api/v1/reviews/desk/{review_id}/sign": Rule(
        "scoped",
        actor="reviewer_a",
        method="POST",
        a=_pk("police_open", "review_id"),
        b=_pk("court_open", "review_id"),
        body_a=lambda w: {"conclusion": "无异常", "version": w.extra["police_open"].version},
        body_b=lambda w: {"conclusion": "越权", "version": w.extra["court_open"].version},
        b_unchanged=_court_untouched,
    ),
}


def _department_version(w: World, key: str) -> int:
    return Department.objects.get(pk=w.extra[key].department_id).version
