"""What a page does with a refused service call: on a form, on an uploaded file, on a printed document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cunshe.core.errors import DomainError, NotPermitted


def apply_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's Chinese messages on the form: by field where the field is on the form, else at the top.
    A key that names a place in a file or a list (第 3 行, a person) rather than a field is said before its message,
    under the summary (有 2 行需要修改…)."""
    places = [key for key in error.field_errors if key not in form.fields and not key.isascii()]
    if places or not error.field_errors:
        form.add_error(None, error.message)
    for field, texts in error.field_errors.items():
        for message in texts:
            if field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, f"{field}：{message}" if field in places else message)


def form_errors_text(form: forms.Form, *, labelled: bool = False) -> str:
    """A refused form's errors as one line for a page message (the page the user returns to has no form to show
    them on); `labelled` names the field before each of its messages."""
    return "；".join(
        f"{form.fields[field].label}：{message}" if labelled and field in form.fields else str(message)
        for field, texts in form.errors.items()
        for message in texts
    )


def form_action[T](request: HttpRequest, form: forms.Form, call: Callable[[dict[str, Any]], T]) -> T | None:
    """The one way a page acts through a form: on a valid POST, run the service with the cleaned data and return
    what it returns; a refused rule shows on the form (None). A role that may not act is a 403 page, not a form
    message (the same answer the API gives); an invisible object stays the service's 404."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None


def button_action[T](request: HttpRequest, call: Callable[[], T], *, done: str | Callable[[T], str]) -> T | None:
    """The one way a page acts through a button (a transition, a confirmation): run the service, say `done` (or
    what it makes of the result) or the refusal as a message on the page the user returns to. A role that may not
    act is a 403 page."""
    try:
        result = call()
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.text)
        return None
    messages.success(request, done if isinstance(done, str) else done(result))
    return result


def form_message_action[T](
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], T],
    *,
    done: str | Callable[[T], str],
) -> T | None:
    """The one way a page acts through a small form posted from another page (a status change, a date, a mark)
    that it returns to: the form's errors (named by field) or the refusal become a message there, `done` (or
    what it makes of the result) the success message. A role that may not act is a 403 page."""
    if not form.is_valid():
        messages.error(request, form_errors_text(form, labelled=True))
        return None
    try:
        result = call(form.cleaned_data)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.text)
        return None
    messages.success(request, done if isinstance(done, str) else done(result))
    return result


def upload_report(request: HttpRequest, form: forms.Form, run: Callable[[dict[str, Any]], Any]) -> Any:
    """Run an import on a posted, valid upload form (`run` gets its cleaned data) and return its report; a file the
    service cannot read at all (not a spreadsheet, wrong header) is shown on the file field. None when nothing ran."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return run(form.cleaned_data)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return None


def document_or_back(request: HttpRequest, make: Callable[[], HttpResponse], back: str) -> HttpResponse:
    """A printed document; when the service refuses it (nothing to print yet, a wrong number of copies), the page
    it was asked from, with the reason."""
    try:
        return make()
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
