"""The survey list kept whole (web.kept_pages, issue 15): a survey opened through the service shows its status on the
next view."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY
from cunshe.core.actors import SYSTEM
from cunshe.surveys.services import survey_create, survey_open
from cunshe.surveys.tests.helpers import OPINION_QUESTIONS
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_a_survey_opened_after_the_list_was_kept_shows_open_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    draft = survey_create(
        actor=SYSTEM,
        region_code=COUNTY,
        title="换届民意调查表",
        purpose="opinion",
        year=2026,
        questions=OPINION_QUESTIONS,
    )
    client = web_as(make_user("county_organizer", COUNTY))
    assert "<td>草稿</td>" in client.get("/surveys/").content.decode()
    shown = shown_after_write(
        client, "/surveys/", lambda: survey_open(actor=SYSTEM, survey=draft, expected_version=draft.version)
    )
    assert "<td>调查中</td>" in shown and "<td>草稿</td>" not in shown
