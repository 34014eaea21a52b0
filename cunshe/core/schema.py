"""The base of every API schema: what pydantic's lax mode would let through is refused or cleaned here, once.

- A date or time must be written as text (2026-12-05): lax parsing read {"done_on": 0} as 1970-01-01 and saved it.
- Text loses its control characters (all but tab and line breaks) and the invisible direction overrides before it
  is validated, so neither reaches a page, a printout or an export (the public commitments page showed them).
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime, time
from typing import Any

import ninja
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

# C0 and C1 controls but tab, line feed and carriage return; bidirectional embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text(value: str) -> str:
    """Text without control characters or direction overrides (for services that take text from anywhere)."""
    return CONTROL.sub("", value)


def _kinds(annotation: Any) -> set[type]:
    found: set[type] = set()
    if isinstance(annotation, type):
        found.add(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        for argument in typing.get_args(annotation):
            found |= _kinds(argument)
    return found


class Schema(ninja.Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _refuse_lax_input(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            return plain_text(value)
        field = cls.model_fields.get(info.field_name or "")
        if field is None or not isinstance(value, int | float) or isinstance(value, date | datetime | time):
            return value
        if _kinds(field.annotation) & {date, datetime, time}:
            raise PydanticCustomError("date_type", "应为日期文本，如 2026-12-05")
        return value
