"""Odd input is a Chinese 4xx, never a 5xx (issue 14, item 18)."""

from typing import Any

import pytest

from conftest import COUNTY, TOWN_A, VILLAGE_A

LISTS = [
    "/api/v1/commitments",
    "/api/v1/people",
    "/api/v1/reserves",
    "/api/v1/regions",
    f"/api/v1/records/{VILLAGE_A}",
    "/api/v1/deadlines/todo",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    "query",
    ["offset=9223372036854775808", "limit=99999999999999999999", "limit=-1", "offset=-5", "limit=0", "limit=abc"],
)
def test_paging_numbers_out_of_range_are_a_422_in_chinese(url: str, query: str, make_user: Any, api_as: Any) -> None:
    client = api_as(make_user("county_organizer", COUNTY))
    answer = client.get(f"{url}?{query}")
    assert answer.status_code == 422, answer.content[:300]
    body = answer.json()
    assert body["message"].startswith("请求数据有误") and ("limit" in body["errors"] or "offset" in body["errors"])


@pytest.mark.parametrize("url", LISTS)
def test_paging_within_range_still_pages(url: str, make_user: Any, api_as: Any) -> None:
    client = api_as(make_user("county_organizer", COUNTY))
    assert client.get(f"{url}?limit=1000&offset=1000000000").status_code == 200


@pytest.mark.parametrize("field", ["region", "name", "id_number", "gender", "birth_date", "ethnicity"])
def test_a_person_patched_with_null_for_a_required_field_is_refused(
    field: str, make_user: Any, make_person: Any, api_as: Any
) -> None:
    person = make_person(VILLAGE_A)
    client = api_as(make_user("town_officer", TOWN_A))
    answer = client.patch(f"/api/v1/people/{person.pk}", {"version": 1, field: None}, content_type="application/json")
    assert answer.status_code == 400 and "不能为空" in answer.json()["message"] and field in answer.json()["errors"]
    person.refresh_from_db()
    assert person.version == 1


def test_a_person_patched_with_null_phone_empties_it(make_user: Any, make_person: Any, api_as: Any) -> None:
    person = make_person(VILLAGE_A, phone="13800000000")
    client = api_as(make_user("town_officer", TOWN_A))
    answer = client.patch(f"/api/v1/people/{person.pk}", {"version": 1, "phone": None}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["phone"] == ""
