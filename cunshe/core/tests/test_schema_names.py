"""Every schema of the API has a name of its own (issue 14, item 19). The OpenAPI document keeps one schema per name,
so two modules' `CandidateOut` became one, and a client generated from the document read the reserve pool with the
review batch's fields. The walk goes through every model an operation takes or answers, and the models inside them."""

import pydoc
import typing
from collections import defaultdict
from typing import Any

import pydantic

from cunshe.api import api


def _inner(annotation: Any) -> list[Any]:
    found = [annotation]
    for argument in typing.get_args(annotation):
        found += _inner(argument)
    return found


def schema_names() -> dict[str, set[str]]:
    """Schema name -> the classes (module.qualname) that would be published under it."""
    names: dict[str, set[str]] = defaultdict(set)
    seen: set[type] = set()

    def walk(model: Any) -> None:
        if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)) or model in seen:
            return
        seen.add(model)
        if not getattr(model, "__ninja_param_source__", None):  # ninja's own per-operation wrappers are inlined
            names[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
        for field in model.model_fields.values():
            for annotation in _inner(field.annotation):
                walk(annotation)

    for _prefix, router in api._routers:
        for path_operation in router.path_operations.values():
            for operation in path_operation.operations:
                for model in operation.models:
                    walk(model)
                for model in (operation.response_models or {}).values():
                    walk(model)
    return names


def test_no_two_schemas_share_a_name() -> None:
    names = schema_names()
    assert len(names) > 50  # the walk reaches the modules' schemas
    shared = {name: sorted(classes) for name, classes in names.items() if len(classes) > 1}
    assert shared == {}, "schemas that would overwrite each other in the OpenAPI document (prefix with the module)"


def test_the_document_publishes_each_module_schema_under_its_own_name(client: Any, zouping: Any) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ReviewCandidateOut", "ReserveCandidateOut", "CommitmentRollupOut", "HandoverRollupOut"):
        assert name in schemas


def test_every_schema_of_the_api_cleans_its_text_through_the_core_schema() -> None:
    # core.schema.Schema strips control characters from text (PostgreSQL refuses a NUL byte: a 500) and refuses a
    # number sent as a date; a module importing ninja's Schema directly silently lost both (candidates, polling,
    # results, voters, counts and the tally API did until stop 14).
    from cunshe.core.schema import Schema

    classes = {qualified for qualifieds in schema_names().values() for qualified in qualifieds}
    loose = []
    for qualified in sorted(classes):
        if not qualified.startswith("cunshe."):
            continue  # ninja's and pydantic's own shapes (a list's Paged[X] holds X, walked itself, and a count)
        model = pydoc.locate(qualified)
        assert model is not None, qualified
        if not issubclass(model, Schema):  # type: ignore[arg-type]
            loose.append(qualified)
    assert loose == []
