import re
from typing import Any

from django.test import Client, override_settings

from conftest import TOWN_A, TOWN_B, VILLAGE_A
from cunshe.core.actors import SYSTEM


def test_home_shows_the_roles_and_regions_of_the_user(make_user: Any, web_as: Any) -> None:
    user = make_user("town_officer", TOWN_A, name="李强")
    page = web_as(user).get("/home/").content.decode()
    assert "李强" in page and "乡镇(街道)干部" in page and "黛溪街道" in page and "待办事项" in page


def test_account_without_roles_is_told_whom_to_ask(zouping: Any, web_as: Any) -> None:
    from cunshe.accounts.services import account_create

    user = account_create(
        actor=SYSTEM,
        username="norole",
        display_name="无角色",
        password="Cunshe#2026x",
        region_code=TOWN_A,
        must_change_password=False,
    )
    assert "尚未分配角色" in web_as(user).get("/home/").content.decode()


def test_navigation_goes_county_town_village_within_scope(make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("county_organizer", "371681"))
    county = client.get("/regions/", follow=True).content.decode()
    assert "邹平市" in county and "黛溪街道" in county and "黄山街道" in county
    town = client.get(f"/regions/{TOWN_A}/").content.decode()
    assert "西范村委会" in town and 'href="/regions/371681/"' in town
    village = client.get(f"/regions/{VILLAGE_A}/").content.decode()
    assert "换届全程记录本" in village


def test_town_officer_sees_parents_as_names_only(make_user: Any, web_as: Any) -> None:
    page = web_as(make_user("town_officer", TOWN_A)).get(f"/regions/{VILLAGE_A}/").content.decode()
    assert "邹平市" in page and 'href="/regions/371681/"' not in page


def test_search_by_name_or_code_is_scoped_and_works_as_partial(make_user: Any, web_as: Any) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    by_name = client.get("/regions/search/?q=西范", HTTP_HX_REQUEST="true").content.decode()
    assert "西范村委会" in by_name and "<html" not in by_name
    assert "西范村委会" in client.get(f"/regions/search/?q={VILLAGE_A}").content.decode()
    assert "没有找到" in client.get(f"/regions/search/?q={TOWN_B}").content.decode()


def test_public_area_needs_no_login_and_shows_no_people(make_person: Any) -> None:
    person = make_person(VILLAGE_A, name="不公开的人")
    client = Client()
    index = client.get("/public/")
    assert index.status_code == 200 and "邹平市" in index.content.decode()
    village = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert "西范村" in village and person.name not in village


def test_error_pages_are_chinese(make_user: Any, web_as: Any) -> None:
    response = web_as(make_user("town_officer", TOWN_A)).get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_is_chinese(zouping: Any) -> None:
    from django.template.loader import render_to_string

    assert "系统出错" in render_to_string("500.html")


def test_csrf_failure_is_explained_in_chinese(make_user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("town_officer", TOWN_A))
    response = client.post("/accounts/logout/")
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_pages_work_on_a_phone_and_load_no_remote_assets(make_user: Any, web_as: Any) -> None:
    page = web_as(make_user("town_officer", TOWN_A)).get("/home/").content.decode()
    assert 'name="viewport"' in page
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page
    assert "/static/vendor/htmx/htmx.min.js" in page


def test_openapi_document_is_served(client: Client, zouping: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/api/v1/people" in doc["paths"]


def test_openapi_document_lists_the_error_answers(client: Client, api_as: Any, make_user: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert set(doc["components"]["schemas"]["Error"]["required"]) == {"message", "errors"}
    person = doc["paths"]["/api/v1/people/{person_id}"]
    assert {"401", "404", "422"} <= set(person["get"]["responses"]) and "409" not in person["get"]["responses"]
    assert {"400", "403", "409"} <= set(person["patch"]["responses"])
    assert "404" not in doc["paths"]["/api/v1/people"]["get"]["responses"]  # no record in the path
    assert "401" not in doc["paths"]["/api/v1/auth/token"]["post"]["responses"]  # the one call without a token
    # the documented shape is the one a real error has
    answer = api_as(make_user("town_officer", TOWN_A)).get("/api/v1/people/999999")
    assert answer.status_code == 404 and set(answer.json()) == {"message", "errors"}


def test_people_list_uses_a_constant_number_of_queries(
    make_user: Any, make_person: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_as(make_user("town_officer", TOWN_A))
    for _ in range(3):
        make_person(VILLAGE_A)
    client.get("/people/")
    with django_assert_max_num_queries(11) as few:  # 11: the bell's unread count
        client.get("/people/")
    for _ in range(20):
        make_person(VILLAGE_A)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/people/")


def test_home_summarises_what_lies_under_each_region(make_user: Any, web_as: Any) -> None:
    page = web_as(make_user("county_organizer", "371681")).get("/home/").content.decode()
    assert "16 个乡镇(街道)" in page and "858 个村" in page and "1 个社区" in page and "账号管理" in page


def test_navigation_shows_each_role_only_what_it_may_use(make_user: Any, web_as: Any) -> None:
    reviewer = web_as(make_user("reviewer", "371681")).get("/home/").content.decode()
    assert ">云联审<" in reviewer and ">走访<" not in reviewer and ">人员<" not in reviewer
    cadre = web_as(make_user("village_cadre", VILLAGE_A)).get("/home/").content.decode()
    assert ">走访<" in cadre and ">人员<" in cadre and ">选情<" not in cadre and ">账号管理<" not in cadre


def test_navigation_groups_entries_into_menus_and_a_menu_of_one_is_a_link(make_user: Any, web_as: Any) -> None:
    organizer = web_as(make_user("county_organizer", "371681")).get("/home/").content.decode()
    assert "<summary>换届准备</summary>" in organizer and "<summary>基础信息</summary>" in organizer
    assert ">负面清单<" in organizer and ">账号管理<" in organizer
    reviewer = web_as(make_user("reviewer", "371681")).get("/home/").content.decode()
    assert "<summary>" not in reviewer and ">云联审</a>" in reviewer
    # a village cadre's first-year and service work sit in two menus, so the bar stays short on a phone
    cadre = web_as(make_user("village_cadre", VILLAGE_A)).get("/home/").content.decode()
    assert "<summary>新班子履职</summary>" in cadre and "<summary>治理服务</summary>" in cadre
    bar = cadre.split('<nav aria-label="主导航">', 1)[1].split("</nav>", 1)[0]
    assert ">开门一件事</a>" in bar and ">民情诉求</a>" in bar
    menus = re.findall(r"<details.*?</details>", bar, flags=re.S)
    links_outside = re.sub(r"<details.*?</details>", "", bar, flags=re.S).count("<a ")
    assert len(menus) + links_outside <= 12, (len(menus), links_outside)


def test_an_empty_choice_reads_in_chinese(zouping: Any) -> None:
    from django import forms

    from cunshe.regions.models import Region

    html = str(forms.ModelChoiceField(queryset=Region.objects.filter(code=TOWN_A)).widget.render("town", None))
    assert "— 请选择 —" in html and "Select an option" not in html


def test_date_and_datetime_inputs_show_their_value_in_the_iso_form_browsers_need() -> None:
    from datetime import date, datetime

    from django import forms

    class Form(forms.Form):
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    html = str(Form(initial={"on": date(2026, 10, 1), "at": datetime(2026, 10, 1, 9, 30)}))
    assert 'value="2026-10-01"' in html and 'value="2026-10-01T09:30"' in html
    typed = Form({"on": "2026/10/01", "at": "2026-10-01T09:30"})
    assert typed.is_valid() and typed.cleaned_data["on"] == date(2026, 10, 1)
