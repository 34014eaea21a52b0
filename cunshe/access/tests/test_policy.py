"""The region a roll-up opens at: asked for and visible, else the user's own (pages) or nothing (the API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, new_user
from cunshe.issueboard.permissions import issue_policy


@pytest.mark.django_db
def test_a_town_officer_gets_the_town_asked_for_under_it(zouping: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    assert issue_policy.rollup_region(officer, VILLAGE_A).code == VILLAGE_A
    assert issue_policy.rollup_region(officer, "").code == TOWN_A


@pytest.mark.django_db
def test_a_region_outside_falls_back_on_pages_and_is_a_404_in_the_api(zouping: Any) -> None:
    officer = new_user("town_officer", TOWN_A)
    assert issue_policy.rollup_region(officer, TOWN_B).code == TOWN_A
    assert issue_policy.rollup_region(officer, COUNTY).code == TOWN_A
    with pytest.raises(Http404):
        issue_policy.rollup_region(officer, TOWN_B, fallback=False)
    assert issue_policy.rollup_region(officer, TOWN_A, fallback=False).code == TOWN_A


@pytest.mark.django_db
def test_a_user_without_the_capability_has_no_region(zouping: Any) -> None:
    reviewer = new_user("reviewer", COUNTY)
    with pytest.raises(Http404):
        issue_policy.rollup_region(reviewer, COUNTY)
