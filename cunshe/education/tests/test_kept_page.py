"""The campaign list kept whole (web.kept_pages, issue 15): a campaign created through the service is on the next view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.education.services import campaign_create
from cunshe.web.tests.kept import shown_after_write

pytestmark = pytest.mark.django_db


def test_a_campaign_created_after_the_list_was_kept_is_on_the_next_view(
    kept_summaries: Any, make_user: Any, web_as: Any
) -> None:
    today = timezone.localdate()
    shown = shown_after_write(
        web_as(make_user("town_officer", TOWN_A)),
        "/education/",
        lambda: campaign_create(
            actor=SYSTEM,
            region_code=TOWN_A,
            title="换届后集中教育",
            starts_on=today,
            ends_on=today + timedelta(30),
            kinds=["finance"],
        ),
    )
    assert "换届后集中教育" in shown
