"""Driving Debian's Chromium through Playwright, for the browser tests of any module.

The browser is Debian's Chromium (`apt-get install chromium`), never a Playwright download: CUNSHE_CHROMIUM names
the binary (default /usr/bin/chromium). Without it the tests are skipped on a workstation and fail in CI (env CI).
A test module uses `pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]` and imports
`allow_orm_beside_playwright` so that its autouse fixture applies there."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PHONE = {"width": 375, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="module")
def allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop on this thread; Django would then refuse the ORM calls the test
    and the database teardown make. They are not async code, so the check is switched off for this module only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def chromium_executable() -> str:
    path = os.environ.get("CUNSHE_CHROMIUM", "/usr/bin/chromium")
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    message = (
        f"找不到 Chromium 可执行文件 {path}：请 `apt-get install chromium`，或用环境变量 CUNSHE_CHROMIUM 指向它。"
        " (Chromium binary not found; install Debian's chromium or set CUNSHE_CHROMIUM.)"
    )
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


class _Browser:
    """The launched browser, whose pages and contexts block service workers unless the test allows them: the offline
    worker (cunshe/offline) is tested by its own tests; elsewhere it would put its cache and its queue page between a
    test and the page it asks for."""

    def __init__(self, browser: Any, service_workers: str) -> None:
        self._browser, self._service_workers = browser, service_workers

    def new_page(self, **options: Any) -> Any:
        return self._browser.new_page(**{"service_workers": self._service_workers, **options})

    def new_context(self, **options: Any) -> Any:
        return self._browser.new_context(**{"service_workers": self._service_workers, **options})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@contextmanager
def chromium(*, service_workers: str = "block") -> Iterator[Any]:
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield _Browser(browser, service_workers)
        finally:
            browser.close()


def watch_requests(page: Any, base_url: str) -> list[str]:
    """What went wrong in the page's requests, filled as the test runs: a request that leaves the server under test
    (a government intranet has no internet, so a CDN script or a remote font would hang there) and a response that
    failed (a missing static file, a favicon the browser asks for)."""
    problems: list[str] = []
    local = (base_url, "data:", "blob:")
    page.on("request", lambda r: None if r.url.startswith(local) else problems.append(f"外部请求 {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", name="村社 · 登录")).to_be_visible()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/home/$"))
