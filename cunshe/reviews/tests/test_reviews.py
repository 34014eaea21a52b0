from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition
from cunshe.deadlines.work_items import work_items_for
from cunshe.people import id_numbers
from cunshe.records.models import RecordEntry
from cunshe.reviews.exports import CANDIDATE_COLUMNS, batch_import
from cunshe.reviews.models import BatchStatus, Candidate, DepartmentReview, Outcome, ReviewBatch
from cunshe.reviews.selectors import round_metrics, round_reviews, round_totals
from cunshe.reviews.services import (
    answer_give,
    answers_clear_rest,
    batch_release,
    batch_submit,
    batch_submit_people,
    candidate_decide,
    department_review_reopen,
    department_review_sign,
)
from cunshe.reviews.tests.conftest import ReviewCounty, rows
from cunshe.reviews.work_items import reminder_stage
from cunshe.spreadsheets.layout import write_workbook

TZ = timezone.get_current_timezone()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def released(county: ReviewCounty, count: int = 3, *, when: datetime | None = None, start: int = 0) -> ReviewBatch:
    batch = batch_submit(
        actor=county.officer,
        review_round=county.review_round,
        town_code=TOWN_A,
        rows=rows(VILLAGE_A, count, start=start),
    )
    return batch_release(actor=county.organizer, batch=batch, expected_version=batch.version, now=when)


def part(batch: ReviewBatch, name: str) -> DepartmentReview:
    return DepartmentReview.objects.select_related("batch", "department").get(batch=batch, department__name=name)


def sign(county: ReviewCounty, review: DepartmentReview, when: datetime | None = None) -> DepartmentReview:
    reviewer = county.reviewers[review.department.name]
    return department_review_sign(
        actor=reviewer, review=review, conclusion="经核查，意见如上。", expected_version=review.version, now=when
    )


def sheet(records: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("联审人选", CANDIDATE_COLUMNS, records, buffer)
    buffer.seek(0)
    return buffer


# Submission and duplicate checks ------------------------------------------------------------------------------------


def test_excel_import_names_every_bad_row_and_saves_nothing(county: ReviewCounty) -> None:
    first = batch_submit(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, rows=rows(VILLAGE_A, 1)
    )
    already = first.candidates.get().id_number
    good = id_numbers.make(COUNTY, date(1990, 2, 2), 5)
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    upload = sheet(
        [
            {"name": "甲", "id_number": good, "village": VILLAGE_A},
            {"name": "乙", "id_number": bad_check, "village": VILLAGE_A},
            {"name": "丙", "id_number": good, "village": VILLAGE_A},
            {"name": "丁", "id_number": already, "village": VILLAGE_A},
            {"name": "戊", "id_number": id_numbers.make(COUNTY, date(1991, 3, 3), 7), "village": VILLAGE_B},
            {"name": "", "id_number": id_numbers.make(COUNTY, date(1992, 3, 3), 9), "village": VILLAGE_A},
        ]
    )
    with pytest.raises(DomainError) as caught:
        batch_import(actor=county.officer, review_round=county.review_round, town_code=TOWN_A, stream=upload)
    errors = caught.value.field_errors
    assert set(errors) == {"第3行", "第4行", "第5行", "第6行", "第7行"}
    assert "校验位" in errors["第3行"][0]
    assert "与第2行重复" in errors["第4行"][0]
    assert "同一人一轮只审一次" in errors["第5行"][0]
    assert "不是本乡镇(街道)的村(社区)" in errors["第6行"][0]
    assert "姓名" in errors["第7行"][0]
    assert ReviewBatch.objects.filter(round=county.review_round).count() == 1


def test_excel_import_of_a_clean_sheet_submits_the_batch(county: ReviewCounty, make_person: Any) -> None:
    known = make_person(VILLAGE_A, name="登记人员")
    upload = sheet(
        [
            {"name": "登记人员", "id_number": known.id_number, "village": VILLAGE_A, "post": "村委会主任"},
            {"name": "新人", "id_number": id_numbers.make(COUNTY, date(1990, 2, 2), 5), "village": VILLAGE_A},
        ]
    )
    report = batch_import(actor=county.officer, review_round=county.review_round, town_code=TOWN_A, stream=upload)
    batch = report.batch
    assert batch is not None and report.summary == "新增 2 人，未变 0 人"
    assert batch.candidate_count == 2 and batch.status == "submitted"
    assert [c.person_id for c in batch.candidates.order_by("position")] == [known.pk, None]
    assert RecordEntry.objects.filter(event="reviews.batch_submitted", region_id=TOWN_A).exists()


def test_the_api_gives_the_blank_sheet_and_submits_a_filled_one_like_the_page(
    county: ReviewCounty, api_as: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = api_as(county.officer)
    url = f"/api/v1/reviews/rounds/{county.review_round.pk}/batches"
    blank = python_calamine.CalamineWorkbook.from_filelike(BytesIO(api.get(f"{url}/template.xlsx").content))
    assert blank.get_sheet_by_index(0).to_python()[0][:3] == [c.header for c in CANDIDATE_COLUMNS][:3]

    good = id_numbers.make(COUNTY, date(1990, 2, 2), 5)
    wrong = sheet([{"name": "甲", "id_number": good, "village": VILLAGE_B}]).getvalue()
    refused = api.post(f"{url}/import", {"town": TOWN_A, "file": SimpleUploadedFile("c.xlsx", wrong)})
    assert refused.status_code == 400 and "第2行" in str(refused.json())
    assert not ReviewBatch.objects.filter(round=county.review_round).exists()

    right = sheet([{"name": "甲", "id_number": good, "village": VILLAGE_A}]).getvalue()
    done = api.post(f"{url}/import", {"town": TOWN_A, "title": "第一批", "file": SimpleUploadedFile("c.xlsx", right)})
    # The answer of every import (ImportReportOut) with the batch it submitted, which the client follows up.
    assert done.status_code == 201 and done.json()["created"] == 1 and done.json()["bad_rows"] == []
    batch = ReviewBatch.objects.get(round=county.review_round)
    assert done.json()["batch_id"] == batch.pk and batch.candidate_count == 1
    followed = api.get(f"/api/v1/reviews/batches/{done.json()['batch_id']}")
    assert followed.status_code == 200 and followed.json()["id"] == batch.pk


def test_nobody_is_checked_twice_in_a_round_but_again_in_the_next(county: ReviewCounty, make_person: Any) -> None:
    person = make_person(VILLAGE_A)
    batch_submit_people(actor=county.officer, review_round=county.review_round, town_code=TOWN_A, people=[person])
    with pytest.raises(DomainError, match="需要修改"):
        batch_submit_people(actor=county.officer, review_round=county.review_round, town_code=TOWN_A, people=[person])
    from cunshe.reviews.services import round_open

    replacement = round_open(
        actor=county.organizer, county_code=COUNTY, opened_on=date(2027, 3, 1), title="届中补选联审"
    )
    batch = batch_submit_people(actor=county.officer, review_round=replacement, town_code=TOWN_A, people=[person])
    assert batch.candidate_count == 1


def test_a_town_officer_cannot_submit_for_another_town(county: ReviewCounty, make_person: Any) -> None:
    with pytest.raises(Http404):
        batch_submit(actor=county.officer, review_round=county.review_round, town_code=TOWN_B, rows=rows(VILLAGE_B, 1))
    assert not ReviewBatch.objects.exists()


# Release and working-day deadlines --------------------------------------------------------------------------------


def test_release_reaches_all_departments_at_once_and_only_the_county_releases(county: ReviewCounty) -> None:
    batch = batch_submit(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, rows=rows(VILLAGE_A, 2)
    )
    from cunshe.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        batch_release(actor=county.officer, batch=batch, expected_version=batch.version)
    batch_release(actor=county.organizer, batch=batch, expected_version=batch.version)
    assert sorted(r.department.name for r in batch.departments.all()) == sorted(d.name for d in county.departments)
    assert batch.deadline_days == Decimal("2.5")
    with pytest.raises(IllegalTransition):
        batch_release(actor=county.organizer, batch=batch, expected_version=batch.version)


def test_deadline_skips_the_national_day_holiday(county: ReviewCounty) -> None:
    # Released Wednesday 30 September 2026 at 13:30: 3.5 hours that afternoon, 1-7 October are holidays, then
    # 7 hours on Thursday 8 October and the last 7 hours on Friday 9 October.
    batch = released(county, when=at(2026, 9, 30, 13, 30))
    assert timezone.localtime(batch.due_at) == at(2026, 10, 9, 17, 0)


def test_deadline_counts_the_make_up_working_saturday_and_half_days(county: ReviewCounty) -> None:
    # Released Friday 9 October at 13:30: 3.5 hours; Saturday 10 October is a make-up working day (7 hours);
    # Sunday 11 is off; the remaining 7 hours end on Monday 12 October at 17:00.
    batch = released(county, when=at(2026, 10, 9, 13, 30))
    assert timezone.localtime(batch.due_at) == at(2026, 10, 12, 17, 0)
    half = batch_submit(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, rows=rows(VILLAGE_A, 1, start=50)
    )
    batch_release(
        actor=county.organizer,
        batch=half,
        expected_version=half.version,
        deadline_days="0.5",
        now=at(2026, 10, 10, 8, 30),
    )
    assert timezone.localtime(half.due_at) == at(2026, 10, 10, 12, 0)


def test_deadline_must_be_whole_or_half_working_days(county: ReviewCounty) -> None:
    batch = batch_submit(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, rows=rows(VILLAGE_A, 1)
    )
    with pytest.raises(DomainError) as caught:
        batch_release(actor=county.organizer, batch=batch, expected_version=batch.version, deadline_days="1.3")
    assert "deadline_days" in caught.value.field_errors
    assert ReviewBatch.objects.get(pk=batch.pk).status == "submitted"


def test_reminders_before_and_at_the_deadline_and_escalation_to_the_county(county: ReviewCounty) -> None:
    batch = released(county, when=at(2026, 10, 9, 13, 30))  # due Monday 12 October 17:00
    assert reminder_stage(batch.due_at, at(2026, 10, 12, 8, 30)) == ""
    assert reminder_stage(batch.due_at, at(2026, 10, 12, 14, 0)) == "即将到期"
    assert reminder_stage(batch.due_at, at(2026, 10, 12, 17, 0)) == "已到截止时间"
    police = county.reviewers["市公安局"]
    titles = [i.title for i in work_items_for(police)]
    assert len([t for t in titles if batch.title in t]) == 1
    # The deadline lies in the past: every open department is escalated to the county's to-do list.
    escalated = [i for i in work_items_for(county.organizer) if i.title.startswith("逾期未反馈")]
    assert len(escalated) == 3 and all(i.overdue for i in escalated)
    sign_all(county, batch)
    assert not [i for i in work_items_for(county.organizer) if i.title.startswith("逾期未反馈")]
    assert not [i for i in work_items_for(police) if batch.title in i.title]


def sign_all(county: ReviewCounty, batch: ReviewBatch, when: datetime | None = None) -> None:
    for d in county.departments:
        review = part(batch, d.name)
        answers_clear_rest(actor=county.reviewers[d.name], review=review)
        sign(county, review, when)


# Answers, sign-off, reopening --------------------------------------------------------------------------------------


def test_departments_answer_in_parallel_and_each_sees_only_its_own(county: ReviewCounty) -> None:
    batch = released(county, 2)
    first = batch.candidates.order_by("position").first()
    assert first is not None
    police, court = part(batch, "市公安局"), part(batch, "市人民法院")
    answer_give(
        actor=county.reviewers["市公安局"],
        review=police,
        candidate=first,
        verdict="excluded",
        rule=county.rule("2"),
        reason="2023年受过刑事处罚",
    )
    answer_give(actor=county.reviewers["市人民法院"], review=court, candidate=first, verdict="clear")
    assert police.answers.get().verdict == "excluded" and court.answers.get().verdict == "clear"
    # A reviewer cannot answer in another department's part, even of the same batch.
    with pytest.raises(Http404):
        answer_give(actor=county.reviewers["市公安局"], review=court, candidate=first, verdict="excluded")
    assert court.answers.get().verdict == "clear"


def test_excluded_needs_a_rule_and_a_reason_doubtful_a_reason(county: ReviewCounty) -> None:
    batch = released(county, 1)
    candidate = batch.candidates.get()
    police = part(batch, "市公安局")
    reviewer = county.reviewers["市公安局"]
    with pytest.raises(DomainError) as caught:
        answer_give(actor=reviewer, review=police, candidate=candidate, verdict="excluded")
    assert set(caught.value.field_errors) == {"rule", "reason"}
    with pytest.raises(DomainError) as caught:
        answer_give(actor=reviewer, review=police, candidate=candidate, verdict="doubtful")
    assert set(caught.value.field_errors) == {"reason"}
    assert not police.answers.exists()


def test_all_clear_except_those_marked_clears_a_hundred_in_one_step(
    county: ReviewCounty, django_assert_max_num_queries: Any
) -> None:
    batch = released(county, 100)
    police = part(batch, "市公安局")
    reviewer = county.reviewers["市公安局"]
    marked = batch.candidates.order_by("position")[4]
    answer_give(actor=reviewer, review=police, candidate=marked, verdict="doubtful", reason="信访记录待核")
    with django_assert_max_num_queries(20):
        assert answers_clear_rest(actor=reviewer, review=police) == 99
    police.refresh_from_db()
    assert police.answered_count == 100
    assert police.answers.get(candidate=marked).verdict == "doubtful"


def test_only_the_head_signs_and_only_when_everyone_is_answered(county: ReviewCounty, make_user: Any) -> None:
    batch = released(county, 2)
    police = part(batch, "市公安局")
    colleague = make_user("reviewer", COUNTY, department=police.department, name="公安普通审查员")
    answers_clear_rest(actor=colleague, review=police)
    with pytest.raises(DomainError, match="负责人"):
        department_review_sign(actor=colleague, review=police, conclusion="无异常", expected_version=police.version)
    fresh = part(batch, "市人民法院")
    with pytest.raises(DomainError) as caught:
        sign(county, fresh)
    assert "answers" in caught.value.field_errors
    sign(county, police)
    assert part(batch, "市公安局").status == "signed"


def test_after_sign_off_an_answer_changes_only_through_a_recorded_reopening(county: ReviewCounty) -> None:
    batch = released(county, 1)
    candidate = batch.candidates.get()
    sign_all(county, batch)
    batch.refresh_from_db()
    assert batch.status == "completed" and Candidate.objects.get(pk=candidate.pk).result == Outcome.CLEARED
    police = part(batch, "市公安局")
    reviewer = county.reviewers["市公安局"]
    answer = police.answers.get()
    with pytest.raises(IllegalTransition):
        answer_give(
            actor=reviewer, review=police, candidate=candidate, verdict="doubtful", reason="新线索",
            expected_version=answer.version,
        )  # fmt: skip
    with pytest.raises(Http404):
        department_review_reopen(actor=reviewer, review=police, reason="想改", expected_version=police.version)
    with pytest.raises(DomainError):
        department_review_reopen(actor=county.organizer, review=police, reason="", expected_version=police.version)
    department_review_reopen(
        actor=county.organizer, review=police, reason="收到新的举报线索", expected_version=police.version
    )
    batch.refresh_from_db()
    assert batch.status == "released" and batch.signed_count == 2
    assert Candidate.objects.get(pk=candidate.pk).result == Outcome.PENDING
    assert RecordEntry.objects.filter(event="reviews.reopened", summary__contains="收到新的举报线索").exists()
    police = part(batch, "市公安局")
    with pytest.raises(ConcurrentEdit):
        answer_give(
            actor=reviewer, review=police, candidate=candidate, verdict="doubtful", reason="新线索", expected_version=0
        )
    answer_give(
        actor=reviewer, review=police, candidate=candidate, verdict="doubtful", reason="新线索",
        expected_version=answer.version,
    )  # fmt: skip
    sign(county, police)
    assert Candidate.objects.get(pk=candidate.pk).result == Outcome.DOUBTFUL


# Results --------------------------------------------------------------------------------------------------------------


def test_any_excluded_excludes_any_doubtful_goes_to_the_county(county: ReviewCounty) -> None:
    batch = released(county, 3)
    excluded, doubtful, clear = list(batch.candidates.order_by("position"))
    police, court = part(batch, "市公安局"), part(batch, "市人民法院")
    answer_give(
        actor=county.reviewers["市公安局"], review=police, candidate=excluded, verdict="excluded",
        rule=county.rule("2"), reason="受过刑事处罚",
    )  # fmt: skip
    answer_give(
        actor=county.reviewers["市公安局"], review=police, candidate=doubtful, verdict="doubtful", reason="待核"
    )
    answer_give(
        actor=county.reviewers["市人民法院"], review=court, candidate=excluded, verdict="doubtful", reason="待核"
    )
    for d in county.departments[:2]:
        answers_clear_rest(actor=county.reviewers[d.name], review=part(batch, d.name))
        sign(county, part(batch, d.name))
    # One department has not answered: everybody is still pending.
    assert set(Candidate.objects.filter(batch=batch).values_list("result", flat=True)) == {Outcome.PENDING}
    last = part(batch, "市纪委监委")
    answers_clear_rest(actor=county.reviewers["市纪委监委"], review=last)
    sign(county, last)
    results = dict(Candidate.objects.filter(batch=batch).values_list("pk", "result"))
    assert results == {excluded.pk: "excluded", doubtful.pk: "doubtful", clear.pk: "cleared"}
    batch.refresh_from_db()
    assert (batch.cleared_count, batch.excluded_count, batch.doubtful_count) == (1, 1, 1)
    decided = Candidate.objects.get(pk=doubtful.pk)
    with pytest.raises(Http404):  # a reviewer has no way to the county's decision
        candidate_decide(
            actor=county.reviewers["市公安局"], candidate=decided, decision="cleared", reason="x", expected_version=1
        )
    with pytest.raises(IllegalTransition):
        clear_one = Candidate.objects.get(pk=clear.pk)
        candidate_decide(
            actor=county.organizer, candidate=clear_one, decision="excluded", reason="x", expected_version=1
        )
    candidate_decide(
        actor=county.organizer, candidate=decided, decision="cleared", reason="经核实线索不实", expected_version=1
    )
    batch.refresh_from_db()
    assert (batch.cleared_count, batch.excluded_count, batch.doubtful_count) == (2, 1, 0)
    assert Candidate.objects.get(pk=doubtful.pk).outcome == "cleared"
    # A decision can be revised (on record); the roll-up follows, and repeating one changes nothing.
    for decision in ("excluded", "excluded"):
        again = Candidate.objects.get(pk=doubtful.pk)
        candidate_decide(
            actor=county.organizer,
            candidate=again,
            decision=decision,
            reason="补充材料",
            expected_version=again.version,
        )
    batch.refresh_from_db()
    assert (batch.cleared_count, batch.excluded_count, batch.doubtful_count) == (1, 2, 0)
    assert RecordEntry.objects.filter(event="reviews.decided").count() == 3


# Metrics ----------------------------------------------------------------------------------------------------------------


def test_turnaround_in_working_hours_with_median_and_90th_percentile(county: ReviewCounty) -> None:
    batch = released(county, 2, when=at(2026, 9, 30, 13, 30))
    # Police answers in 2 working hours; court on 8 October at 10:30 (3.5 + 2 = 5.5 h); discipline at 16:30 (10 h).
    for d, when in zip(
        county.departments, [at(2026, 9, 30, 15, 30), at(2026, 10, 8, 10, 30), at(2026, 10, 8, 16, 30)], strict=True
    ):
        review = part(batch, d.name)
        answers_clear_rest(actor=county.reviewers[d.name], review=review)
        sign(county, review, when)
    batch.refresh_from_db()
    assert batch.turnaround_minutes == 600
    batches = ReviewBatch.objects.filter(round=county.review_round)
    metrics = round_metrics(round_reviews(county.organizer, county.review_round), batches)
    hours = {d.name: (d.median_hours, d.p90_hours) for d in metrics.departments}
    assert hours == {"市公安局": (2.0, 2.0), "市人民法院": (5.5, 5.5), "市纪委监委": (10.0, 10.0)}
    assert (metrics.batch_median_hours, metrics.batch_p90_hours) == (10.0, 10.0)
    assert (metrics.paper_min_hours, metrics.paper_max_hours) == (21.0, 49.0)
    totals = round_totals(batches)
    assert (totals.candidates, totals.cleared, totals.pending) == (2, 2, 0)


def test_a_batch_is_done_at_its_latest_signature_even_when_entered_out_of_order(county: ReviewCounty) -> None:
    batch = released(county, 1, when=at(2026, 10, 12, 8, 30))
    times = [at(2026, 10, 12, 16, 30), at(2026, 10, 12, 9, 30), at(2026, 10, 12, 10, 30)]
    for d, when in zip(county.departments, times, strict=True):
        review = part(batch, d.name)
        answers_clear_rest(actor=county.reviewers[d.name], review=review)
        sign(county, review, when)
    batch.refresh_from_db()
    assert timezone.localtime(batch.completed_at) == at(2026, 10, 12, 16, 30)
    assert batch.turnaround_minutes == 6 * 60 + 30  # 08:30-12:00 and 13:30-16:30


def test_an_exclusion_goes_on_the_negative_list_and_the_pool_shows_the_outcome(
    county: ReviewCounty, make_person: Any
) -> None:
    from cunshe.negativelist.models import NegativeEntry
    from cunshe.reviews.selectors import latest_outcomes
    from cunshe.reviews.services import batch_submit_people
    from cunshe.termchanges.services import term_change_open

    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    barred, fine = make_person(VILLAGE_A, name="有前科者"), make_person(VILLAGE_A, name="清白者")
    batch = batch_submit_people(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, people=[barred, fine]
    )
    batch = batch_release(actor=county.organizer, batch=batch, expected_version=batch.version)
    police = part(batch, "市公安局")
    candidate = batch.candidates.get(person=barred)
    answer_give(
        actor=county.reviewers["市公安局"], review=police, candidate=candidate, verdict="excluded",
        rule=county.rule("2"), reason="2019年受过刑事处罚",
    )  # fmt: skip
    assert not NegativeEntry.objects.filter(person=barred).exists()  # nothing before every department has signed
    sign_all(county, batch)
    entry = NegativeEntry.objects.get(person=barred)
    assert (entry.rule.code, entry.state, entry.details) == ("2", "confirmed", "2019年受过刑事处罚")
    assert entry.source_detail == "联审：市公安局"
    assert not NegativeEntry.objects.filter(person=fine).exists()
    assert latest_outcomes([barred.pk, fine.pk]) == {barred.pk: "不通过", fine.pk: "通过"}


def test_a_completed_batch_cannot_be_released_again(county: ReviewCounty, api_as: Any) -> None:
    """Issue 14, item 18: the table lets a completed batch reopen to 审查中, and release used that move, so a second
    release opened a second review per department and answered 500 on the unique constraint."""
    batch = released(county, 1)
    sign_all(county, batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMPLETED
    with pytest.raises(IllegalTransition, match="不能再次发布"):
        batch_release(actor=county.organizer, batch=batch, expected_version=batch.version)
    answer = api_as(county.organizer).post(
        f"/api/v1/reviews/batches/{batch.pk}/release", {"version": batch.version}, content_type="application/json"
    )
    assert answer.status_code == 409 and "不能再次发布" in answer.json()["message"]
    assert DepartmentReview.objects.filter(batch=batch).count() == len(county.departments)


def test_person_ids_too_large_for_the_database_are_a_422(county: ReviewCounty, api_as: Any) -> None:
    """Issue 14, item 18: [1e31] reached the database as an integer it cannot hold (OverflowError, 500)."""
    for number in (b"1e31", b"10000000000000000000000000000000"):
        answer = api_as(county.officer).post(
            f"/api/v1/reviews/rounds/{county.review_round.pk}/batches",
            b'{"town": "' + TOWN_A.encode() + b'", "person_ids": [' + number + b"]}",
            content_type="application/json",
        )
        assert answer.status_code == 422 and "person_ids.0" in answer.json()["errors"]
    assert not ReviewBatch.objects.exists()
