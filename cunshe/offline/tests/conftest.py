from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A, new_person, new_user
from cunshe.commitments.models import Commitment
from cunshe.commitments.services import commitment_create
from cunshe.core.actors import SYSTEM
from cunshe.termchanges.services import term_change_open
from cunshe.visits.models import Group, VisitTarget
from cunshe.visits.services import visit_plan_generate


@pytest.fixture
def cadre(zouping: Any) -> Any:
    return new_user("village_cadre", VILLAGE_A)


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


@pytest.fixture
def visit_target(term_change: Any) -> VisitTarget:
    """A party member of village A on the visit plan of the county's term change."""
    member = new_person(VILLAGE_A, name="老党员", is_party_member=True, party_joined_on=date(1990, 7, 1))
    visit_plan_generate(
        actor=new_user("town_officer", TOWN_A),
        village_code=VILLAGE_A,
        groups=[Group.PARTY_MEMBER],
        visitor="驻村干部",
        due_on=date(2026, 12, 31),
    )
    return VisitTarget.objects.get(person=member)


@pytest.fixture
def commitment(zouping: Any) -> Commitment:
    return commitment_create(
        actor=SYSTEM,
        village_code=VILLAGE_A,
        year=timezone.localdate().year,
        category="提升改善村容村貌",
        title="整治党群服务中心环境",
        content="清理院内杂物，更新公开栏",
        target="四面一栏整洁",
        deadline=date(timezone.localdate().year, 12, 31),
        responsible_post="村党组织书记",
    )
