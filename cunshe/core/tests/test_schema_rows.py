"""A row answered as a dict of plain values goes to pydantic without ninja's DjangoGetter (core.schema.Schema, issue
15): the same answer as through the getter, text still cleaned, and what the getter converts still converted."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from ninja.schema import DjangoGetter
from pydantic import ValidationError

from cunshe.core.schema import Schema
from cunshe.people.models import Person


class RowOut(Schema):
    id: int
    name: str
    due_on: date | None
    share: Decimal
    tags: list[str]


class ResolvedOut(Schema):
    id: int
    label: str

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return f"第{obj['id']}项"


def _through_the_getter(schema: type[Schema], row: Any) -> dict[str, Any]:
    """What ninja's own root validator gives: every field read through a DjangoGetter."""
    plain = schema.__pydantic_validator__.validate_python(DjangoGetter(row, schema), from_attributes=True)
    return plain.model_dump()


def test_a_dict_of_plain_values_answers_what_the_getter_would(monkeypatch: pytest.MonkeyPatch) -> None:
    row = {"id": 1, "name": "西范村", "due_on": date(2026, 12, 5), "share": Decimal("0.5"), "tags": ["甲"]}
    reads: list[str] = []
    real = DjangoGetter.__getattr__

    def counted(self: DjangoGetter, key: str) -> Any:
        reads.append(key)
        return real(self, key)

    monkeypatch.setattr(DjangoGetter, "__getattr__", counted)
    answer = RowOut.model_validate(row).model_dump()
    assert reads == []  # no field went through the getter
    assert answer == _through_the_getter(RowOut, row) == row


def test_text_is_cleaned_on_the_direct_way_too() -> None:
    row = {"id": 1, "name": "西范\u202e村\x00", "due_on": None, "share": Decimal(1), "tags": []}
    assert RowOut.model_validate(row).name == "西范村"


def test_a_date_given_as_a_number_is_still_refused() -> None:
    with pytest.raises(ValidationError):
        RowOut.model_validate({"id": 1, "name": "x", "due_on": 0, "share": Decimal(1), "tags": []})


def test_what_the_getter_converts_still_takes_the_getter() -> None:
    # a callable is called, a query set listed, an empty file answered as null: as ninja does
    row = {"id": lambda: 7, "name": "x", "due_on": None, "share": Decimal(1), "tags": Person.objects.none()}
    answer = RowOut.model_validate(row)
    assert answer.id == 7 and answer.tags == []

    class FileOut(Schema):
        file: str | None

    empty = FieldFile(None, FileField(), "")  # type: ignore[arg-type]
    assert FileOut.model_validate({"file": empty}).file is None


def test_a_schema_with_resolvers_reads_through_them() -> None:
    assert ResolvedOut.model_validate({"id": 3, "label": "不用"}).label == "第3项"


def test_an_object_row_reads_its_attributes_as_before() -> None:
    class Row:
        id = 2
        name = "黄山"
        due_on = None
        share = Decimal(2)
        tags = ("乙",)

    assert RowOut.model_validate(Row()).model_dump() == {
        "id": 2,
        "name": "黄山",
        "due_on": None,
        "share": Decimal(2),
        "tags": ["乙"],
    }
