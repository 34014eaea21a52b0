from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cunshe.offline.pages import FIELD_PAGES

# Bumped when the worker's caching changes, so phones drop what the old worker stored.
CACHE_VERSION = "1"
# What every field page loads, stored when the worker is installed (the page that installs it loaded them before the
# worker could see the requests).
ASSETS = [
    "cunshe/site.css",
    "cunshe/menu.js",
    "cunshe/favicon.svg",
    "vendor/htmx/htmx.min.js",
    "vendor/idb/umd.js",
    "offline/queue.js",
    "offline/icon-192.png",
]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    body = render(
        request,
        "offline/sw.js",
        {
            "workbox": static("vendor/workbox/workbox-sw.js"),
            "modules": static("vendor/workbox/"),
            "pages": json.dumps([pattern for _label, pattern in FIELD_PAGES]),
            "static_prefix": json.dumps(static("")),
            "fallback": json.dumps("/offline/"),
            "version": json.dumps(CACHE_VERSION),
            "assets": json.dumps([static(name) for name in ASSETS]),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # A browser checks for a new worker on navigation; no-cache keeps an old one from living on in HTTP caches.
    body["Cache-Control"] = "no-cache"
    body["Service-Worker-Allowed"] = "/"
    return body


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "村社 · 村级换届与服务",
        "short_name": "村社",
        "lang": "zh-CN",
        "start_url": "/home/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The phone's queue: the page is a frame, the entries live in the phone's IndexedDB and queue.js lists them."""
    return render(request, "offline/queue.html", {"pages": FIELD_PAGES})


@login_required
@require_GET
@never_cache
def state(request: HttpRequest) -> JsonResponse:
    """Asked by the queue before it sends: that the network and the session are really there (navigator.onLine says
    only that a network interface is up), who is signed in (entries are sent only by the user who wrote them) and a
    current CSRF token (a page kept on the phone may hold one from before the last sign-in)."""
    return JsonResponse({"user": request.user.get_username(), "csrf": get_token(request)})
