from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.notifications.models import Notification
from cunshe.records.models import RecordEntry
from cunshe.requests import hooks
from cunshe.requests.exports import HOTLINE_COLUMNS, hotline_import
from cunshe.requests.models import DayTally, Request, Status, VillageTally
from cunshe.requests.services import (
    PUBLIC_PER_CLIENT_HOUR,
    compute_due,
    request_answer,
    request_answer_record,
    request_assign,
    request_close,
    request_merge,
    request_start,
    request_submit_public,
    template_create,
    tier_limit_set,
)
from cunshe.requests.tests.helpers import at, categories, file_request
from cunshe.spreadsheets.layout import write_workbook

pytestmark = pytest.mark.django_db


def test_time_limits_default_to_the_rules_and_count_working_days_across_new_year(zouping: Any) -> None:
    # Thursday 2026-12-31 at 10:00: 2027-01-01 (Friday) is a holiday, the weekend follows; 7 working days of
    # working time run to Monday 2027-01-11 at 10:00 (31 Dec afternoon .. 11 Jan morning).
    start = at(2026, 12, 31, 10, 0)
    assert compute_due(start, "371681", "emergency") == at(2026, 12, 31, 12, 0)
    assert compute_due(start, "371681", "urgent") == at(2027, 1, 1, 10, 0)  # hours run on the clock
    assert compute_due(start, "371681", "general") == at(2027, 1, 12, 10, 0)
    # the county sets its own limit from a date: general 5 working days
    tier_limit_set(actor=SYSTEM, county_code="371681", tier="general", amount="5", unit="working_days",
                   valid_from=date(2026, 12, 1))  # fmt: skip
    assert compute_due(start, "371681", "general") == at(2027, 1, 8, 10, 0)
    assert compute_due(at(2026, 11, 30, 10, 0), "371681", "general") == at(2026, 12, 9, 10, 0)  # before: 7 days


def test_spring_festival_2027_pushes_a_complex_request_past_the_holiday(zouping: Any) -> None:
    # 春节 2027: 2-6 .. 2-13 off (Feb 6 is the eve); filed Friday 2027-02-05 at 09:00, 15 working days.
    due = compute_due(at(2027, 2, 5, 9, 0), "371681", "complex")
    assert due.date() > date(2027, 2, 26)
    calendar_due = compute_due(at(2027, 3, 5, 9, 0), "371681", "complex")  # the same count without a holiday
    assert (calendar_due.date() - date(2027, 3, 5)).days < (due.date() - date(2027, 2, 5)).days


def test_limit_settings_are_checked(zouping: Any, make_user: Any) -> None:
    with pytest.raises(DomainError) as err:
        tier_limit_set(actor=SYSTEM, county_code="371681", tier="general", amount="2.5", unit="hours",
                       valid_from=date(2026, 12, 1))  # fmt: skip
    assert "amount" in err.value.field_errors
    officer = make_user("town_officer", TOWN_A)
    with pytest.raises(NotPermitted):
        tier_limit_set(actor=officer, county_code="371681", tier="general", amount="3", unit="working_days",
                       valid_from=date(2026, 12, 1))  # fmt: skip


def test_categories_route_to_village_town_or_department(zouping: Any) -> None:
    village_one = file_request(VILLAGE_A)
    town_one = file_request(VILLAGE_A, category="water", title="停水三天")
    dept_one = file_request(VILLAGE_A, category="building", title="危房")
    assert (village_one.route, village_one.tier) == ("village", "general")
    assert (town_one.route, town_one.tier) == ("town", "urgent")
    assert dept_one.route == "department" and dept_one.department is not None and dept_one.tier == "complex"
    assert village_one.public and not file_request(VILLAGE_A, category="dispute", title="纠纷").public


def test_the_public_files_without_an_account_and_the_guard_stops_a_flood(zouping: Any) -> None:
    categories()
    first = request_submit_public(
        village_code=VILLAGE_A, category_code="road", title="路灯不亮", description="西头路灯坏了", client_key="k1"
    )
    assert first.channel == "public" and first.reporter_phone == "" and first.status == Status.SUBMITTED
    for n in range(PUBLIC_PER_CLIENT_HOUR - 1):
        request_submit_public(
            village_code=VILLAGE_A, category_code="road", title=f"路灯{n}", description="坏了", client_key="k1"
        )
    with pytest.raises(DomainError, match="过于频繁"):
        request_submit_public(
            village_code=VILLAGE_A, category_code="road", title="又一条", description="坏了", client_key="k1"
        )
    other = request_submit_public(
        village_code=VILLAGE_A, category_code="road", title="另一人", description="坏了", client_key="k2"
    )
    assert other.pk
    with pytest.raises(DomainError) as err:
        request_submit_public(village_code=VILLAGE_A, category_code="nope", title="", description="", client_key="k3")
    assert {"category", "title", "description"} <= set(err.value.field_errors)
    # nothing in the record book names the resident
    entry = RecordEntry.objects.filter(event="requests.filed").order_by("-seq").first()
    assert entry is not None and "王" not in str(entry.after) and "138" not in str(entry.after)


def test_staff_enter_only_in_their_regions(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    assert file_request(VILLAGE_A, actor=officer).channel == "visit"
    with pytest.raises(Http404):
        file_request(VILLAGE_B, actor=officer)
    supervisor = make_user("discipline_supervisor", TOWN_A)
    with pytest.raises(NotPermitted):
        file_request(VILLAGE_A, actor=supervisor)


def test_a_department_sees_only_what_is_routed_to_it(zouping: Any, make_user: Any) -> None:
    from cunshe.requests.permissions import request_policy

    dept_one = file_request(VILLAGE_A, category="building", title="危房")
    road = file_request(VILLAGE_A)
    assert dept_one.department is not None
    reviewer = make_user("reviewer", "371681", department=dept_one.department)
    assert list(request_policy.visible_to(reviewer)) == [dept_one]
    assert request_policy.can(reviewer, "handle", dept_one) and not request_policy.can(reviewer, "view", road)
    started = request_assign(actor=reviewer, request=dept_one, assignee_id=reviewer.pk, expected_version=1)
    assert started.assignee == reviewer
    with pytest.raises(Http404):
        request_assign(actor=reviewer, request=road, assignee_id=reviewer.pk, expected_version=1)


def test_assign_notifies_the_assignee_and_the_pipeline_moves_by_the_table(
    zouping: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    stranger = make_user("village_cadre", VILLAGE_B)
    r = file_request(VILLAGE_A, actor=officer)
    with pytest.raises(DomainError) as err:
        request_assign(actor=officer, request=r, assignee_id=stranger.pk, expected_version=1)
    assert "assignee" in err.value.field_errors
    with pytest.raises(IllegalTransition):
        request_close(actor=officer, request=r, note="已修", expected_version=1)
    with django_capture_on_commit_callbacks(execute=True):
        r = request_assign(actor=officer, request=r, assignee_id=cadre.pk, note="请尽快处理", expected_version=1)
    n = Notification.objects.get(recipient=cadre)
    assert n.kind == "request_assigned" and r.number in n.title and n.url.endswith(f"/requests/{r.pk}/")
    with pytest.raises(ConcurrentEdit):
        request_start(actor=cadre, request=r, expected_version=1)
    r = request_start(actor=cadre, request=r, expected_version=r.version)
    # a team must be one of the village's service teams (the team side is in test_team_orders.py)
    with pytest.raises(DomainError) as err:
        request_assign(actor=officer, request=r, team_id=7, expected_version=r.version)
    assert "team" in err.value.field_errors


def test_closed_is_not_solved_and_a_dispute_reopens(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    template = template_create(actor=SYSTEM, county_code="371681", title="已修复", text="经现场核实，已修复。")
    r = file_request(VILLAGE_A, actor=officer, submitted_at=at(2026, 11, 20, 9, 0))
    r = request_assign(actor=officer, request=r, assignee_id=officer.pk, expected_version=1)
    r = request_close(actor=officer, request=r, template_id=template.pk, note="更换井盖", expected_version=r.version)
    assert r.closing_note == "经现场核实，已修复。　更换井盖" and r.answer_solved is None
    tally = VillageTally.objects.get(village_id=VILLAGE_A)
    assert (tally.open, tally.closed) == (0, 1)
    old_due = r.due_at
    r = request_answer(token=r.token, solved=False, satisfaction=2, comment="还是坑")
    assert r.status == Status.REOPENED and r.reopen_count == 1 and r.due_at > old_due and r.closed_at is None
    with pytest.raises(DomainError, match="办结后"):
        request_answer(token=r.token, solved=True)
    tally.refresh_from_db()
    assert (tally.open, tally.closed, tally.reopened, tally.rated, tally.satisfaction_sum) == (1, 0, 1, 1, 2)
    assert tally.overdue == 0  # the reopened request runs on its fresh limit
    solved: list[int] = []
    hooks.register_solved_hook(lambda req: solved.append(req.pk), name="test")
    try:
        r = request_close(actor=officer, request=r, note="重新铺设路面", expected_version=r.version)
        r = request_answer_record(actor=officer, request=r, solved=True, satisfaction=5, expected_version=r.version)
    finally:
        hooks.unregister_solved_hook("test")
    assert solved == [r.pk] and r.status == Status.CLOSED and r.answer_satisfaction == 5
    with pytest.raises(DomainError, match="已评价"):
        request_answer(token=r.token, solved=False)
    assert sum(d.reopened for d in DayTally.objects.filter(village_id=VILLAGE_A)) == 1


def test_no_phone_means_no_follow_up_call(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    r = file_request(VILLAGE_A, actor=officer, reporter_name="", reporter_phone="")
    r = request_assign(actor=officer, request=r, assignee_id=officer.pk, expected_version=1)
    r = request_close(actor=officer, request=r, note="已处理", expected_version=r.version)
    with pytest.raises(DomainError, match="无法回访"):
        request_answer_record(actor=officer, request=r, solved=True, expected_version=r.version)
    assert request_answer(token=r.token, solved=True, satisfaction=4).answer_solved is True


def test_a_duplicate_is_merged_and_keeps_its_history(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    original = file_request(VILLAGE_A, actor=officer)
    dup = file_request(VILLAGE_A, actor=officer, title="村口有坑")
    other_town = file_request(VILLAGE_B)
    with pytest.raises(DomainError):
        request_merge(actor=officer, request=dup, original_id=other_town.pk, expected_version=1)
    with pytest.raises(DomainError):
        request_merge(actor=officer, request=dup, original_id=dup.pk, expected_version=1)
    dup = request_merge(actor=officer, request=dup, original_id=original.pk, expected_version=1)
    assert dup.status == Status.MERGED and dup.duplicate_of == original
    assert [e.what for e in dup.events.all()] == ["受理", "合并"]
    assert original.events.filter(what="合并").exists()
    assert VillageTally.objects.get(village_id=VILLAGE_A).open == 1
    with pytest.raises(IllegalTransition):
        request_assign(actor=officer, request=dup, assignee_id=officer.pk, expected_version=dup.version)


def _sheet(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("12345工单", HOTLINE_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def _order(number: str, village: str = VILLAGE_A, **more: Any) -> dict[str, Any]:
    return {
        "work_order_no": number,
        "submitted_at": "2026-11-20 09:30",
        "village": village,
        "category": "road",
        "tier": "一般",
        "title": "路面破损",
        "description": "12345 转办：路面破损",
        "address": "",
        "reporter_name": "",
        "reporter_phone": "13900000002",
        **more,
    }


def test_hotline_import_is_all_or_nothing_and_idempotent(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    categories()
    with pytest.raises(DomainError) as err:
        hotline_import(
            actor=officer,
            region_code=TOWN_A,
            stream=_sheet([_order("GD001"), _order("GD002", village=VILLAGE_B), _order("GD003", category="x")]),
        )
    assert set(err.value.field_errors) == {"第 3 行", "第 4 行"}
    assert not Request.objects.exists()
    report = hotline_import(actor=officer, region_code=TOWN_A, stream=_sheet([_order("GD001"), _order("GD002")]))
    assert (report.created, report.unchanged) == (2, 0)
    again = hotline_import(actor=officer, region_code=TOWN_A, stream=_sheet([_order("GD001"), _order("GD002")]))
    assert (again.created, again.unchanged) == (0, 2) and Request.objects.count() == 2
    r = Request.objects.get(work_order_no="GD001")
    assert r.channel == "hotline" and r.submitted_at == at(2026, 11, 20, 9, 30)
    with pytest.raises(Http404):
        hotline_import(actor=officer, region_code=TOWN_B, stream=_sheet([_order("GD009", village=VILLAGE_B)]))


def test_photos_must_be_images(zouping: Any, make_user: Any, tmp_path: Any, settings: Any) -> None:
    from PIL import Image

    from cunshe.requests.services import photo_add

    settings.MEDIA_ROOT = tmp_path
    officer = make_user("town_officer", TOWN_A)
    r = file_request(VILLAGE_A, actor=officer)
    with pytest.raises(DomainError, match="JPEG"):
        photo_add(actor=officer, request=r, upload=SimpleUploadedFile("a.jpg", b"not an image"))
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    photo = photo_add(actor=officer, request=r, upload=SimpleUploadedFile("a.jpg", buffer.getvalue()))
    assert str(photo.image.name).startswith(f"requests/{VILLAGE_A}/")


def test_overdue_counts_move_with_the_date(zouping: Any, make_user: Any) -> None:
    from cunshe.requests.services import daily_snapshot

    r = file_request(VILLAGE_A, submitted_at=at(2026, 11, 10, 9, 0))  # general, 7 working days: late by now
    assert VillageTally.objects.get(village_id=VILLAGE_A).overdue == 1
    Request.objects.filter(pk=r.pk).update(due_at=at(2099, 1, 1, 0, 0))
    daily_snapshot(timezone.localdate())
    assert VillageTally.objects.get(village_id=VILLAGE_A).overdue == 0
    assert Decimal(1)  # keeps the import used
