from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.education.services import campaign_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_the_campaign_list_pages_and_the_51st_is_on_page_two(make_user: Any, web_as: Any) -> None:
    # The list stopped at 100 and said nothing of the rest; it pages 50 at a time, each campaign once.
    titles = [f"集中教育第{i:03d}期" for i in range(51)]
    for title in titles:  # the same start: only the id orders them
        campaign_create(
            actor=SYSTEM,
            region_code=TOWN_A,
            title=title,
            starts_on=TODAY,
            ends_on=TODAY + timedelta(30),
            kinds=["finance"],
        )
    client = web_as(make_user("town_officer", TOWN_A))
    first = client.get(reverse("education:list")).content.decode()
    second = client.get(reverse("education:list"), {"page": 2}).content.decode()
    assert titles[0] not in first and titles[0] in second  # the oldest is the 51st
    assert "第 1 / 2 页" in first and "下一页" in first
    assert all((first + second).count(t) == 1 for t in titles)
