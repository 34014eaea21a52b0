"""What every page kept whole must do, asked by its own module's tests (web.kept_pages, issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def shown_after_a_write(client: Any, url: str, write: Callable[[], Any], text: str) -> None:
    """The page is kept (a repeat view renders no template) until `write` — a service, which records — moves its
    region's change number: the next view is built again and shows `text`, which it did not before."""
    assert text not in client.get(url).content.decode()
    assert not client.get(url).templates  # kept
    write()
    changed = client.get(url)
    assert changed.templates and text in changed.content.decode()
