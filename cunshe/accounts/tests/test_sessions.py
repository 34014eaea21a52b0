"""Sessions are read without a write on every request, yet an idle one still expires (issue 15)."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, TOWN_A
from cunshe.accounts.middleware import SESSION_REFRESH_FRACTION

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


def test_a_session_saved_by_djangos_own_store_reads_the_same(make_user: Any) -> None:
    """The store changes how a session is read, not what is stored: a row Django's database store wrote (sessions
    from before this store) reads the same, and an unknown key reads as no session."""
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from cunshe.accounts.sessions import SessionStore

    theirs = DjangoStore()
    theirs.update({"answer": 42, "when": "2026-12-06"})
    theirs.save()
    ours = SessionStore(theirs.session_key)
    assert ours.load() == {"answer": 42, "when": "2026-12-06"}
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


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
