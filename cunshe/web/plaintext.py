"""Text typed into a page, without control characters or direction overrides, for every form in one place.

The API's schemas strip them (cunshe.core.schema.plain_text) and so must the pages: a C0 control breaks the Excel
ledgers and the PDF printouts, and a right-to-left override makes a name on a public page read differently from what
was stored. Forms are many and keep being added; the form data of a page request is cleaned here once, before any
view reads it. Passwords are left exactly as typed (they are compared, never shown), and files are not text.
The query string of every request, page or API, is cleaned the same way: a filter like ?kind=%00 reached the
database, and PostgreSQL refuses text with a NUL byte (a 500 where an empty result is the answer).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, QueryDict

from cunshe.core.schema import CONTROL, plain_text

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PlainTextFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.META.get("QUERY_STRING") and any(CONTROL.search(v) for v in _values(request.GET)):
            request.GET = _cleaned(request.GET, keep_passwords=False)  # type: ignore[assignment]
        if request.method == "POST" and not request.path.startswith(API_PREFIX) and _is_form(request):
            request.POST = _cleaned(request.POST, keep_passwords=True)  # type: ignore[assignment]  # a view sees only the cleaned form
        return self.get_response(request)


def _values(data: QueryDict) -> list[str]:
    return [value for _key, values in data.lists() for value in values]


def _cleaned(data: QueryDict, *, keep_passwords: bool) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        keep = keep_passwords and "password" in key
        cleaned.setlist(plain_text(key), [value if keep else plain_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


def _is_form(request: HttpRequest) -> bool:
    return request.content_type in FORM_TYPES
