"""The pages of model posts and floating members act through the same services as the API: a village sets up a post
and registers a floating member with a card and a report; the town rates the post; the village may not rate, and
another town does not find the records. Lists are paginated with a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.partywork import rules
from cunshe.partywork.models import FloatingCard, FloatingMember, FloatingReport, ModelPost, PostRating
from cunshe.partywork.services import floating_register, post_create
from cunshe.partywork.views import last_quarter

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _member(make_person: Any, name: str = "") -> Any:
    return make_person(
        VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1), **({"name": name} if name else {})
    )


def test_a_post_is_set_up_on_its_page_and_rated_by_the_town(make_person: Any, make_user: Any, web_as: Any) -> None:
    person = _member(make_person, "张示范")
    village = web_as(make_user("village_cadre", VILLAGE_A))
    page = village.get(f"/partywork/region/{VILLAGE_A}/posts/")
    assert page.status_code == 200 and "设立党员示范岗" in page.content.decode()
    bad = village.post(
        f"/partywork/branch/{VILLAGE_A}/posts/",
        {"person": person.pk, "title": "", "duty": "x", "set_up_on": TODAY.isoformat()},
    )
    assert bad.status_code == 400 and not ModelPost.objects.exists()
    answer = village.post(
        f"/partywork/branch/{VILLAGE_A}/posts/",
        {
            "person": person.pk,
            "title": "环境整治示范岗",
            "duty": "包片 20 户",
            "set_up_on": (TODAY - timedelta(days=200)).isoformat(),
        },
    )
    post = ModelPost.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/partywork/post/{post.pk}/"
    year, quarter = last_quarter(TODAY)
    sheet = rules.rating_sheet(VILLAGE_A, rules.quarter_end(year, quarter))
    body = {
        "year": year,
        "quarter": quarter,
        "note": "群众认可",
        **{f"score_{i}": full for i, (_, full) in enumerate(sheet.criteria)},
    }
    # the village may not rate its own post: no form, and a forged post is refused
    assert "季度评比</h2><p class" not in village.get(f"/partywork/post/{post.pk}/").content.decode()
    assert village.post(f"/partywork/post/{post.pk}/rate/", body).status_code == 403
    assert not PostRating.objects.exists()
    town = web_as(make_user("town_officer", TOWN_A))
    over = {**body, "score_0": sheet.criteria[0][1] + 1}
    assert town.post(f"/partywork/post/{post.pk}/rate/", over).status_code == 400
    assert town.post(f"/partywork/post/{post.pk}/rate/", body).status_code == 302
    rating = PostRating.objects.get()
    assert rating.total == 100 and rating.grade == "excellent"
    shown = town.get(f"/partywork/post/{post.pk}/").content.decode()
    assert sheet.criteria[0][0] in shown and "优秀" in shown and "群众认可" in shown
    assert "环境整治示范岗" in town.get(f"/partywork/region/{TOWN_A}/posts/").content.decode()
    other = web_as(make_user("town_officer", TOWN_B))
    assert other.get(f"/partywork/post/{post.pk}/").status_code == 404
    assert "环境整治示范岗" not in other.get(f"/partywork/region/{TOWN_A}/posts/").content.decode()


def test_a_floating_member_registered_carded_and_reported_on_the_pages(
    make_person: Any, make_user: Any, web_as: Any
) -> None:
    person = _member(make_person, "李流动")
    village = web_as(make_user("village_cadre", VILLAGE_A))
    left = TODAY - timedelta(days=20)
    answer = village.post(
        f"/partywork/branch/{VILLAGE_A}/floating/",
        {
            "person": person.pk,
            "whereabouts": "微山湖捕捞船队",
            "left_on": left.isoformat(),
            "expected_back_on": rules.add_months(left, 5).isoformat(),
        },
    )
    m = FloatingMember.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/partywork/floating/{m.pk}/"
    # a card valid too long is refused with the rule's message; the right one is issued
    too_long = rules.add_months(left, 6) + timedelta(days=1)
    village.post(
        f"/partywork/floating/{m.pk}/cards/", {"issued_on": left.isoformat(), "valid_until": too_long.isoformat()}
    )
    assert not FloatingCard.objects.exists()
    until = rules.add_months(left, 6)
    village.post(
        f"/partywork/floating/{m.pk}/cards/", {"issued_on": left.isoformat(), "valid_until": until.isoformat()}
    )
    village.post(
        f"/partywork/floating/{m.pk}/reports/",
        {"year": TODAY.year, "reported_on": TODAY.isoformat(), "content": "在船队参加组织生活"},
    )
    assert (
        FloatingCard.objects.filter(member=m, valid_until=until).exists()
        and FloatingReport.objects.filter(member=m).exists()
    )
    page = village.get(f"/partywork/floating/{m.pk}/").content.decode()
    assert f"有效期至 {until:%Y-%m-%d}" in page and "在船队参加组织生活" in page
    listing = web_as(make_user("town_officer", TOWN_A)).get(f"/partywork/region/{TOWN_A}/floating/").content.decode()
    assert "李流动" in listing and "持有效活动证 1 名" in listing
    other = web_as(make_user("town_officer", TOWN_B))
    assert other.get(f"/partywork/floating/{m.pk}/").status_code == 404
    assert (
        other.post(
            f"/partywork/floating/{m.pk}/reports/",
            {"year": TODAY.year, "reported_on": TODAY.isoformat(), "content": "x"},
        ).status_code
        == 404
    )
    village.post(f"/partywork/floating/{m.pk}/return/", {"returned_on": TODAY.isoformat(), "version": m.version})
    m.refresh_from_db()
    assert m.returned_on == TODAY and not m.cards.filter(revoked_on__isnull=True).exists()


def test_the_lists_page_with_a_constant_number_of_queries(
    make_person: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(60):
        p = _member(make_person)
        post_create(
            actor=SYSTEM, village_code=VILLAGE_A, person=p, title=f"示范岗{n}", duty="联系群众", set_up_on=TODAY
        )
        floating_register(actor=SYSTEM, person=p, whereabouts="济宁", left_on=TODAY)
    town = web_as(make_user("town_officer", TOWN_A))
    town.get(f"/partywork/region/{TOWN_A}/posts/")  # warm the session and the rating sheet
    with django_assert_max_num_queries(14):
        page = town.get(f"/partywork/region/{TOWN_A}/posts/?page=2").content.decode()
    assert "第 2 / 2 页" in page
    with django_assert_max_num_queries(18):
        page = town.get(f"/partywork/region/{TOWN_A}/floating/?page=2").content.decode()
    assert "第 2 / 2 页" in page
