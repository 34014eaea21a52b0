"""The project's URLs plus a bare view for bench/pages.py: the same middleware as every page, no database, no
template. Mounted only by bench/pages_site.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from cunshe.urls import handler400, handler403, handler404, handler500
from cunshe.urls import urlpatterns as project_patterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare), *project_patterns]
