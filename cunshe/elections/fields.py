"""Thresholds of the election rules are exact fractions ("1/2", "4/5"), stored as text and read as Fraction, so
a rule can never drift into a rounded percentage."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.serializer import BaseSerializer
from django.db.migrations.writer import MigrationWriter


def parse_fraction(value: Any) -> Fraction:
    """ "1/2", "2/3", Fraction(1, 2) or an int; refused: floats and percentages, whose rounding the law does not know."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    text = str(value).strip()
    if "/" not in text and not text.isdigit():
        raise ValidationError(f"“{text}”不是分数，请写成“1/2”“2/3”的形式。")
    try:
        result = Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(f"“{text}”不是分数，请写成“1/2”“2/3”的形式。") from exc
    if not 0 <= result <= 1:
        raise ValidationError(f"“{text}”须在 0 与 1 之间。")
    return result


if TYPE_CHECKING:
    _Base = models.Field[Fraction | str | int, Fraction]
else:
    _Base = models.Field


class FractionField(_Base):
    """Stored as text ("4/5"), read as Fraction."""

    def get_internal_type(self) -> str:
        return "CharField"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Fraction | None:
        return None if value is None else Fraction(value)

    def to_python(self, value: Any) -> Fraction | None:
        if value is None or value == "":
            return None
        return parse_fraction(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        f = parse_fraction(value)
        return f"{f.numerator}/{f.denominator}"


class _FractionSerializer(BaseSerializer):
    """Lets a Fraction default stand in a migration as `fractions.Fraction(1, 2)`."""

    def serialize(self) -> tuple[str, set[str]]:
        return f"fractions.Fraction({self.value.numerator}, {self.value.denominator})", {"import fractions"}


MigrationWriter.register_serializer(Fraction, _FractionSerializer)
