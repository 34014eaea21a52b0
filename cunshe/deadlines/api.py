from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import NotPermitted
from cunshe.core.paging import Paged
from cunshe.core.schema import Schema
from cunshe.deadlines import holidays
from cunshe.deadlines.models import HolidaySchedule
from cunshe.deadlines.services import holiday_schedule_load, parse_days
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


class HolidayDayOut(Schema):
    day: date
    name: str


class HolidayScheduleOut(Schema):
    year: int
    source: str = Field(description="loaded（已载入）、package（软件内置）或 statutory（仅法定节假日，未载入调休）")
    source_label: str
    warning: str
    statutory: list[HolidayDayOut]
    days_off: list[date]
    workdays: list[date]
    notice: str = Field(description="已载入安排的依据")


class HolidayScheduleIn(Schema):
    year: int
    days_off: str = Field(description="放假日期，如 2027-02-05至2027-02-11，逗号分隔")
    workdays: str = Field("", description="调休上班日期，如 2027-02-14")
    source: str = Field(description="依据：国务院办公厅通知名称或文号")


def _schedule_out(year: int) -> dict[str, object]:
    loaded = holidays.loaded_schedule(year)
    schedule = HolidaySchedule.objects.filter(year=year).first()
    source = holidays.source_of(year)
    return {
        "year": year,
        "source": source.value,
        "source_label": holidays.SOURCE_LABELS[source],
        "warning": holidays.schedule_warning(date(year, 1, 1)),
        "statutory": [{"day": d, "name": n} for d, n in holidays.statutory_holidays(year).items()],
        "days_off": sorted(loaded.days_off) if loaded else [],
        "workdays": sorted(loaded.workdays) if loaded else [],
        "notice": schedule.source if schedule else "",
    }


@router.get(
    "/holidays", response=HolidayScheduleOut, url_name="api_deadlines_holidays", summary="某年法定节假日与调休安排"
)
def holiday_schedule(request: HttpRequest, year: int = 0) -> dict[str, object]:
    return _schedule_out(year if 2000 <= year <= 2100 else timezone.localdate().year)


@router.post(
    "/holidays",
    response=HolidayScheduleOut,
    url_name="api_deadlines_holidays_load",
    summary="载入某年国务院放假调休安排（系统管理员）",
)
def holiday_schedule_load_api(request: HttpRequest, payload: HolidayScheduleIn) -> dict[str, object]:
    user = acting_user(request)
    if not user.is_superuser:
        raise NotPermitted("放假调休安排适用于本系统所有县，只有系统管理员可以载入。")
    holiday_schedule_load(
        actor=user,
        year=payload.year,
        days_off=parse_days(payload.days_off, field="days_off"),
        workdays=parse_days(payload.workdays, field="workdays"),
        source=payload.source,
    )
    return _schedule_out(payload.year)
