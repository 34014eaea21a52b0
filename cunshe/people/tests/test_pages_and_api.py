from datetime import date
from typing import Any

from conftest import TOWN_A, VILLAGE_A
from cunshe.people import id_numbers
from cunshe.people.models import Person


def test_full_id_number_only_for_roles_that_need_it(make_user: Any, make_person: Any, web_as: Any, api_as: Any) -> None:
    person = make_person(VILLAGE_A)
    officer = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    assert person.id_number in web_as(officer).get(f"/people/{person.pk}/").content.decode()
    page = web_as(cadre).get(f"/people/{person.pk}/").content.decode()
    assert person.id_number not in page and person.id_number_masked in page
    assert api_as(cadre).get(f"/api/v1/people/{person.pk}").json()["id_number"] == person.id_number_masked
    assert api_as(officer).get(f"/api/v1/people/{person.pk}").json()["id_number"] == person.id_number


def test_reviewer_sees_no_people(make_user: Any, make_person: Any, web_as: Any) -> None:
    person = make_person(VILLAGE_A)
    reviewer = make_user("reviewer", "371681")
    assert web_as(reviewer).get(f"/people/{person.pk}/").status_code == 404
    assert person.name not in web_as(reviewer).get("/people/").content.decode()


def test_form_shows_chinese_errors_and_saves_nothing(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    response = web_as(officer).post(
        "/people/new/",
        {
            "name": "钱七",
            "id_number": "371681198001010031",
            "gender": "M",
            "birth_date": "1980-01-01",
            "ethnicity": "汉族",
            "region": VILLAGE_A,
        },
    )
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not Person.objects.filter(name="钱七").exists()


def test_form_creates_and_edit_detects_a_concurrent_change(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = web_as(officer)
    number = id_numbers.make("371681", date(1980, 1, 1), 21)
    data = {
        "name": "孙八",
        "id_number": number,
        "gender": "M",
        "birth_date": "1980-01-01",
        "ethnicity": "汉族",
        "region": VILLAGE_A,
    }
    response = client.post("/people/new/", data)
    person = Person.objects.get(id_number=number)
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    stale = {**data, "phone": "13900000000", "version": person.version}
    assert (
        client.post(
            f"/people/{person.pk}/edit/", {**data, "phone": "13911111111", "version": person.version}
        ).status_code
        == 302
    )
    response = client.post(f"/people/{person.pk}/edit/", stale)
    assert "已被他人修改" in response.content.decode()
    person.refresh_from_db()
    assert person.phone == "13911111111"


def test_api_create_validates_and_patch_needs_the_current_version(make_user: Any, api_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    client = api_as(officer)
    bad = client.post(
        "/api/v1/people", {"name": "周九", "id_number": "123", "region": VILLAGE_A}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["message"] == "人员信息有误，未保存。" and "id_number" in bad.json()["errors"]
    number = id_numbers.make("371681", date(1985, 3, 3), 23)
    created = client.post(
        "/api/v1/people", {"name": "周九", "id_number": number, "region": VILLAGE_A}, content_type="application/json"
    )
    assert created.status_code == 201
    pid, version = created.json()["id"], created.json()["version"]
    ok = client.patch(
        f"/api/v1/people/{pid}", {"version": version, "phone": "13900000000"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == version + 1
    stale = client.patch(
        f"/api/v1/people/{pid}", {"version": version, "phone": "13911111111"}, content_type="application/json"
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message"]


def test_whole_id_numbers_are_searchable_only_by_roles_that_see_them(
    make_user: Any, make_person: Any, web_as: Any
) -> None:
    person = make_person(VILLAGE_A, name="查号人")
    officer = make_user("town_officer", TOWN_A)
    cadre = make_user("village_cadre", VILLAGE_A)
    assert "查号人" in web_as(officer).get(f"/people/?q={person.id_number}").content.decode()
    assert "查号人" not in web_as(cadre).get(f"/people/?q={person.id_number}").content.decode()
    assert "查号人" in web_as(cadre).get(f"/people/?q={person.id_number[-4:]}").content.decode()


def test_the_api_list_reads_only_the_page_asked_for(make_user: Any, make_person: Any, api_as: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(make_user("town_officer", TOWN_A))
    for n in range(30):
        make_person(name=f"张{n:02d}")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/people?limit=2&offset=28").json()
    assert page["count"] == 30 and [p["name"] for p in page["items"]] == ["张28", "张29"]
    reads = [q["sql"] for q in queries if 'FROM "people_person"' in q["sql"] and "COUNT(" not in q["sql"]]
    assert reads and all("LIMIT 2" in sql for sql in reads), reads  # never the whole registry
