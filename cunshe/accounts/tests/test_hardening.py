"""Accounts under attack or odd use (issue 14, items 18 and 20)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, TOWN_A
from cunshe.accounts.models import ApiToken
from cunshe.accounts.services import account_create, password_reset, role_assign, token_issue
from cunshe.core.actors import SYSTEM

FIRST = "Chushi#2026mima"


def _token(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_a_lowercase_bearer_revoke_revokes_the_token(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    _token_row, raw = token_issue(user=user)
    client = Client()
    answer = client.delete("/api/v1/auth/token", headers={"Authorization": f"bearer {raw}"})
    assert answer.status_code == 200 and answer.json()["message"] == "令牌已作废。"
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_a_token_has_a_lifetime_shown_on_issue_and_is_refused_after_it(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    issued = _token(client, user.username)
    assert issued.status_code == 201
    expires = issued.json()["expires_at"]
    token = ApiToken.objects.get(prefix=issued.json()["prefix"])
    assert token.expires_at is not None and abs(
        token.expires_at - timezone.now() - timedelta(days=settings.CUNSHE_API_TOKEN_DAYS)
    ) < timedelta(minutes=1)
    assert abs(datetime.fromisoformat(expires) - token.expires_at) < timedelta(seconds=1)
    auth = {"Authorization": f"Bearer {issued.json()['token']}"}
    assert client.get("/api/v1/auth/me", headers=auth).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/auth/me", headers=auth).status_code == 401


def test_a_first_password_gives_no_token_until_changed_through_the_api(make_user: Any) -> None:
    user = account_create(actor=SYSTEM, username="xin01", display_name="新账号", password=FIRST, region_code=TOWN_A)
    role_assign(actor=SYSTEM, user=user, role="town_officer", region_code=TOWN_A)
    client = Client()
    refused = _token(client, "xin01", FIRST)
    assert refused.status_code == 403 and "请先修改初始密码" in refused.json()["message"]
    change = "/api/v1/auth/password"
    same = {"username": "xin01", "old_password": FIRST, "new_password": FIRST}
    assert client.post(change, same, content_type="application/json").status_code == 400
    wrong = {"username": "xin01", "old_password": "nope", "new_password": "Xinmima#2026ab"}
    assert client.post(change, wrong, content_type="application/json").status_code == 400
    weak = {"username": "xin01", "old_password": FIRST, "new_password": "123"}
    assert client.post(change, weak, content_type="application/json").status_code == 400
    good = {"username": "xin01", "old_password": FIRST, "new_password": "Xinmima#2026ab"}
    assert client.post(change, good, content_type="application/json").status_code == 200
    assert _token(client, "xin01", "Xinmima#2026ab").status_code == 201


def test_a_token_stops_working_when_an_administrator_resets_the_password(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    _row, raw = token_issue(user=user)
    auth = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/auth/me", headers=auth).status_code == 200
    password_reset(actor=make_user("county_organizer", "371681"), user=user)
    refused = Client().get("/api/v1/auth/me", headers=auth)
    assert refused.status_code == 403 and "请先修改初始密码" in refused.json()["message"]


def test_a_first_password_opens_only_the_password_page(make_user: Any) -> None:
    user = account_create(actor=SYSTEM, username="xin02", display_name="新账号", password=FIRST, region_code=TOWN_A)
    role_assign(actor=SYSTEM, user=user, role="town_officer", region_code=TOWN_A)
    client = Client()
    assert client.post("/accounts/login/", {"username": "xin02", "password": FIRST}).status_code == 302
    assert client.get("/people/")["Location"] == "/accounts/password/"
    assert client.get("/people/", headers={"HX-Request": "true"})["HX-Redirect"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200


def test_the_web_login_of_a_locked_account_says_so_in_chinese(make_user: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429 and "账号已暂时锁定" in locked.content.decode()


def test_one_address_trying_many_accounts_is_locked_out(make_user: Any, settings: Any) -> None:
    settings.CUNSHE_ADDRESS_FAILURE_LIMIT = 6
    users = [make_user("town_officer", TOWN_A) for _ in range(4)]
    client = Client()
    for user in users[:3]:  # two failures per account: no account reaches its own limit
        for _ in range(2):
            client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    page = client.post("/accounts/login/", {"username": users[3].username, "password": PASSWORD})
    assert page.status_code == 429 and "已暂时禁止从这里登录" in page.content.decode()
    api = _token(client, users[3].username)
    assert api.status_code == 429 and "已暂时禁止从这里登录" in api.json()["message"]
    other = Client(REMOTE_ADDR="10.1.2.3")  # another address is not affected
    assert other.post("/accounts/login/", {"username": users[3].username, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/public/"])
def test_pages_carry_a_content_security_policy(path: str, client: Client, zouping: Any) -> None:
    policy = client.get(path).headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_the_posters_print_script_runs_under_the_policy_by_its_nonce(make_user: Any, zouping: Any) -> None:
    from datetime import date

    from cunshe.commitments.services import commitment_create

    commitment_create(
        actor=make_user("village_cadre", "371681001213"),
        village_code="371681001213",
        year=2026,
        category="提升改善村容村貌",
        title="修缮村史馆",
        content="内容",
        target="目标",
        deadline=date(2026, 12, 31),
        responsible_post="村党组织书记",
    )
    page = Client().get("/public/commitments/371681001213/poster/")
    policy = page.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page.content.decode() and " onclick=" not in page.content.decode()
