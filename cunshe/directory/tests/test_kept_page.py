"""A region's directory kept whole (web.kept_pages, issue 15): an entry registered through the service is on the next
view."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY, TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.directory.services import entry_create
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_an_entry_registered_after_the_page_was_kept_is_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    shown = shown_after_write(
        web_as(make_user("county_organizer", COUNTY)),
        f"/directory/region/{COUNTY}/",
        lambda: entry_create(actor=SYSTEM, region_code=TOWN_A, name="张立新", post="党工委书记"),
    )
    assert "张立新" in shown
