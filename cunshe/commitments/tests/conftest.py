from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.commitments.models import Commitment
from cunshe.commitments.services import commitment_create
from cunshe.core.actors import SYSTEM

YEAR = timezone.localdate().year


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user("county_organizer", COUNTY)


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


@pytest.fixture
def cadre(make_user: Any) -> Any:
    return make_user("village_cadre", VILLAGE_A)


@pytest.fixture
def make_commitment(zouping: Any) -> Any:
    def make(village: str = VILLAGE_A, *, actor: Any = SYSTEM, **fields: Any) -> Commitment:
        values: dict[str, Any] = {
            "year": YEAR,
            "category": "提升改善村容村貌",
            "title": "整治党群服务中心环境",
            "content": "清理院内杂物，更新公开栏",
            "target": "四面一栏整洁",
            "deadline": date(YEAR, 12, 31),
            "responsible_post": "村党组织书记",
        }
        values.update(fields)
        return commitment_create(actor=actor, village_code=village, **values)

    return make
