from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from cunshe.core.paging import Paged
from cunshe.core.schema import Schema
from cunshe.deadlines.work_items import WorkItem, overdue_items_for, select_items, work_items_for

router = Router(tags=["期限"])


class WorkItemOut(Schema):
    module: str
    module_label: str
    title: str
    url: str
    region_name: str
    due_at: datetime | None
    due_label: str
    overdue: bool


class TodoFilter(Schema):
    module: str = ""
    overdue: bool = False


@router.get(
    "/todo", response=list[WorkItemOut], url_name="api_deadlines_todo", summary="我的待办事项（可按模块、逾期筛选）"
)
@paginate(Paged)
def todo(request: HttpRequest, filters: Query[TodoFilter]) -> list[WorkItem]:
    return select_items(work_items_for(request.user), module=filters.module, overdue_only=filters.overdue)


@router.get("/overdue", response=list[WorkItemOut], url_name="api_deadlines_overdue", summary="我的逾期事项")
def overdue(request: HttpRequest) -> list[WorkItem]:
    return overdue_items_for(request.user)
