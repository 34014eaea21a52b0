"""The API token read with its account in one written-out statement (accounts.selectors.token_with_account, issue
15): the same instances the ORM reads, converted as it converts them, and nothing for a revoked or unknown token."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import TOWN_A
from cunshe.accounts.models import ApiToken, User
from cunshe.accounts.selectors import token_with_account
from cunshe.accounts.services import token_active, token_issue, token_revoke


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_token_and_its_account_are_the_orms_read_in_one_statement(make_user: Any, client: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    token, raw = token_issue(user=user, name="手机")
    with CaptureQueriesContext(connection) as queries:
        found = token_with_account(ApiToken.hash_key(raw))
    assert len(queries) == 1
    assert found is not None and _fields(found) == _fields(ApiToken.objects.get(pk=token.pk))
    assert isinstance(found.user, User) and _fields(found.user) == _fields(User.objects.get(pk=user.pk))
    assert found.created_at.tzinfo is not None and found.user.date_joined.tzinfo is not None  # converted, aware
    assert found.user.shell_version == user.shell_version and found.user.must_change_password is False
    # the API takes it: the account the token names is the one the request acts as
    answer = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200 and answer.json()["username"] == user.username


def test_a_revoked_an_unknown_and_a_disabled_accounts_token_read_nothing(make_user: Any, client: Any) -> None:
    user = make_user("town_officer", TOWN_A)
    _, kept_raw = token_issue(user=user)
    revoked, revoked_raw = token_issue(user=user)
    token_revoke(user=user, token=revoked)
    assert token_with_account(ApiToken.hash_key(revoked_raw)) is None
    assert token_with_account(ApiToken.hash_key("cs_unknown")) is None
    assert token_active(kept_raw) is not None
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {revoked_raw}").status_code == 401
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert token_active(kept_raw) is None
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {kept_raw}").status_code == 401
