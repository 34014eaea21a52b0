"""A worker builds its URL tables and compiles every template as it starts (web.warmup, issue 15), and a template
that does not compile is logged without keeping the worker from starting."""

from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test import override_settings
from django.urls import clear_url_caches, get_resolver

from cunshe.web.warmup import warm_up


def _cached_loader() -> CachedLoader:
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    assert isinstance(loader, CachedLoader)
    return loader


def test_every_namespace_and_every_template_is_built_before_the_first_request() -> None:
    clear_url_caches()  # as in a fresh worker
    _cached_loader().reset()
    done = warm_up()
    assert done["templates"] == len(list(Path("cunshe").glob("*/templates/**/*.html")))
    _prefix, elections = get_resolver().namespace_dict["elections"]
    assert elections._populated  # type: ignore[attr-defined]  # its reverse table built, not at the first reverse()
    assert {"web/home.html", "base.html", "elections/detail.html"} <= set(_cached_loader().get_template_cache)


@pytest.mark.parametrize("broken", ["{% if %}", "{% load no_such_library %}"])
def test_a_template_that_does_not_compile_is_logged_and_the_rest_are_compiled(
    tmp_path: Path, caplog: Any, broken: str
) -> None:
    (tmp_path / "broken.html").write_text(broken)
    (tmp_path / "fine.html").write_text("<p>{{ x }}</p>")
    settings = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=settings):
        done = warm_up()
    assert done["templates"] == 1
    assert "模板预编译失败" in caplog.text and "broken.html" in caplog.text
