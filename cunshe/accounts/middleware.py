"""An account on its one-time first password sees only the password change page until it has changed it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse


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
