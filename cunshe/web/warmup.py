"""What a worker builds once and would otherwise build on its first requests, built as it starts (issue 15).

A fresh worker paid for its first `reverse()` (the URL patterns of every namespace: about 0.5 s of CPU after the
URLconf's import) and for compiling each template on its first use (the cached loader keeps it after that) inside
the requests that happened to come first: in bench/pages.py they were the p99 of whichever page a worker served
first, and on a county's server the first pages after each restart. `cunshe.wsgi` calls `warm_up()` before
`gc.freeze()`, so what it builds is also moved out of the collector's generations with the rest of the loaded code."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

logger = logging.getLogger(__name__)


def warm_up() -> dict[str, float | int]:
    """Populate every URL resolver and compile every template of the project's apps; says what it did."""
    started = time.perf_counter()
    resolvers = _populate(get_resolver())
    templates = 0
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory)
            if "site-packages" in root.parts:  # Django's and packages' own: loaded only where they are used
                continue
            for path in sorted(root.rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(root).as_posix())
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    # a broken template must not keep the worker from starting; the page using it says so
                    logger.exception("模板预编译失败：%s", path)
                    continue
                templates += 1
    done = {"resolvers": resolvers, "templates": templates, "seconds": round(time.perf_counter() - started, 2)}
    logger.info("预热完成：%s", done)
    return done


def _populate(resolver: URLResolver) -> int:
    """The resolver's reverse tables and those of every namespace under it (each is built on its first reverse)."""
    resolver.reverse_dict  # noqa: B018  # built on first access
    count = 1
    for _prefix, child in resolver.namespace_dict.values():
        count += _populate(child)
    return count
