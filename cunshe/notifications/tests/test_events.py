"""Events from the modules reach the right people through notify(), after commit; the sweep and 催办."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, new_person
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.counts.services import sheet_enter
from cunshe.counts.tests.factories import sheet_data, voting_election
from cunshe.elections.tests.factories import open_election
from cunshe.notifications.models import Kind, Notification, Reminder
from cunshe.notifications.services import notifications_sweep, reminder_send
from cunshe.records.models import RecordEntry
from cunshe.reviews.models import DepartmentReview
from cunshe.reviews.services import batch_release, batch_submit
from cunshe.reviews.tests.conftest import ReviewCounty, county, rows  # noqa: F401 (the county fixture)
from cunshe.termchanges.services import term_change_open
from cunshe.voters.models import Route
from cunshe.voters.services import objection_file, register_build, register_publish

TZ = timezone.get_current_timezone()


def kinds(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_objection_reaches_the_towns_officers_after_commit(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = make_user("town_officer", TOWN_A, name="受理人")
    colleague = make_user("town_officer", TOWN_A, name="同事")
    other_town = make_user("town_officer", TOWN_B)
    organizer = make_user("county_organizer", COUNTY)
    new_person(birth_date=date(1980, 1, 1))
    missing = new_person("371681001214", name="漏登者", birth_date=date(1980, 1, 1))
    election = open_election()
    register = register_build(actor=SYSTEM, election=election, on=date(2026, 9, 20)).register
    register_publish(actor=officer, register=register, on=date(2026, 9, 28), expected_version=register.version)
    with django_capture_on_commit_callbacks(execute=True):
        objection_file(
            actor=officer, register=register, person=missing, claim="add", filed_by="漏登者",
            filed_on=date(2026, 10, 8), grounds="常住本村两年", route=Route.NON_HUKOU,
        )  # fmt: skip
    # The town's officers but the one who entered it; not the county (the town has people), not another town.
    assert kinds(colleague) == [Kind.OBJECTION_FILED]
    assert kinds(officer) == kinds(other_town) == kinds(organizer) == []
    n = Notification.objects.get(recipient=colleague)
    assert n.url == reverse("voters:register", kwargs={"pk": register.pk}) and n.county_code == COUNTY
    assert "漏登者" not in n.title and "漏登者" in n.body  # the name stays in the app


def test_a_refused_objection_notifies_nobody(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    colleague = make_user("town_officer", TOWN_A)
    person = new_person(birth_date=date(1980, 1, 1))
    election = open_election()
    register = register_build(actor=SYSTEM, election=election, on=date(2026, 9, 20)).register
    register_publish(actor=officer, register=register, on=date(2026, 9, 28), expected_version=register.version)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        objection_file(
            actor=officer, register=register, person=person, claim="add", filed_by="某人",
            filed_on=date(2026, 10, 20), grounds="迟交", route=Route.NON_HUKOU,
        )  # fmt: skip
    assert kinds(colleague) == []


def test_differing_count_entries_reach_the_settlers(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    cadre1, cadre2 = make_user("village_cadre", VILLAGE_A), make_user("village_cadre", VILLAGE_A)
    officer = make_user("town_officer", TOWN_A)
    c = voting_election()
    box = c["stations"][0]
    with django_capture_on_commit_callbacks(execute=True):
        sheet_enter(actor=cadre1, election=c["election"], station=box, data=sheet_data(c, d1=3, d2=2, m1=3, m2=1, m3=1))
    assert kinds(officer) == []  # one entry is not a difference
    with django_capture_on_commit_callbacks(execute=True):
        sheet = sheet_enter(
            actor=cadre2, election=c["election"], station=box, data=sheet_data(c, d1=2, d2=3, m1=3, m2=1, m3=1)
        )
    assert kinds(officer) == [Kind.COUNT_DIFFERS] and kinds(cadre1) == []
    assert Notification.objects.get(recipient=officer).url == reverse("counts:sheet", kwargs={"pk": sheet.pk})


def test_a_released_batch_reaches_each_departments_reviewers(
    county: ReviewCounty,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    batch = batch_submit(
        actor=county.officer, review_round=county.review_round, town_code=TOWN_A, rows=rows(VILLAGE_A, 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch_release(actor=county.organizer, batch=batch, expected_version=batch.version)
    for department in county.departments:
        reviewer = county.reviewers[department.name]
        n = Notification.objects.get(recipient=reviewer)
        review = DepartmentReview.objects.get(batch=batch, department=department)
        assert n.kind == Kind.BATCH_RELEASED and n.url == reverse("reviews:desk_batch", kwargs={"pk": review.pk})
        assert "人选" not in n.title  # no candidate's name leaves the confidential channel
    assert kinds(county.organizer) == kinds(county.officer) == []


def _term_change(due: date) -> Any:
    return term_change_open(
        actor=SYSTEM,
        county_code=COUNTY,
        year=2026,
        opened_on=date(2026, 9, 1),
        milestones=[("走访摸底", date(2026, 10, 9)), ("联审", due), ("选举", date(2026, 12, 30))],
    )


def test_the_sweep_notifies_soon_and_overdue_items_once(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", VILLAGE_A)  # milestones are not on a village cadre's list
    _term_change(date(2026, 10, 14))
    # Wednesday 14 October, 16:00: the milestone due at the end of today is within half a working day.
    now = datetime(2026, 10, 14, 16, tzinfo=TZ)
    assert notifications_sweep(now=now) == 2
    assert kinds(officer) == [Kind.DEADLINE_SOON, Kind.OVERDUE] and kinds(cadre) == []
    assert notifications_sweep(now=now) == 0  # idempotent
    assert Notification.objects.filter(recipient=officer).count() == 2
    # The next morning the same milestone is overdue: a new kind, once.
    later = datetime(2026, 10, 15, 9, tzinfo=TZ)
    assert notifications_sweep(now=later) == 1
    assert notifications_sweep(now=later) == 0
    assert kinds(officer) == [Kind.DEADLINE_SOON, Kind.OVERDUE, Kind.OVERDUE]


def test_the_morning_of_the_deadline_is_not_yet_soon(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    _term_change(date(2026, 10, 14))
    assert notifications_sweep(now=datetime(2026, 10, 14, 9, tzinfo=TZ)) == 1  # only the overdue one
    assert kinds(officer) == [Kind.OVERDUE]


def test_a_reminder_reaches_the_person_responsible_and_is_recorded(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = make_user("town_officer", TOWN_A, name="催办人")
    colleague = make_user("town_officer", TOWN_A, name="责任人")
    tc = _term_change(date(2026, 10, 14))
    url = reverse("termchanges:detail", kwargs={"pk": tc.pk})
    with django_capture_on_commit_callbacks(execute=True):
        reminder = reminder_send(actor=officer, recipient=colleague, item_url=url, note="请本周内完成")
    assert reminder.region_id == TOWN_A
    n = Notification.objects.get(recipient=colleague, kind=Kind.REMINDER)
    assert n.url == url and "催办人" in n.body and "请本周内完成" in n.body
    entry = RecordEntry.objects.get(event="notifications.reminded")
    assert entry.region_id == TOWN_A and "责任人" in entry.summary


def test_reminders_are_refused_where_they_do_not_belong(make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    colleague = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    other_town = make_user("town_officer", TOWN_B)
    tc = _term_change(date(2026, 10, 14))
    url = reverse("termchanges:detail", kwargs={"pk": tc.pk})
    with pytest.raises(NotPermitted):  # a village cadre does not send 催办
        reminder_send(actor=cadre, recipient=colleague, item_url=url)
    with pytest.raises(NotPermitted):
        reminder_send(actor=SYSTEM, recipient=colleague, item_url=url)
    with pytest.raises(Http404):  # another town's officer is not under mine
        reminder_send(actor=officer, recipient=other_town, item_url=url)
    with pytest.raises(DomainError, match="责任人"):  # the cadre's list does not hold the milestone
        reminder_send(actor=officer, recipient=cadre, item_url=url)
    with pytest.raises(DomainError, match="不在您的逾期事项"):
        reminder_send(actor=officer, recipient=colleague, item_url="/elsewhere/")
    assert not Reminder.objects.exists() and not RecordEntry.objects.filter(event="notifications.reminded").exists()
