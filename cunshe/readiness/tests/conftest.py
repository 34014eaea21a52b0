from datetime import date
from typing import Any

import pytest

from conftest import COUNTY, TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.termchanges.services import term_change_open

OPENED = date(2026, 9, 1)  # the term change of the readiness tests opens on this day


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=OPENED)


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


@pytest.fixture
def organizer(make_user: Any) -> Any:
    return make_user("county_organizer", COUNTY)
