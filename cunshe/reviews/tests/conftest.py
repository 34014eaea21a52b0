"""A county ready for joint review: three departments with a reviewer each (the reviewer is the head), the ten
exclusions installed, an organizer, a town officer of 黛溪街道, and an open round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A
from cunshe.accounts.models import Department, User
from cunshe.accounts.services import department_create
from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.people import id_numbers
from cunshe.reviews.models import ReviewRound
from cunshe.reviews.services import CandidateRow, department_head_set, round_open


@dataclass
class ReviewCounty:
    organizer: User
    officer: User
    departments: list[Department]
    reviewers: dict[str, User]  # by department name
    review_round: ReviewRound

    def rule(self, code: str) -> ExclusionRule:
        return ExclusionRule.objects.get(county_id=COUNTY, code=code)


@pytest.fixture
def county(make_user: Any) -> ReviewCounty:
    names = ["市公安局", "市人民法院", "市纪委监委"]
    departments = [department_create(actor=SYSTEM, county_code=COUNTY, name=n) for n in names]
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    reviewers = {}
    for d in departments:
        reviewers[d.name] = make_user("reviewer", COUNTY, department=d, name=f"{d.name}审查员")
        department_head_set(actor=SYSTEM, department=d, user=reviewers[d.name])
    organizer = make_user("county_organizer", COUNTY, name="组织部")
    return ReviewCounty(
        organizer=organizer,
        officer=make_user("town_officer", TOWN_A, name="黛溪干部"),
        departments=departments,
        reviewers=reviewers,
        review_round=round_open(actor=organizer, county_code=COUNTY, opened_on=date(2026, 9, 1)),
    )


def rows(village: str, count: int, *, start: int = 0) -> list[CandidateRow]:
    return [
        CandidateRow(
            line=n + 2,
            name=f"人选{start + n}",
            id_number=id_numbers.make(village[:6], date(1980, 1, 1 + (start + n) // 900), (start + n) % 900),
            village=village,
        )
        for n in range(count)
    ]
