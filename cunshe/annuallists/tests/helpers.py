"""A village with a new team (certified committee election) and its new-term household visit round, through the
services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cunshe.annuallists.models import AnnualList, VisitRound
from cunshe.annuallists.services import (
    goal_add,
    item_add,
    list_draft,
    list_pledge,
    list_review,
    list_submit,
    round_open,
    round_visit_record,
)
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.tests.helpers import DAY, certified

OPENED = DAY + timedelta(days=1)
YEAR = 2027


def visited(village: str, make_person: Any, *, households: int = 3, visits: int = 3) -> VisitRound:
    certified(village, make_person)
    r = round_open(actor=SYSTEM, village_code=village, opened_on=OPENED, households=households)
    for n in range(visits):
        round_visit_record(
            actor=SYSTEM,
            visit_round=r,
            household=f"户主{n}",
            visited_on=OPENED + timedelta(days=n),
            visitors="村党支部书记",
            opinion=f"希望硬化第{n}条生产路",
        )
    return VisitRound.objects.get(pk=r.pk)


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("主题党日.jpg", b"\xff\xd8\xff\xe0 photo", content_type="image/jpeg")


def approved(village: str, make_person: Any, *, drafted_on: date | None = None) -> AnnualList:
    r = visited(village, make_person)
    a = list_draft(actor=SYSTEM, village_code=village, year=YEAR, drafted_on=drafted_on or r.reached_on)
    item_add(
        actor=SYSTEM,
        annual_list=a,
        title="硬化东西两条生产路",
        responsible="村委会主任",
        due_on=date(YEAR, 6, 30),
        answers=list(r.visits.values_list("pk", flat=True)[:2]),
        expected_version=a.version,
    )
    a.refresh_from_db()
    goal_add(
        actor=SYSTEM,
        annual_list=a,
        area="economy",
        goal="发展集体经济，年收入达到20万元",
        milestones=[{"year": YEAR, "text": "成立合作社"}, {"year": YEAR + 1, "text": "收入10万元"}],
        expected_version=a.version,
    )
    a.refresh_from_db()
    a = list_submit(actor=SYSTEM, annual_list=a, expected_version=a.version)
    return list_review(actor=SYSTEM, annual_list=a, approve=True, reviewed_on=a.drafted_on, expected_version=a.version)


def public(village: str, make_person: Any) -> AnnualList:
    a = approved(village, make_person)
    return list_pledge(
        actor=SYSTEM,
        annual_list=a,
        pledged_on=a.drafted_on,
        place="村党群服务中心",
        attendance=42,
        evidence=photo(),
        expected_version=a.version,
    )
