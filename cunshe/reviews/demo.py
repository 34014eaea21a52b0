"""The demo county's joint review: a reviewer (and head) for each of its seventeen departments (seed 004's fifteen and
the finance and audit bureaus, which also sit on a leader handover's supervising group), one round of the 2026
term change with a finished batch from 黛溪街道 (one 不通过, one 存疑), a batch from 黄山街道 under review, and a
batch waiting for release. Reviewer accounts print the demo password; `gongan` heads 市公安局."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cunshe.access.roles import Role
from cunshe.accounts.models import Department, User
from cunshe.accounts.services import role_assign
from cunshe.core.actors import SYSTEM
from cunshe.deadlines.calendar import is_workday
from cunshe.demo.county import TOWN_A, TOWN_B, demo_account
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.people.models import Person
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.reviews.models import DepartmentHead, DepartmentReview, ReviewRound
from cunshe.reviews.services import (
    answer_give,
    answers_clear_rest,
    batch_release,
    batch_submit_people,
    department_head_set,
    department_review_sign,
    departments_install_defaults,
    round_open,
)


def _last_workday_before(day: date) -> date:
    day -= timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed)
    # Drawn before any early return, so a second run draws the same values and changes nothing.
    picks = {town: rng.sample(range(60), 8) for town in (TOWN_A, TOWN_B)}
    answer_minutes = [rng.randint(60, 900) for _ in range(15)]
    departments_install_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    departments = list(Department.objects.filter(county_id=DEMO_COUNTY, is_active=True).order_by("name"))
    for n, department in enumerate(departments, start=1):
        _ensure_head(department, n)
    if ReviewRound.objects.filter(county_id=DEMO_COUNTY).exists():
        return
    review_round = round_open(actor=SYSTEM, county_code=DEMO_COUNTY, opened_on=date(2026, 10, 20))
    people = {
        town: list(Person.objects.filter(region__startswith=town).order_by("region", "id")[:60]) for town in picks
    }
    batches = {}
    for town, indexes in picks.items():
        chosen = [people[town][i] for i in indexes if i < len(people[town])]
        if chosen:
            batches[town] = batch_submit_people(
                actor=SYSTEM, review_round=review_round, town_code=town, people=chosen, post="村“两委”成员人选"
            )
    tz = timezone.get_current_timezone()
    start = datetime.combine(_last_workday_before(timezone.localdate() - timedelta(days=3)), time(9, 0), tz)
    rules = {r.code: r for r in ExclusionRule.objects.filter(county_id=DEMO_COUNTY)}
    if TOWN_A in batches:
        done = batch_release(actor=SYSTEM, batch=batches[TOWN_A], expected_version=1, now=start)
        first, second = list(done.candidates.order_by("position"))[:2]
        for n, review in enumerate(DepartmentReview.objects.filter(batch=done).select_related("department")):
            if review.department.name == "市公安局" and "2" in rules:
                answer_give(
                    actor=SYSTEM,
                    review=review,
                    candidate=first,
                    verdict="excluded",
                    rule=rules["2"],
                    reason="2022年因寻衅滋事被判处有期徒刑一年（演示数据）",
                )
            if review.department.name == "市信访局":
                answer_give(
                    actor=SYSTEM, review=review, candidate=second, verdict="doubtful", reason="近三年有信访记录，待核实"
                )
            answers_clear_rest(actor=SYSTEM, review=review)
            signed_at = start + timedelta(minutes=answer_minutes[n % len(answer_minutes)])
            department_review_sign(
                actor=SYSTEM,
                review=review,
                conclusion=f"经查询本单位系统，{done.title}意见如上。",
                expected_version=review.version,
                now=signed_at,
            )
    if TOWN_B in batches:
        running = batch_release(actor=SYSTEM, batch=batches[TOWN_B], expected_version=1, now=timezone.now())
        for review in DepartmentReview.objects.filter(batch=running).order_by("department__name")[:6]:
            answers_clear_rest(actor=SYSTEM, review=review)


def _ensure_head(department: Department, n: int) -> None:
    """Each department gets a reviewer who heads it; 市公安局 keeps the demo's `gongan` account."""
    if DepartmentHead.objects.filter(department=department).exists():
        return
    user = User.objects.filter(role_assignments__department=department, role_assignments__is_active=True).first()
    if user is None:
        user, _ = demo_account(
            username=f"lianshen{n:02d}", display_name=f"{department.name}审查员", region_code=DEMO_COUNTY
        )
        role_assign(actor=SYSTEM, user=user, role=Role.REVIEWER, region_code=DEMO_COUNTY, department=department)
    department_head_set(actor=SYSTEM, department=department, user=user)
