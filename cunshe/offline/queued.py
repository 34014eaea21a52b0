"""How a page answers an entry sent from the phone's queue (cunshe/offline/static/offline/queue.js).

The queue posts the same form to the same URL as the page would, with the entry's `client_id` and the header
`X-Cunshe-Queue`; the view answers it in JSON instead of a page, so the phone knows whether the entry was saved
(201, or 200 for a resend of one already saved), refused (400/403/404, with the reasons), or in conflict with a
change made on the server meanwhile (409, with the record as it now is, shown beside the entry on the phone).

Wiring a page: put `data-offline="<kind>"` on its form, add the page's URL to FIELD_PAGES in cunshe/offline/pages.py,
and in the view, before the ordinary POST handling:

    if is_queued(request):
        return queued_answer(request, form, lambda data: service(actor=acting_user(request), ...), kind="<kind>",
                             done=lambda obj: "已……", url=lambda obj: reverse(...))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, JsonResponse

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import ConcurrentEdit, DomainError
from cunshe.offline.submissions import parse_client_id, submit_once

QUEUE_HEADER = "X-Cunshe-Queue"


def is_queued(request: HttpRequest) -> bool:
    return request.method == "POST" and QUEUE_HEADER in request.headers


def _answer(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"message": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False})


def _labelled(form: forms.Form, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {str(form.fields[f].label) if f in form.fields else f: [str(m) for m in msgs] for f, msgs in errors.items()}


def queued_answer[T: Any](
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], T],
    *,
    kind: str,
    done: Callable[[T], str],
    url: Callable[[T], str],
    current: Callable[[], dict[str, str]] | None = None,
) -> JsonResponse:
    """`current`: the record the entry edits as it now stands (field → text), sent with a conflict."""
    if not form.is_valid():
        errors = {f: [str(m) for m in msgs] for f, msgs in form.errors.items()}
        return _answer(400, "提交的数据有误，未保存。", errors=_labelled(form, errors))
    try:
        client_id = parse_client_id(request.POST.get("client_id"))
        created, first = submit_once(
            actor=acting_user(request), client_id=client_id, kind=kind, create=lambda: call(form.cleaned_data)
        )
    except ConcurrentEdit as exc:
        return _answer(409, exc.message, errors=_labelled(form, exc.field_errors), current=current() if current else {})
    except DomainError as exc:  # NotPermitted included: 403
        return _answer(exc.status_code, exc.message, errors=_labelled(form, exc.field_errors))
    text = done(created)
    if request.headers[QUEUE_HEADER] == "foreground":  # the page itself sent it and goes on to `url`
        messages.success(request, text)
    return _answer(201 if first else 200, text, url=url(created), repeat=not first)
