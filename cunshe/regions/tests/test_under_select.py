from typing import Any

from django.template import Context, Template
from django.test import RequestFactory

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.regions.models import Region


def options(user: Any, under: str = "") -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load regions %}{% under_select under %}").render(Context({"request": request, "under": under}))


def test_the_region_filter_offers_the_users_regions_and_the_ones_below(make_user: Any) -> None:
    town_a, town_b, village_a = (Region.objects.get(code=c).name for c in (TOWN_A, TOWN_B, VILLAGE_A))
    county = options(make_user("county_organizer", COUNTY))
    assert f'<option value="{TOWN_A}">' in county and town_b in county and village_a not in county

    officer = make_user("town_officer", TOWN_A)
    town = options(officer)
    assert town_a in town and village_a in town and town_b not in town
    assert f'<option value="{VILLAGE_A}" selected>' in options(officer, under=VILLAGE_A)
    # a code outside the user's regions is not named (nor listed): the page's scoped query shows nothing for it
    assert Region.objects.get(code=VILLAGE_B).name not in options(officer, under=VILLAGE_B)

    cadre = options(make_user("village_cadre", VILLAGE_A))
    assert "<select" not in cadre  # one village: nothing to choose
