"""The demo is served with DEBUG off and says where (issue 14, item 21): Django's English debug 404 listed every URL
and a 500 showed a traceback; the demo printed :8000 whatever port it was started on."""

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from cunshe.demo.management.commands.demo import demo_url
from cunshe.settings import demo as demo_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8080", "http://127.0.0.1:8080/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("192.168.1.20:8001", "http://192.168.1.20:8001/"),
        ("[::1]:8002", "http://[::1]:8002/"),
    ],
)
def test_the_demo_prints_the_address_it_serves_on(addrport: str, url: str) -> None:
    assert demo_url(addrport) == url


def test_run_py_serves_the_demo_with_its_settings_on_the_address_given(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("run_for_test", ROOT / "run.py")
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    calls: list[list[str]] = []
    served: dict[str, Any] = {}
    monkeypatch.setattr(run, "ensure_environment", lambda: Path("/nonexistent/python"))
    monkeypatch.setattr(run.subprocess, "run", lambda args, **kw: calls.append(list(args)))
    monkeypatch.setattr(run.os, "execve", lambda path, args, env: served.update(args=args, env=env))
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr(sys, "argv", ["run.py", "demo", "0.0.0.0:8123"])
    run.main()
    assert calls[1][1:] == ["demo", "--addrport", "0.0.0.0:8123"]
    assert served["args"][1:] == ["runserver", "0.0.0.0:8123"]
    assert served["env"]["DJANGO_SETTINGS_MODULE"] == "cunshe.settings.demo"


DEMO = {
    "DEBUG": False,
    "MIDDLEWARE": demo_settings.MIDDLEWARE,
    "WHITENOISE_USE_FINDERS": True,
    "WHITENOISE_AUTOREFRESH": True,
}


def test_the_demo_settings_turn_debug_off_and_serve_static_files() -> None:
    assert demo_settings.DEBUG is False and "whitenoise.middleware.WhiteNoiseMiddleware" in demo_settings.MIDDLEWARE
    with override_settings(**DEMO):
        client = Client()
        css = client.get("/static/cunshe/site.css")
        assert css.status_code == 200 and b"{" in b"".join(css.streaming_content)  # type: ignore[attr-defined]
        htmx = client.get("/static/vendor/htmx/htmx.min.js")
        assert htmx.status_code == 200


def test_the_demo_answers_404_and_500_with_the_chinese_pages(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with override_settings(**DEMO):
        client = Client(raise_request_exception=False)
        missing = client.get("/no-such-page/")
        page = missing.content.decode()
        assert missing.status_code == 404 and "页面不存在" in page and "URLconf" not in page

        def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr("cunshe.web.views.public_links", broken)
        fault = client.get("/public/")
        page = fault.content.decode()
        assert fault.status_code == 500 and "系统出错" in page and "Traceback" not in page and "a bug" not in page
