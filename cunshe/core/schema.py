"""The base of every API schema: what pydantic's lax mode would let through is refused or cleaned here, once.

- A date or time must be written as text (2026-12-05): lax parsing read {"done_on": 0} as 1970-01-01 and saved it.
- Text loses its control characters (all but tab and line breaks) and the invisible direction overrides before it
  is validated, so neither reaches a page, a printout or an export (the public commitments page showed them).
"""

from __future__ import annotations

import functools
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
    # Every character CONTROL matches is a control (Cc) or a format character (Cf), which str.isprintable refuses,
    # so printable text has nothing to remove: answered in C, a quarter of the regex's time, for nearly every value
    # of an API list's rows (issue 15). Text with a tab or a line break is not printable and takes the regex, which
    # keeps them.
    if value.isprintable():
        return value
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


@functools.cache
def _date_fields(schema: type[ninja.Schema]) -> frozenset[str]:
    """The fields of a schema that take a date or a time (read once per class: the validator runs for every field of
    every row of an API list)."""
    return frozenset(
        name for name, field in schema.model_fields.items() if _kinds(field.annotation) & {date, datetime, time}
    )


class Schema(ninja.Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _refuse_lax_input(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            return plain_text(value)
        if isinstance(value, int | float) and info.field_name in _date_fields(cls):
            raise PydanticCustomError("date_type", "应为日期文本，如 2026-12-05")
        return value
