"""An account on its one-time first password sees only the password change page until it has changed it; sessions
renewed while in use without a write on every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from cunshe.accounts.sessions import regions_asked_remember


class FirstPasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            change, logout = reverse("accounts:password_change"), reverse("accounts:logout")
            open_paths = (change, logout, settings.STATIC_URL, "/api/", "/public/")
            if not request.path.startswith(open_paths):
                messages.info(request, "这是管理员发给您的初始密码，请先修改密码，再使用系统。")
                if request.headers.get("HX-Request"):
                    return HttpResponse(status=204, headers={"HX-Redirect": change})
                return HttpResponseRedirect(change)
        return self.get_response(request)


# The session's stored expiry is pushed forward only when this share of its age has passed since the last push: a
# signed-in page then reads its session without writing it (one database write per ~10 minutes of activity instead of
# one per request), and a session idle for SESSION_COOKIE_AGE has always expired — at most this share earlier.
SESSION_REFRESH_FRACTION = 12
_REFRESHED = "_refreshed_at"


def stamp_session_on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A new session is saved at login (with its expiry): it starts its first renewal period then, so the next
    request need not write it again (also for sessions the test client makes with force_login)."""
    request.session[_REFRESHED] = timezone.now().timestamp()


class SessionRefreshMiddleware:
    """Idle expiry without a write on every read (SESSION_SAVE_EVERY_REQUEST is off).

    Placed after SessionMiddleware: on the way out, a session that holds data and was last refreshed more than
    SESSION_COOKIE_AGE / SESSION_REFRESH_FRACTION ago is marked modified, so SessionMiddleware saves it with a new
    expiry. A request without a session cookie is not looked at (an anonymous page loads no session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.every = settings.SESSION_COOKIE_AGE / SESSION_REFRESH_FRACTION

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.session.modified:
            return response
        session = request.session
        if session.is_empty():
            return response
        regions_asked_remember(session.session_key)  # read with the session next time (accounts.sessions)
        now = timezone.now().timestamp()
        if session.modified or now - session.get(_REFRESHED, 0) >= self.every:
            session[_REFRESHED] = now  # marks the session modified: SessionMiddleware saves it, expiry renewed
        return response
