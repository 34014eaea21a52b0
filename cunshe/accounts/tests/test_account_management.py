from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import PASSWORD, TOWN_A, VILLAGE_A
from cunshe.accounts.models import User
from cunshe.accounts.services import account_create, account_set_active, password_reset
from cunshe.core.errors import DomainError
from cunshe.records.models import RecordEntry


def test_organizer_creates_an_account_with_a_one_time_password(make_user: Any, web_as: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    response = web_as(organizer).post(
        "/accounts/manage/new/",
        {"username": "xifan01", "display_name": "西范村 王芳", "role": "village_cadre", "region": VILLAGE_A},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "账号已创建" in page
    created = User.objects.get(username="xifan01")
    password = page.split("<strong>")[1].split("</strong>")[0]
    assert created.check_password(password) and created.must_change_password
    assert created.role_assignments.get().region_id == VILLAGE_A
    login = Client()
    assert login.post("/accounts/login/", {"username": "xifan01", "password": password}).status_code == 302
    # issue 14, item 20: nothing but the password change until the first password is changed
    for url in ("/home/", "/people/", "/commitments/"):
        assert login.get(url)["Location"] == "/accounts/password/"
    assert "请先修改密码" in login.get("/home/", follow=True).content.decode()
    login.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "Xinmima#2026", "new_password2": "Xinmima#2026"},
    )
    created.refresh_from_db()
    assert not created.must_change_password
    assert "请修改初始密码" not in login.get("/home/").content.decode()


def test_a_bad_role_region_saves_no_account(make_user: Any, web_as: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    response = web_as(organizer).post(
        "/accounts/manage/new/", {"username": "wrong", "display_name": "错", "role": "village_cadre", "region": TOWN_A}
    )
    assert "须为村级区划" in response.content.decode()
    assert not User.objects.filter(username="wrong").exists()


def test_town_officers_do_not_manage_accounts(make_user: Any, web_as: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    assert web_as(officer).get("/accounts/manage/").status_code == 404
    assert "账号管理" not in web_as(officer).get("/home/").content.decode()


def test_reset_password_lifts_a_lockout(make_user: Any, settings: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    cadre = make_user("village_cadre", VILLAGE_A)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": cadre.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": cadre.username, "password": PASSWORD}).status_code == 429
    new_password = password_reset(actor=organizer, user=cadre)
    assert client.post("/accounts/login/", {"username": cadre.username, "password": new_password}).status_code == 302
    assert RecordEntry.objects.filter(event="accounts.password_reset", object_id=str(cadre.pk)).exists()


def test_disabled_accounts_cannot_log_in_and_are_kept(make_user: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    cadre = make_user("village_cadre", VILLAGE_A)
    account_set_active(actor=organizer, user=cadre, active=False)
    assert Client().post("/accounts/login/", {"username": cadre.username, "password": PASSWORD}).status_code == 200
    assert User.objects.filter(pk=cadre.pk, is_active=False).exists()
    with pytest.raises(DomainError, match="不能停用自己"):
        account_set_active(actor=organizer, user=organizer, active=False)


def test_command_line_creates_the_first_organizer(zouping: Any) -> None:
    out = StringIO()
    call_command(
        "accounts",
        "create",
        "zzb1",
        "--name",
        "组织部 刘",
        "--role",
        "county_organizer",
        "--region",
        "371681",
        stdout=out,
    )
    assert "初始密码" in out.getvalue()
    assert User.objects.get(username="zzb1").role_assignments.get().role == "county_organizer"
    with pytest.raises(CommandError, match="只能分配在"):
        call_command("accounts", "create", "zzb2", "--name", "错", "--role", "county_organizer", "--region", TOWN_A)
    assert not User.objects.filter(username="zzb2").exists()


def test_the_api_manages_accounts_as_the_pages_do(make_user: Any, api_as: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    api = api_as(organizer)
    opened = api.post(
        "/api/v1/accounts",
        {"username": "api01", "display_name": "接口 王芳", "role": "village_cadre", "region": VILLAGE_A},
        content_type="application/json",
    )
    assert opened.status_code == 201
    body = opened.json()
    created = User.objects.get(username="api01")
    assert created.check_password(body["password"]) and created.must_change_password
    assert [(a["role"], a["region"], a["is_active"]) for a in body["account"]["assignments"]] == [
        ("village_cadre", VILLAGE_A, True)
    ]

    # A wrong level saves nothing: neither the account nor its role.
    wrong = api.post(
        "/api/v1/accounts",
        {"username": "api02", "display_name": "错", "role": "village_cadre", "region": TOWN_A},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "须为村级区划" in str(wrong.json())
    assert not User.objects.filter(username="api02").exists()

    url = f"/api/v1/accounts/{created.pk}"
    assert (
        api.post(
            f"{url}/roles", {"role": "town_officer", "region": TOWN_A}, content_type="application/json"
        ).status_code
        == 201
    )
    first = created.role_assignments.get(role="village_cadre")
    revoked = api.delete(f"{url}/roles/{first.pk}").json()
    assert {(a["role"], a["is_active"]) for a in revoked["assignments"]} == {
        ("village_cadre", False),
        ("town_officer", True),
    }
    assert api.post(f"{url}/active", {"active": False}, content_type="application/json").json()["is_active"] is False
    new_password = api.post(f"{url}/password-reset").json()["password"]
    created.refresh_from_db()
    assert created.check_password(new_password) and not created.is_active
    assert [a["username"] for a in api.get("/api/v1/accounts").json()["items"]].count("api01") == 1
    assert RecordEntry.objects.filter(event="accounts.account_created", object_id=str(created.pk)).exists()

    # Someone who manages no accounts finds none of it.
    cadre = api_as(make_user("village_cadre", VILLAGE_A))
    assert cadre.get("/api/v1/accounts").status_code == 404
    assert cadre.get(url).status_code == 404


def test_accounts_made_with_one_hash_sign_in_and_the_password_is_still_checked(make_user: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    shared = make_password("Xiangzhen@2027")
    made = [
        account_create(actor=organizer, username=f"hash{n}", display_name=f"录入员{n}", password="Xiangzhen@2027",
                       region_code=VILLAGE_A, must_change_password=False, password_hash=shared)
        for n in (1, 2)
    ]  # fmt: skip
    assert [u.password for u in User.objects.filter(pk__in=[u.pk for u in made])] == [shared, shared]
    for user in made:
        signed_in = Client().post("/accounts/login/", {"username": user.username, "password": "Xiangzhen@2027"})
        assert signed_in.status_code == 302
    with pytest.raises(DomainError) as refused:  # a weak password is refused whether or not its hash comes along
        account_create(actor=organizer, username="hash3", display_name="录入员3", password="123",
                       region_code=VILLAGE_A, password_hash=make_password("123"))  # fmt: skip
    assert "password" in refused.value.field_errors
    assert not User.objects.filter(username="hash3").exists()
