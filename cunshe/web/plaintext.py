"""Text typed into a page, without control characters or direction overrides, for every form in one place.

The API's schemas strip them (cunshe.core.schema.plain_text) and so must the pages: a C0 control breaks the Excel
ledgers and the PDF printouts, and a right-to-left override makes a name on a public page read differently from what
was stored. Forms are many and keep being added; the form data of a page request is cleaned here once, before any
view reads it. Passwords are left exactly as typed (they are compared, never shown), and files are not text.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, QueryDict

from cunshe.core.schema import plain_text

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class PlainTextFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST" and not request.path.startswith(API_PREFIX) and _is_form(request):
            cleaned = QueryDict(mutable=True)
            for key, values in request.POST.lists():
                keep = "password" in key
                cleaned.setlist(key, [value if keep else plain_text(value) for value in values])
            cleaned._mutable = False
            request.POST = cleaned  # type: ignore[assignment]  # a view sees only the cleaned form
        return self.get_response(request)


def _is_form(request: HttpRequest) -> bool:
    return request.content_type in FORM_TYPES
