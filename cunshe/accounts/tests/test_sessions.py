"""Sessions are read without a write on every request, yet an idle one still expires (issue 15)."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone

from conftest import PASSWORD, TOWN_A, TOWN_B, VILLAGE_A
from cunshe.accounts.middleware import SESSION_REFRESH_FRACTION
from cunshe.accounts.models import Session, User
from cunshe.core.actors import SYSTEM

AGE = timedelta(seconds=settings.SESSION_COOKIE_AGE)
STEP = AGE / SESSION_REFRESH_FRACTION


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """timezone.now() moved by hand: the session store, its expiry and the middleware all read it."""
    real = timezone.now
    offset = [timedelta()]
    monkeypatch.setattr(timezone, "now", lambda: real() + offset[0])

    class Clock:
        def advance(self, by: timedelta) -> None:
            offset[0] += by

    return Clock()


def _signed_in(make_user: Any) -> Client:
    user = make_user("town_officer", TOWN_A)
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def _expiry(client: Client) -> Any:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_a_page_read_soon_after_the_last_renewal_does_not_write_the_session(make_user: Any, clock: Any) -> None:
    client = _signed_in(make_user)
    first = _expiry(client)
    clock.advance(STEP / 2)
    assert client.get("/home/").status_code == 200
    assert _expiry(client) == first  # nothing written


def test_an_active_session_is_renewed_and_outlives_its_first_age(make_user: Any, clock: Any) -> None:
    client = _signed_in(make_user)
    first = _expiry(client)
    # A page every half hour for three hours: longer than one age, never idle for one.
    for _ in range(6):
        clock.advance(timedelta(minutes=30))
        assert client.get("/home/").status_code == 200
    assert _expiry(client) > first + timedelta(hours=2)
    assert client.get("/home/").status_code == 200


def test_an_idle_session_expires(make_user: Any, clock: Any) -> None:
    client = _signed_in(make_user)
    clock.advance(STEP * 2)
    assert client.get("/home/").status_code == 200  # renews: expiry is now + AGE
    clock.advance(AGE + timedelta(seconds=1))
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_idle_session_expires_even_just_after_a_read_that_did_not_renew(make_user: Any, clock: Any) -> None:
    client = _signed_in(make_user)
    clock.advance(STEP / 2)
    assert client.get("/home/").status_code == 200  # not renewed
    clock.advance(AGE - STEP / 2 + timedelta(seconds=1))  # idle less than AGE since that read, but AGE since login
    assert client.get("/home/").status_code == 302


@pytest.mark.django_db
def test_anonymous_requests_create_no_session() -> None:
    client = Client()
    client.get("/accounts/login/")
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()


def test_a_session_from_djangos_own_store_is_not_read_and_an_unknown_key_reads_empty(make_user: Any) -> None:
    """Sessions are kept in accounts.Session: one Django's own store saved (before this store) is not found, so
    that browser is asked to sign in again once (docs/deploy.md), and any unknown key reads as no session."""
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from cunshe.accounts.sessions import SessionStore

    theirs = DjangoStore()
    theirs.update({"answer": 42})
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours.load() == {} and ours.session_key is None
    kept = SessionStore()
    kept.update({"answer": 42, "when": "2026-12-06"})
    kept.save()
    assert SessionStore(kept.session_key).load() == {"answer": 42, "when": "2026-12-06"}


def _bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


urlpatterns = [path("bare/", _bare)]


def test_a_signed_in_request_reads_its_session_and_account_in_one_statement(make_user: Any) -> None:
    client = _signed_in(make_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    officer = Session.objects.get(session_key=key).user
    assert officer is not None and officer.username.startswith("town_officer")
    # a view that reads nothing but the signed-in user, as bench/pages.py's bare view
    with override_settings(ROOT_URLCONF=__name__), CaptureQueriesContext(connection) as queries:
        assert client.get("/bare/").content.decode() == officer.username
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "accounts_session" in queries[0]["sql"] and "accounts_user" in queries[0]["sql"]
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(make_user: Any) -> None:
    """The account comes with the session, but Django's check of the session's password hash still runs on it."""
    from cunshe.accounts.services import password_reset

    organizer = make_user("county_organizer", "371681")
    client = _signed_in(make_user)
    officer = User.objects.get(username=client.get("/home/").wsgi_request.user.get_username())
    assert client.get("/home/").status_code == 200
    password_reset(actor=organizer, user=officer)
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_signed_in_user_is_read_whole_and_a_disabled_account_is_signed_out(make_user: Any) -> None:
    """The backend's own read of the user each request: the row with its fields converted (an aware last login),
    and nobody once the account is disabled — the next page asks to sign in."""
    from cunshe.accounts.backends import AccountBackend
    from cunshe.accounts.services import account_set_active

    organizer = make_user("county_organizer", "371681")
    client = _signed_in(make_user)
    officer = client.get("/home/").wsgi_request.user
    read = AccountBackend().get_user(officer.pk)
    assert read is not None and read.pk == officer.pk and read.username == officer.username
    assert read.last_login is not None and timezone.is_aware(read.last_login)
    assert AccountBackend().get_user(10**9) is None
    account_set_active(actor=organizer, user=read, active=False)
    assert AccountBackend().get_user(officer.pk) is None
    response = client.get("/home/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_daily_job_clears_expired_sessions_and_keeps_live_ones(make_user: Any, clock: Any) -> None:
    from cunshe.deadlines.daily import run_daily

    stale = _signed_in(make_user)
    clock.advance(AGE + timedelta(seconds=1))
    live = _signed_in(make_user)
    [result] = run_daily(only=["accounts.sessions"])
    assert result.ok and result.message == "清理过期会话 1 个"
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert live.cookies[settings.SESSION_COOKIE_NAME].value in keys
    assert stale.cookies[settings.SESSION_COOKIE_NAME].value not in keys


def _statements(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_kept_page_reads_its_change_number_with_the_session_and_sees_a_write_made_meanwhile(
    kept_summaries: Any, make_user: Any
) -> None:
    """The change numbers a session's last request asked for are read with the session next time (one round trip for
    a kept page, not two): read then, so a write another worker recorded between two views is on the next one."""
    from django.db import transaction

    from cunshe.records.services import record

    reader, writer = _signed_in(make_user), _signed_in(make_user)
    url = f"/issueboard/?under={TOWN_A}"
    first = _statements(reader, url)
    assert any("records_recordchain" in q and "accounts_session" not in q for q in first)  # asked on its own
    again = _statements(reader, url)
    assert len(again) == 1 and "accounts_session" in again[0] and "records_recordchain" in again[0]
    assert not reader.get(url).templates  # kept
    writer.get(url)  # another session, as another worker's: what it reads changes nothing of the reader's
    with transaction.atomic():
        record(actor=SYSTEM, region_code=VILLAGE_A, event="records.test_changed", summary="测试变更")
    assert reader.get(url).templates  # built again: the number read with the session was the new one
    assert not reader.get(url).templates
    with transaction.atomic():
        record(actor=SYSTEM, region_code=TOWN_B, event="records.test_changed", summary="测试变更")
    assert reader.get(url).templates  # another town of the county: its chain is the county's, as before


def test_a_page_of_another_region_reads_its_own_change_number(kept_summaries: Any, make_user: Any) -> None:
    reader = _signed_in(make_user)
    _statements(reader, f"/issueboard/?under={TOWN_A}")
    other = _statements(reader, f"/issueboard/?under={VILLAGE_A}")  # not what the last view asked for
    assert [q for q in other if "records_recordchain" in q and "accounts_session" not in q]
    assert len(_statements(reader, f"/issueboard/?under={VILLAGE_A}")) == 1  # remembered now


def test_with_nothing_kept_the_session_is_read_alone(make_user: Any) -> None:
    reader = _signed_in(make_user)
    for _ in range(2):
        statements = _statements(reader, f"/issueboard/?under={TOWN_A}")
        assert not any("records_recordchain" in q for q in statements)  # no change number read at all


def test_a_page_that_asks_no_change_number_reads_none_with_the_session(kept_summaries: Any, make_user: Any) -> None:
    from django.urls import reverse

    reader = _signed_in(make_user)
    for _ in range(2):
        _statements(reader, f"/issueboard/?under={TOWN_A}")
    form = reverse("accounts:password_change")
    for _ in range(2):
        assert not any("records_recordchain" in q for q in _statements(reader, form))
