"""The shortcuts pages take for issue 15 give what the slow way gave."""

from typing import Any

from django.urls import reverse

from conftest import TOWN_A, VILLAGE_A
from cunshe.access.policy import region_prefixes
from cunshe.web.links import row_link
from cunshe.web.navigation import NAVIGATION, navigation_for


def test_a_row_link_is_the_url_reverse_gives() -> None:
    detail, village = row_link("commitments:detail"), row_link("commitments:village")
    assert [detail(pk) for pk in (1, 42, 987654)] == [
        reverse("commitments:detail", args=[pk]) for pk in (1, 42, 987654)
    ]
    assert village(VILLAGE_A) == reverse("commitments:village", args=[VILLAGE_A])
    # Anything that needs quoting goes through reverse() itself.
    assert village("甲 乙") == reverse("commitments:village", args=["甲 乙"])


def _linked(user: Any) -> set[str]:
    return {url for item in navigation_for(user) for url in [item.url, *(u for _, u in item.children)] if url}


def _allowed(user: Any) -> set[str]:
    """The entries the bar showed when it asked the policy for each one on every page."""
    return {
        reverse(e.url_name)
        for e in NAVIGATION
        if not e.capabilities or any(region_prefixes(user, c) for c in e.capabilities)
    }


def test_the_bar_kept_per_roles_follows_a_change_of_roles(make_user: Any) -> None:
    from cunshe.access.policy import forget_grants
    from cunshe.accounts.services import role_assign
    from cunshe.core.actors import SYSTEM

    user = make_user("village_cadre", VILLAGE_A)
    narrow = _linked(user)
    assert narrow == _allowed(user)
    role_assign(actor=SYSTEM, user=user, role="town_officer", region_code=TOWN_A)
    forget_grants(user)
    assert _linked(user) == _allowed(user) and _linked(user) > narrow  # a new role shows its entries at once


def test_the_kept_bar_marks_the_page_it_is_on_and_no_other(make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("county_organizer", "371681"))
    home = client.get("/home/").content.decode()
    assert '<a href="/home/" aria-current="page">首页</a>' in home and home.count("aria-current") == 1
    people = client.get("/people/").content.decode()
    assert '<a href="/people/" aria-current="page">人员</a>' in people and people.count("aria-current") == 1
    assert '<a href="/home/">首页</a>' in people  # the home page's mark is not kept for the next page
    assert "aria-current" not in client.get(f"/regions/{VILLAGE_A}/").content.decode()
