"""What a locked-out login gets (django-axes calls this): JSON for the API, the Chinese page for the web."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

MESSAGE = "连续多次密码错误，账号已暂时锁定，请 30 分钟后再试或联系县委组织部管理员解锁。"


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"message": MESSAGE, "errors": {}}, status=429, json_dumps_params={"ensure_ascii": False})
    return render(request, "accounts/locked.html", {"message": MESSAGE}, status=429)
