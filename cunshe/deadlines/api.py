from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from cunshe.deadlines.work_items import WorkItem, overdue_items_for

router = Router(tags=["期限"])


class WorkItemOut(Schema):
    module: str
    title: str
    url: str
    region_name: str
    due_at: datetime | None
    overdue: bool


@router.get("/overdue", response=list[WorkItemOut], url_name="api_deadlines_overdue", summary="我的逾期事项")
def overdue(request: HttpRequest) -> list[WorkItem]:
    return overdue_items_for(request.user)
