"""Whole pages kept while what they show has not changed, with holes for what every response must have anew (issue 15).

A page whose content is kept (`records.kept.Kept`) still rendered its shell on every request: the base template,
the navigation, the crumbs and the form around the kept fragment were about a third of its CPU. `render_kept` keeps
the whole rendered page under the kept value's key — the name (everything the value depends on but the reader, the
data and the clock), the reader and the marker of their grants and bell (accounts.shell_changed), the change number
of the chains the page's region is written to, the day or minute — plus the template and the full path (query string
included) and whether htmx asked (a partial answer). A repeat view runs the view's access check and region lookup as
before and then sends the kept page instead of rendering it.

What differs between two responses of the same page is left as a hole and filled per request:

- the CSRF token (`{% csrf_token %}`, the `X-CSRFToken` of htmx): a masked token of this request's secret,
  `get_token()`, which also sends the cookie as rendering would;
- the CSP nonce, evaluated only when the page uses it, so the header names it exactly then, as rendering would.

Holes are random per process, so no text a user wrote can pass for one. A page is never kept or served from the
cache while messages wait to be shown (they belong to one response), for a method other than GET/HEAD, or with
nothing kept (the test settings: every page is rendered). Only a 200 is kept. Pages are stored compressed: a
county's organizers keep a few hundred pages per worker, each 20-150 kB of HTML."""

from __future__ import annotations

import hashlib
import secrets
import zlib
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from cunshe.records.kept import SUMMARY_CACHE, Clock, Kept

_CSRF_HOLE = f"keptcsrf{secrets.token_hex(12)}".encode()
_NONCE_HOLE = f"keptnonce{secrets.token_hex(12)}".encode()


type Context = dict[str, Any] | Callable[[], dict[str, Any]]


def render_kept(request: HttpRequest, kept: Kept[Any], template_name: str, context: Context) -> HttpResponse:
    """`render(request, template_name, context)`, or the page it gave for the same key (module docstring). The
    context may be a function that builds it: called only when the page is rendered (a page whose value is not
    kept, `Kept(value_kept=False)`, reads nothing on a repeat view)."""
    key = _page_key(request, kept, template_name)
    if key is None:
        return render(request, template_name, _built(context))
    cache = caches[SUMMARY_CACHE]
    found = cache.get(key)
    if found is None:
        holed = {**_built(context), "csrf_token": _CSRF_HOLE.decode(), "csp_nonce": _NONCE_HOLE.decode()}
        page = render_to_string(template_name, holed, request).encode()
        cache.set(key, zlib.compress(page, 1), kept.seconds)
    else:
        page = zlib.decompress(found)
    return HttpResponse(_filled(request, page))


def list_page_kept(
    request: HttpRequest, name: str, *, region_code: str | None = None, clock: Clock = "day"
) -> Kept[None]:
    """The key of a page kept whole: its name, the reader, the query string (filters, page) and the change number of
    the chains the page's region is written to (`region_code`: a roll-up's region; by default the reader's regions,
    `scope_root`); no value of its own (the context is built only when the page is rendered)."""
    from cunshe.access.policy import scope_root

    return Kept(
        f"{name}:{region_code}:{request.GET.urlencode()}",
        request.user,
        lambda: None,
        region_code=scope_root(request.user) if region_code is None else region_code,
        value_kept=False,
        clock=clock,
    )


def _built(context: Context) -> dict[str, Any]:
    return context() if callable(context) else context


def _page_key(request: HttpRequest, kept: Kept[Any], template_name: str) -> str | None:
    if kept.key is None or request.method not in ("GET", "HEAD"):
        return None
    if len(get_messages(request)):  # counts them without marking them shown
        return None
    htmx = bool(getattr(request, "htmx", False))
    said = f"{template_name}\n{request.get_full_path()}\n{htmx}"
    return f"page:{kept.key}:{hashlib.sha1(said.encode(), usedforsecurity=False).hexdigest()}"


def _filled(request: HttpRequest, page: bytes) -> bytes:
    if _CSRF_HOLE in page:
        page = page.replace(_CSRF_HOLE, get_token(request).encode())
    if _NONCE_HOLE in page:
        page = page.replace(_NONCE_HOLE, str(getattr(request, "_csp_nonce", "")).encode())
    return page
