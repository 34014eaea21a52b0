"""The course list kept whole (web.kept_pages, issue 15): a course created through the service is on the next view."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY
from cunshe.trainings.tests.helpers import course_for
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_a_course_created_after_the_list_was_kept_is_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    client = web_as(make_user("county_organizer", COUNTY))
    shown = shown_after_write(client, "/trainings/", lambda: course_for(COUNTY, title="新任村干部任职第一课"))
    assert "新任村干部任职第一课" in shown
