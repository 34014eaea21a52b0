"""Excel of the daily report and the weekly review (spreadsheets.layout), and the blank 12345 work-order sheet
and hotline_import, which reads it."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.records.services import Pending, record_many
from cunshe.requests.models import Channel, Request, Tier
from cunshe.requests.permissions import request_policy
from cunshe.requests.selectors import Report
from cunshe.requests.services import _after, _staff_create, _staff_errors
from cunshe.spreadsheets.layout import Column, ImportReport, bad_rows_error, read_rows, write_workbook

REPORT_COLUMNS = [
    Column("区域代码", "code", as_text=True, width=14),
    Column("区域", "name", width=22),
    Column("受理", "received", width=8),
    Column("办结", "closed", width=8),
    Column("重新办理", "reopened", width=10),
    Column("在办", "open", width=8),
    Column("逾期在办", "overdue", width=10),
    Column("评价", "rated", width=8),
    Column("群众认为已解决", "solved", width=14),
    Column("解决率", "solved_rate", width=10),
    Column("平均满意度", "satisfaction", width=12),
]


def report_xlsx(report: Report, *, weekly: bool) -> bytes:
    def rows() -> Any:
        for r in [*report.rows, report.total]:
            yield {
                "code": r.code,
                "name": r.name,
                **r.values,
                "solved_rate": r.solved_rate,
                "satisfaction": r.satisfaction,
            }

    buffer = BytesIO()
    write_workbook("民情周会审" if weekly else "民情日报告", REPORT_COLUMNS, rows(), buffer)
    return buffer.getvalue()


def hotline_template_xlsx() -> bytes:
    buffer = BytesIO()
    write_workbook("12345工单", HOTLINE_COLUMNS, [], buffer)
    return buffer.getvalue()


# The 12345 work-order sheet: what the hotline's export gives, in the column names of the county's template.
def _parse_moment(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time(9, 0))
    else:
        text = str(value).strip().replace("/", "-")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            from cunshe.spreadsheets.layout import CellError

            raise CellError("时间格式应为 2026-11-20 09:30") from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _format_moment(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


TIER_CHOICES = {label: value for value, label in Tier.choices}


HOTLINE_COLUMNS = [
    Column("工单号", "work_order_no", required=True, as_text=True, width=20),
    Column("受理时间", "submitted_at", parse=_parse_moment, required=True, width=18),
    Column("村(社区)代码", "village", required=True, as_text=True, width=16),
    Column("类别代码", "category", required=True, width=12),
    Column("等级", "tier", choices=TIER_CHOICES, width=8),
    Column("标题", "title", required=True, width=24),
    Column("诉求内容", "description", required=True, width=40),
    Column("地点", "address", width=20),
    Column("来电人", "reporter_name", width=10),
    Column("联系电话", "reporter_phone", as_text=True, width=14),
]


@transaction.atomic
def hotline_import(*, actor: Actor, region_code: str, stream: BinaryIO) -> ImportReport:
    """12345 work orders from the hotline's sheet, for the villages under a town or a county. Every row is checked
    first; one bad row saves nothing. A work order already registered (its number, in the county) is left as it is,
    so importing the same sheet again changes nothing."""
    request_policy.check_in_region(actor, "handle", region_code, missing="未找到该区域。")
    report = ImportReport(unit="件")
    rows = list(read_rows(stream, HOTLINE_COLUMNS, max_rows=5000))
    seen: set[str] = set()
    existing = set(
        Request.objects.filter(region_id__startswith=region_code[:6])
        .exclude(work_order_no="")
        .values_list("work_order_no", flat=True)
    )
    good: list[dict[str, Any]] = []
    for row in rows:
        number = str(row.values.get("work_order_no") or "").strip()
        if number in seen:
            row.errors.append(f"工单号 {number} 在表中重复")
        seen.add(number)
        if row.errors:
            report.bad_rows.append(row)
            continue
        if number in existing:
            report.unchanged += 1
            continue
        values = {**row.values, "channel": Channel.HOTLINE}
        data, errors = _staff_errors(values)
        village = data["village"]
        if village is not None and not village.code.startswith(region_code):
            errors["village"] = ["不在本次导入的区域内。"]
        elif village is not None and not request_policy.can_in_region(actor, "handle", village.code):
            errors["village"] = ["无权登记该村(社区)的诉求。"]
        if errors:
            row.errors.extend(f"{k}：{'；'.join(v)}" for k, v in errors.items())
            report.bad_rows.append(row)
            continue
        good.append(values)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    pending = []
    for values in good:
        r = _staff_create(actor=actor, values=values)
        report.created += 1
        pending.append(
            Pending(
                region_code=r.region_id,
                event="requests.filed",
                summary=f"导入 12345 工单 {r.work_order_no}：{r.title}",
                obj=r,
                after=_after(r),
            )
        )
    record_many(actor=actor, entries=pending)
    report.saved = True
    return report
