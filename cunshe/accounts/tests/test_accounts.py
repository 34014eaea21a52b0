from typing import Any

import pytest
from django.conf import settings
from django.http import Http404
from django.test import Client

from conftest import PASSWORD, TOWN_A, VILLAGE_A
from cunshe.access.policy import grants_of
from cunshe.accounts.models import ApiToken
from cunshe.accounts.services import account_create, department_create, role_assign, role_revoke
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, NotPermitted
from cunshe.records.models import RecordEntry


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_chinese_and_the_root_leads_to_it(client: Client, zouping: Any) -> None:
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    page = response.content.decode()
    assert "登录" in page and "用户名" in page and 'lang="zh-CN"' in page


def test_wrong_password_message_is_chinese(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    page = _login(Client(), user.username, "wrong-password").content.decode()
    assert "请输入一个正确的" in page or "不正确" in page or "正确的用户名和密码" in page


def test_repeated_failures_lock_the_account(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong-password")
    locked = _login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    api = Client().post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert api.status_code == 429 and "锁定" in api.json()["message"]


def test_login_logout_and_password_change_are_recorded(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    assert _login(client, user.username, PASSWORD)["Location"] == "/home/"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Xinmima#2026", "new_password2": "Xinmima#2026"},
    )
    assert response.status_code == 302
    assert RecordEntry.objects.filter(event="accounts.password_changed", actor=user).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/home/")["Location"].startswith("/accounts/login/")
    assert _login(Client(), user.username, "Xinmima#2026").status_code == 302


def test_sessions_expire_when_idle_and_with_the_browser() -> None:
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    # Idle expiry without a write per request: cunshe/accounts/tests/test_sessions.py
    assert "cunshe.accounts.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_roles_are_assigned_only_at_their_level(make_user: Any) -> None:
    user = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(DomainError, match="只能分配在"):
        role_assign(actor=SYSTEM, user=user, role="village_cadre", region_code=TOWN_A)
    with pytest.raises(DomainError, match="须指定所属单位"):
        role_assign(actor=SYSTEM, user=user, role="reviewer", region_code="371681")


def test_an_account_can_hold_several_assignments(make_user: Any) -> None:
    user = make_user("village_cadre", VILLAGE_A)
    role_assign(actor=SYSTEM, user=user, role="first_secretary", region_code="371681002201")
    assert {g.role for g in grants_of(user)} == {"village_cadre", "first_secretary"}


def test_only_county_organizers_manage_accounts_in_their_county(make_user: Any) -> None:
    organizer = make_user("county_organizer", "371681")
    officer = make_user("town_officer", TOWN_A)
    created = account_create(
        actor=organizer, username="newcadre", display_name="新村干部", password="Cunshe#2026x", region_code=VILLAGE_A
    )
    assignment = role_assign(actor=organizer, user=created, role="village_cadre", region_code=VILLAGE_A)
    with pytest.raises(NotPermitted):
        account_create(actor=officer, username="x1", display_name="x", password="Cunshe#2026x", region_code=VILLAGE_A)
    with pytest.raises(Http404):  # assignments are invisible to a town officer
        role_revoke(actor=officer, assignment=assignment)
    role_revoke(actor=organizer, assignment=assignment)
    assert grants_of(created) == []
    assert RecordEntry.objects.filter(event="accounts.role_revoked", object_id=str(assignment.pk)).exists()


def test_weak_passwords_are_refused_in_chinese(zouping: Any) -> None:
    with pytest.raises(DomainError) as caught:
        account_create(actor=SYSTEM, username="weak", display_name="弱密码", password="12345678", region_code=TOWN_A)
    assert any("密码" in m for m in caught.value.field_errors["password"])


def test_department_belongs_to_a_county(zouping: Any) -> None:
    with pytest.raises(DomainError, match="县级"):
        department_create(actor=SYSTEM, county_code=TOWN_A, name="某局")


def test_api_token_lifecycle(make_user: Any, zouping: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    bad = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json() == {
        "message": "用户名或密码错误。",
        "errors": {"password": ["用户名或密码错误。"]},
    }
    issued = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert issued.status_code == 201
    raw = issued.json()["token"]
    assert not ApiToken.objects.filter(key_hash=raw).exists()  # only the hash is kept
    auth = {"Authorization": f"Bearer {raw}"}
    me = client.get("/api/v1/auth/me", headers=auth).json()
    assert me["username"] == user.username and me["grants"][0]["region"] == TOWN_A
    assert client.delete("/api/v1/auth/token", headers=auth).status_code == 200
    denied = client.get("/api/v1/auth/me", headers=auth)
    assert denied.status_code == 401 and denied.json()["message"].startswith("未登录")


def test_a_forged_forwarded_header_does_not_dodge_the_lockout(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": user.username, "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    locked = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert locked.status_code == 429


def test_a_department_is_renamed_or_taken_out_of_the_review_never_deleted(make_user: Any) -> None:
    from cunshe.accounts.services import department_update

    organizer = make_user("county_organizer", "371681")
    police = department_create(actor=SYSTEM, county_code="371681", name="市公安局")
    department_create(actor=SYSTEM, county_code="371681", name="市法院")
    with pytest.raises(DomainError, match="已有联审单位"):
        department_update(actor=organizer, department=police, name="市法院", is_active=True, expected_version=1)
    department_update(
        actor=organizer, department=police, name="市公安局（含交警）", is_active=False, expected_version=1
    )
    with pytest.raises(ConcurrentEdit):  # a second edit from the same version saves nothing (issue 14, item 17)
        department_update(actor=organizer, department=police, name="市公安局二", is_active=True, expected_version=1)
    police.refresh_from_db()
    assert (police.name, police.is_active) == ("市公安局（含交警）", False)
    assert RecordEntry.objects.filter(event="accounts.department_updated", object_id=str(police.pk)).exists()
    with pytest.raises(Http404):  # a county's departments are not a town officer's to see
        department_update(
            actor=make_user("town_officer", TOWN_A), department=police, name="x", is_active=True, expected_version=2
        )
