from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.reviews.services import candidate_view_log
from cunshe.reviews.tests.conftest import ReviewCounty
from cunshe.reviews.tests.test_pages import released

pytestmark = pytest.mark.django_db


def test_a_candidates_view_log_pages_and_the_oldest_views_are_on_page_two(
    county: ReviewCounty, make_user: Any, web_as: Any
) -> None:
    # The log stopped at its newest 50: who looked first went missing. It pages 50 at a time.
    candidate = released(county, 1).candidates.get()
    for n in range(51):
        viewer = make_user("county_organizer", COUNTY, name=f"查看人{n:03d}号")
        candidate_view_log(viewer=viewer, candidate=candidate, channel="web")
    client = web_as(county.organizer)  # each look is logged too: the newest row
    url = reverse("reviews:candidate", kwargs={"pk": candidate.pk})
    first = client.get(url).content.decode()
    assert "查看人000号" not in first and "查看人050号" in first and "第 1 / 2 页" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "查看人000号" in second and "查看人050号" not in second


def test_the_pick_form_says_how_many_it_found_beyond_the_first_100(
    county: ReviewCounty, make_person: Any, web_as: Any
) -> None:
    # A pick form, not a paged list: it cut a search at 100 without a word; it says so, and a name finds the rest.
    for n in range(101):
        make_person(VILLAGE_A, name=f"同名甲{n:03d}")
    client = web_as(county.officer)
    url = reverse("reviews:batch_pick", kwargs={"pk": county.review_round.pk})
    page = client.get(url, {"town": TOWN_A, "q": "同名甲"}).content.decode()
    assert "共找到 101 人，仅列出前 100 人" in page and "同名甲100" not in page
    narrowed = client.get(url, {"town": TOWN_A, "q": "同名甲100"}).content.decode()
    assert "同名甲100" in narrowed and "仅列出" not in narrowed
