from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.termchanges.services import term_change_open


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)
