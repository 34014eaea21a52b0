from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from conftest import COUNTY, TOWN_A
from cunshe.core.actors import SYSTEM
from cunshe.regions.models import Level, Region
from cunshe.surveys.models import Post
from cunshe.surveys.services import holder_assign, survey_create
from cunshe.surveys.tests.helpers import OPINION_QUESTIONS

pytestmark = pytest.mark.django_db


def _both_pages(client: Any, name: str) -> tuple[str, str]:
    first = client.get(reverse(name)).content.decode()
    return first, client.get(reverse(name), {"page": 2}).content.decode()


def test_the_survey_list_pages_and_the_51st_is_on_page_two(make_user: Any, web_as: Any) -> None:
    # The list stopped at 200 and said nothing of the rest; it pages 50 at a time, each survey once.
    titles = [f"民意调查第{i:03d}号" for i in range(51)]
    for title in titles:
        survey_create(
            actor=SYSTEM, region_code=TOWN_A, title=title, purpose="opinion", year=2026, questions=OPINION_QUESTIONS
        )
    first, second = _both_pages(web_as(make_user("town_officer", TOWN_A)), "surveys:list")
    assert titles[0] not in first and titles[0] in second  # the oldest is the 51st
    assert "第 1 / 2 页" in first
    assert all((first + second).count(t) == 1 for t in titles)


def test_the_holders_page_pages_and_the_51st_is_on_page_two(make_user: Any, make_person: Any, web_as: Any) -> None:
    # The page stopped at 2,000 of a county's thousands; it pages 50 at a time, each holder once.
    villages = list(
        Region.objects.filter(code__startswith=TOWN_A, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
    )[:17]
    names = []
    for n, (village, post) in enumerate((v, p) for v in villages for p in Post.values):
        person = make_person(village, name=f"驻村{n:03d}号")
        holder_assign(actor=SYSTEM, village_code=village, post=post, person=person, since=date(2025, 3, 1))
        names.append(person.name)
    assert len(names) == 51
    first, second = _both_pages(web_as(make_user("county_organizer", COUNTY)), "surveys:holders")
    assert sum(n in second for n in names) == 1  # the 51st, by village and post
    assert all((first + second).count(n) == 1 for n in names)
