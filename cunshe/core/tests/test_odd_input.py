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
    "/api/v1/elections",
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


@pytest.mark.parametrize("value", [0, 1700000000, 1.5, True])
def test_a_date_must_be_written_as_a_date(value: Any, make_user: Any, api_as: Any, zouping: Any) -> None:
    """{"done_on": 0} was read as 1970-01-01 and saved; a number is not a date."""
    from datetime import date

    from cunshe.termchanges.services import term_change_open

    organizer = make_user("county_organizer", COUNTY)
    milestone = term_change_open(actor=organizer, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    first = milestone.milestones.get(position=1)
    answer = api_as(organizer).put(
        f"/api/v1/termchanges/milestones/{first.pk}",
        {"due_on": "2026-10-15", "done_on": value, "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 422 and answer.json()["errors"] == {"done_on": ["应为日期 YYYY-MM-DD"]}
    first.refresh_from_db()
    assert first.done_on is None


def test_control_characters_do_not_reach_the_public_page(make_user: Any, api_as: Any, client: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    answer = api_as(cadre).post(
        "/api/v1/commitments",
        {
            "region": VILLAGE_A,
            "year": 2026,
            "category": "提升改善村容村貌",
            "title": "整治\x1b[31m环境\u202e反向\x00",
            "content": "第一行\n第二行\x07",
            "target": "整洁",
            "deadline": "2026-12-31",
            "responsible_post": "村党组织书记",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["title"] == "整治[31m环境反向" and answer.json()["content"] == "第一行\n第二行"
    page = client.get(f"/public/commitments/{VILLAGE_A}/").content.decode()
    assert "整治[31m环境反向" in page and "\x1b" not in page and "\u202e" not in page


def test_control_characters_typed_on_a_page_do_not_reach_the_public_page(make_user: Any, client: Any) -> None:
    from datetime import date

    from cunshe.commitments.services import commitment_create

    cadre = make_user("village_cadre", VILLAGE_A)
    commitment_create(
        actor=cadre,
        village_code=VILLAGE_A,
        year=2026,
        category="提升改善村容村貌",
        title="修\u202e路\x08",
        content="内容",
        target="目标",
        deadline=date(2026, 12, 31),
        responsible_post="村党组织书记",
    )
    page = client.get(f"/public/commitments/{VILLAGE_A}/").content.decode()
    assert "修路" in page and "\u202e" not in page


@pytest.mark.parametrize("url", ["/api/v1/reserves/import", "/api/v1/readiness/intents/import"])
def test_a_multipart_upload_without_a_boundary_is_a_400(url: str, make_user: Any, api_as: Any) -> None:
    client = api_as(make_user("county_organizer", COUNTY))
    answer = client.generic("POST", url, b"--x\r\n", content_type="multipart/form-data")
    assert answer.status_code == 400 and "multipart" in answer.json()["message"]


def test_a_json_body_of_a_scan_fits_and_a_larger_one_is_a_413(make_user: Any, api_as: Any, settings: Any) -> None:
    """A 5 MB scan travels as base64 in JSON (6.7 MB): the body limit is above it, and a body past the limit is a
    Chinese 413 instead of RequestDataTooBig answering 500 (or 400 in HTML)."""
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 5 * 1024 * 1024 * 4 // 3 + 64 * 1024
    client = api_as(make_user("county_organizer", COUNTY))
    padding = "A" * (3 * 1024 * 1024)  # past Django's default 2.5 MB
    fits = client.post("/api/v1/auth/password", {"username": padding}, content_type="application/json")
    assert fits.status_code == 422  # read and validated, not refused for its size
    too_big = "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    answer = client.post("/api/v1/auth/password", {"username": too_big}, content_type="application/json")
    assert answer.status_code == 413 and "MB" in answer.json()["message"]


def test_the_api_answers_an_unknown_address_and_a_server_fault_as_json(
    make_user: Any, api_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = api_as(make_user("county_organizer", COUNTY))
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json() == {"message": "未找到该接口或记录。", "errors": {}}

    def broken(*args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("cunshe.accounts.api.grants_of", broken)
    fault = client.get("/api/v1/auth/me")
    assert fault.status_code == 500 and fault.json()["message"].startswith("服务器内部错误")


def test_huge_ids_are_a_4xx_in_the_api_and_on_pages(make_user: Any, api_as: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    assert api_as(officer).get("/api/v1/people/99999999999999999999").status_code in (404, 422)
    assert web_as(officer).get("/people/99999999999999999999/").status_code == 404
