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
from decimal import Decimal
from typing import Any

import ninja
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.fields.files import FieldFile
from ninja.orm.fields import TYPES as ORM_TYPES
from ninja.schema import DjangoGetter, ResolverMetaclass
from pydantic import (
    AliasChoices,
    AliasPath,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)
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


# Values ninja's DjangoGetter hands on unchanged (it calls callables, lists managers and query sets, and answers a
# file's URL; nothing else): a dict holding only such values reads the same without it. The common types are
# known at once; anything else is asked what the getter would ask.
PLAIN = frozenset({str, int, float, bool, type(None), date, datetime, time, Decimal, list, tuple, dict})
CONVERTED = (models.Manager, models.QuerySet, FieldFile)


def _unchanged(value: Any) -> bool:
    return type(value) in PLAIN or not (callable(value) or isinstance(value, CONVERTED))


class Schema(ninja.Schema):
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        """ninja's root validator (ninja.Schema's, which this one replaces by its name), but a row that is a dict of
        plain values goes to pydantic as it is: wrapped in a DjangoGetter, each of its fields was read through a
        Python __getattr__ that changes none of them, about 20% of a 200-row API list (issue 15). Schemas with
        resolve_* methods, rows that are objects, or values the getter would convert take ninja's way."""
        if type(values) is dict and not cls._ninja_resolvers and all(map(_unchanged, values.values())):
            return handler(values)
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get("validate_assignment", False):
            handler(values)
        return handler(DjangoGetter(values, cls, info.context))

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_lax_input(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            return plain_text(value)
        if isinstance(value, int | float) and info.field_name in _date_fields(cls):
            raise PydanticCustomError("date_type", "应为日期文本，如 2026-12-05")
        return value


# --- Output shapes read from the models --------------------------------------------------------------------------


def _description(field: models.Field[Any, Any]) -> str | None:
    """The field's Chinese name (its verbose_name, when the model gave one), its help text and its choices, so the
    OpenAPI document says what 状态 "planned" means."""
    parts = []
    name = str(field.verbose_name)
    if name != field.name.replace("_", " ") and not field.auto_created:
        parts.append(name)
    if field.help_text:
        parts.append(str(field.help_text))
    if field.choices and not field.is_relation:
        parts.append("取值：" + "，".join(f"{value} {label}" for value, label in field.flatchoices))
    return "；".join(parts) or None


def model_field_shape(model: type[models.Model], key: str, path: str = "") -> tuple[Any, Any]:
    """The output type and pydantic Field of the model field named `key` (its name, or a key's `_id` column), or
    of the field a `path` through foreign keys reaches ("person__name": the person's name, read from the row the
    selector joined).

    An output always carries every field, so each is required; it may be null only where the column may (a blank
    text is "", not null). A foreign key named by its name answers the key's value, read from the `_id` column so
    no row is fetched. Either way the value may also come from a dict built under the key."""
    *hops, last = (path or key).split("__")
    for hop in hops:
        link = model._meta.get_field(hop)
        if link.null or not link.many_to_one:
            raise ImproperlyConfigured(f"{model.__name__}.{hop}: a path follows required foreign keys only")
        model = link.related_model  # type: ignore[assignment]
    fields = {f.name: f for f in model._meta.concrete_fields} | {f.attname: f for f in model._meta.concrete_fields}
    field = fields.get(last)
    if field is None:
        raise ImproperlyConfigured(f"{model.__name__} has no field {last!r} to answer")
    # A key that is not the field's own name (a path, or a rename: ("writeup", "showcase_writeup")) reads the
    # field through its alias; without one an object would be asked for an attribute it does not have.
    alias: Any = AliasPath(*hops, last) if hops or last != key else None
    kind: Any
    if field.is_relation:
        kind = ORM_TYPES[field.target_field.get_internal_type()]  # type: ignore[attr-defined]
        if last == field.name:
            alias = AliasPath(*hops, field.attname)
    else:
        kind = ORM_TYPES[field.get_internal_type()]
    if field.null:
        kind = kind | None
    if alias is not None:
        alias = AliasChoices(alias, key)
    return kind, Field(validation_alias=alias, description=_description(field))


class _ReadsModel(ResolverMetaclass):
    """Fills in the annotations of Meta.fields from Meta.model before pydantic builds the class (as ninja's
    ModelSchema does, with output rules: see `model_field_shape`)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any) -> Any:
        meta = namespace.get("Meta")
        if meta is not None:
            declared = dict(namespace.get("__annotations__", {}))
            annotations = {}
            for entry in meta.fields:
                key, path = (entry, "") if isinstance(entry, str) else entry
                if key in declared:
                    annotations[key] = declared.pop(key)
                else:
                    annotations[key], namespace[key] = model_field_shape(meta.model, key, path)
            namespace["__annotations__"] = annotations | declared
        return super().__new__(mcs, name, bases, namespace, **kwargs)


class ModelOut(Schema, metaclass=_ReadsModel):
    """An answer shaped by a model: `Meta.model` and `Meta.fields`, the keys in order, each
    - a field of the model ("due_on"; a foreign key by its name or its `_id` column: "region", "person_id"),
    - a key and a path through required foreign keys (("person_name", "person__name")), or
    - a field declared on the class for what the model does not hold (labels, counts, sub-lists), with its type
      and description; it reads the attribute of its name, or `validation_alias`.

        class MilestoneOut(ModelOut):
            class Meta:
                model = Milestone
                fields = ("id", "position", "title", "due_on", "done_on", "version")

    Types, null-ness and the Chinese description come from the model, so a changed column changes the API with it.
    """


class WithFields:
    """A row read as itself plus a few values it does not hold (what a selector computed, a list of sub-rows), for a
    ModelOut whose other keys come from the row: `CareHouseholdDetail` answers `WithFields(h, months=[...])`."""

    def __init__(self, row: object, **values: object) -> None:
        self._row = row
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)
