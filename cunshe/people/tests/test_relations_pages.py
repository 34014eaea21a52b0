from typing import Any

import pytest

from conftest import TOWN_A, TOWN_B, VILLAGE_A

pytestmark = pytest.mark.django_db


def test_relation_recorded_on_the_page_and_read_by_the_api(
    make_user: Any, make_person: Any, web_as: Any, api_as: Any
) -> None:
    officer, other = make_user("town_officer", TOWN_A), make_user("town_officer", TOWN_B)
    father, son = make_person(VILLAGE_A, name="刘父"), make_person(VILLAGE_A, name="刘子")
    page = web_as(officer).post(f"/people/{father.pk}/relations/", {"relative": son.pk, "kinship": "child"})
    assert page.status_code == 302
    shown = web_as(officer).get(f"/people/{son.pk}/").content.decode()
    assert "刘父" in shown and "父母" in shown  # read from the other side
    assert api_as(officer).get(f"/api/v1/people/{son.pk}/relations").json() == [
        {"relative_id": father.pk, "name": "刘父", "kinship": "父母"}
    ]
    twice = api_as(officer).post(
        f"/api/v1/people/{son.pk}/relations",
        {"relative_id": father.pk, "kinship": "parent"},
        content_type="application/json",
    )
    assert twice.status_code == 400 and "已登记" in twice.json()["errors"]["relative"][0]
    hidden = api_as(other).get(f"/api/v1/people/{son.pk}/relations")
    assert hidden.status_code == 404
