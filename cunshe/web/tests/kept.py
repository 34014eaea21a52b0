"""For the modules' tests of their pages kept whole (web.kept_pages, issue 15): the page is kept until a write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.test import Client


def shown_after_write(client: Client, page: str, write: Callable[[], Any]) -> str:
    """The page's text after `write` (a service call, in a transaction of its own as a request's would be), checking
    on the way that the page was kept before it (a repeat view renders no template) and built again after it. The
    test's `kept_summaries` fixture keeps pages."""
    assert client.get(page).status_code == 200
    assert not client.get(page).templates  # kept: nothing changed
    with transaction.atomic():
        write()
    shown = client.get(page)
    assert shown.templates  # the chain moved: built again
    return shown.content.decode()


def shown_after_a_write(client: Any, url: str, write: Callable[[], Any], text: str) -> None:
    """`shown_after_write`, for a `text` the write brings: the page did not show it before and shows it after."""
    assert text not in client.get(url).content.decode()
    assert text in shown_after_write(client, url, write)


def built_for_them(client: Any, url: str, text: str) -> None:
    """Another reader's view of a kept page: built for them (it renders its templates, not served from what the first
    reader's view kept) and showing `text`, theirs."""
    shown = client.get(url)
    assert shown.templates and text in shown.content.decode()
