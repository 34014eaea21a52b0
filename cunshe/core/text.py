"""Text a service takes from anywhere (a page, the API, a spreadsheet, the demo): one way to clean it and one way
to say that a required or bounded text field is wrong, so that every module words it the same."""

from __future__ import annotations

from typing import Any

from cunshe.core.schema import plain_text


def clean_text(value: Any) -> str:
    """The text without control characters or direction overrides and without surrounding blanks ("" for None)."""
    return plain_text(str(value or "")).strip()


def text_field(errors: dict[str, list[str]], field: str, value: Any, label: str, limit: int, *, required: bool) -> str:
    """`value` cleaned; a missing required text or one longer than `limit` characters adds its message under
    `field` to `errors` (the caller raises them all at once)."""
    value = clean_text(value)
    if (required and not value) or len(value) > limit:
        errors[field] = [f"请填写{label}（不超过 {limit} 字）。" if required else f"{label}不超过 {limit} 字。"]
    return value
