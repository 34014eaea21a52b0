from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import TOWN_A
from cunshe.trainings.tests.helpers import course_for

pytestmark = pytest.mark.django_db


def test_the_course_list_pages_and_the_51st_is_on_page_two(make_user: Any, web_as: Any) -> None:
    # The list stopped at 200 and said nothing of the rest; it pages 50 at a time, each course once.
    titles = [f"任职培训第{i:03d}期" for i in range(51)]
    for title in titles:
        course_for(TOWN_A, title=title)
    client = web_as(make_user("town_officer", TOWN_A))
    first = client.get(reverse("trainings:list")).content.decode()
    second = client.get(reverse("trainings:list"), {"page": 2}).content.decode()
    assert titles[0] not in first and titles[0] in second  # the oldest is the 51st
    assert "第 1 / 2 页" in first
    assert all((first + second).count(t) == 1 for t in titles)
