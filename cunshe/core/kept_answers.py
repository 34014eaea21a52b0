"""An API list's answer kept as the JSON it was sent as, while the reader's regions record no change (issue 15).

    @router.get("", response=list[CommitmentOut], url_name="api_commitments_list")
    @kept_answer("commitments.ledger")
    def ledger(request, ...): ...

A 200-row list built a model per row, validated every field of every row against its schema and wrote the JSON on
each request, the same answer each time while nothing changed: 7-9 ms of CPU against about 1 ms for a signed-in
request that does nothing. Under `records.kept`'s key — the name, the reader and the marker of their grants, the
whole query string, the change number of the chains the reader's regions are written to (`scope_root`), the
minute — the body is read back instead, so a change recorded anywhere under those regions, a grant given or taken,
or the clock's next minute answers anew. Only a 200 is kept; errors go out as ninja made them. The decorator sits
under the route (the route authenticates first: the reader is known) and above `@paginate`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja.operation import Operation, ResponseObject
from ninja.utils import contribute_operation_callback

from cunshe.records.kept import SUMMARY_CACHE, Kept


def kept_answer[F: Callable[..., Any]](name: str) -> Callable[[F], F]:
    def decorate(endpoint: F) -> F:
        # The operation ninja builds for this endpoint, for its answer's schema (the router binds clones of it to
        # the API; the schema, paging's included, is the same object in both).
        operation: list[Operation] = []

        @functools.wraps(endpoint)
        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            from cunshe.access.policy import scope_root

            kept = Kept(
                f"api.{name}:{request.GET.urlencode()}",
                request.user,
                lambda: None,
                region_code=scope_root(request.user),
                value_kept=False,
            )
            if kept.key is None:  # nothing kept (the test settings): ninja answers as usual
                return endpoint(request, *args, **kwargs)
            cache = caches[SUMMARY_CACHE]
            found = cache.get(kept.key)
            if found is not None:
                return HttpResponse(found, content_type=_content_type())
            response = _render(operation[0], request, endpoint(request, *args, **kwargs))
            if response.status_code == 200 and isinstance(response, HttpResponse):
                cache.set(kept.key, response.content, kept.seconds)
            return response

        contribute_operation_callback(answer, operation.append)
        return answer  # type: ignore[return-value]

    return decorate


def _content_type() -> str:
    from cunshe.api import api

    return api.get_content_type()


def _render(operation: Operation, request: HttpRequest, result: Any) -> HttpResponseBase:
    """What ninja's operation makes of the endpoint's result for a 200 (Operation._result_to_response): validated
    against the answer's schema, dumped, written by the API's renderer."""
    from cunshe.api import api

    if isinstance(result, HttpResponseBase):
        return result
    context = {"request": request, "response_status": 200}
    validated = operation.response_models[200].model_validate(ResponseObject(result), context=context)
    data = validated.model_dump(
        by_alias=operation.by_alias,
        exclude_unset=operation.exclude_unset,
        exclude_defaults=operation.exclude_defaults,
        exclude_none=operation.exclude_none,
        context=context,
    )["response"]
    return api.create_response(request, data, status=200)
