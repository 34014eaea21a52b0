from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from cunshe.core.paging import Paged
from cunshe.core.schema import Schema
from cunshe.records.permissions import record_policy
from cunshe.records.selectors import record_book

router = Router(tags=["记录本"])


class RecordEntryOut(Schema):
    seq: int
    chain: str
    at: datetime
    actor_name: str
    region: str | None
    module: str
    event: str
    summary: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    hash: str

    @staticmethod
    def resolve_region(obj: Any) -> str | None:
        return obj.region_id


class BookFilter(Schema):
    module: str = ""


@router.get("/{code}", response=list[RecordEntryOut], url_name="api_records_book", summary="某区域的记录本（新的在前）")
@paginate(Paged)
def book(request: HttpRequest, code: str, filters: Query[BookFilter]):
    if not record_policy.can_in_region(request.user, "view", code):
        raise Http404
    return record_book(request.user, code, module=filters.module)
