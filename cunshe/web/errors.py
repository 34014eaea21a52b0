"""Error answers outside a view's own handling: the Chinese error pages, and under /api/ the API's JSON error shape
({"message", "errors"}), so a client never has to read an HTML page (a URL the API does not have, a server error)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views import defaults

API_PREFIX = "/api/"


def _json(status: int, message: str) -> HttpResponse:
    body = json.dumps({"message": message, "errors": {}}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(400, "请求格式有误，无法处理。")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(403, "您的角色无权执行此操作。")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(404, "未找到该接口或记录。")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _json(500, "服务器内部错误，已记录。请稍后重试；如仍出错请联系管理员。")
    return defaults.server_error(request)


class OddNumbersMiddleware:
    """A number too large for the database (a page id like /people/99999999999999999999/) names no record: a 404,
    not the OverflowError SQLite raises for it. The API answers the same through its own handler."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, OverflowError):
            return page_not_found(request, exception)
        return None
