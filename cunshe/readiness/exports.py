"""The 换届意愿排摸表 as officials fill it in: every current cadre under a town or village, with the intention
recorded so far, in the layout `services.intents_import` reads back."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any, BinaryIO

from django.http import HttpResponse

from cunshe.access.policy import scope_q
from cunshe.readiness.permissions import intent_policy
from cunshe.readiness.selectors import ReadinessTable, readiness_table
from cunshe.readiness.services import INTENT_COLUMNS
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, write_workbook, xlsx_response
from cunshe.teams.models import TeamMember
from cunshe.termchanges.selectors import current_term_change

TABLE_COLUMNS = [
    Column("区划代码", "code", width=14, as_text=True),
    Column("名称", "name", width=18),
    Column("红色(村)", "red", width=9),
    Column("黄色(村)", "yellow", width=9),
    Column("绿色(村)", "green", width=9),
    Column("作战图事项", "tasks", width=10),
    Column("已完成", "tasks_done", width=9),
    Column("逾期未完成", "tasks_overdue", width=10),
    Column("已排摸干部", "intents", width=10),
]


def readiness_export(table: ReadinessTable, target: BinaryIO) -> int:
    keys = [c.key for c in TABLE_COLUMNS]
    return write_workbook(
        "选情汇总", TABLE_COLUMNS, [{k: getattr(r, k) for k in keys} for r in [*table.rows, table.total]], target
    )


def intents_export(*, user: Any, under: str, target: BinaryIO) -> int:
    """`under` has been checked against the user's regions (rollup_region); the scope is applied again here."""
    scope = scope_q(user, intent_policy.capability("view"), "region_id")
    if scope is None:
        return write_workbook("换届意愿排摸表", INTENT_COLUMNS, [], target)
    members = list(
        TeamMember.objects.filter(scope, region_id__startswith=under, ended_on__isnull=True).select_related(
            "person", "region"
        )
    )
    members.sort(key=lambda m: (m.region_id, m.rank))
    term_change = current_term_change(under)
    intents = (
        {
            i.member_id: i
            for i in intent_policy.visible_to(user).filter(term_change=term_change, region_id__startswith=under)
        }
        if term_change
        else {}
    )
    today = date.today()

    def row(member: TeamMember) -> dict[str, Any]:
        intent = intents.get(member.pk)
        return {
            "member": member.pk,
            "region": member.region_id,
            "village": member.region.name,
            "name": member.person.name,
            "gender": member.person.get_gender_display(),
            "age": member.person.age_on(today),
            "post": member.post_title,
            "intention": intent.intention if intent else "",
            "desired_post": intent.desired_post if intent else "",
            "note": intent.note if intent else "",
            "surveyed_on": intent.surveyed_on if intent else None,
            "version": intent.version if intent else None,
        }

    return write_workbook("换届意愿排摸表", INTENT_COLUMNS, (row(m) for m in members), target)


def intents_response(user: Any, region: Region) -> HttpResponse:
    """The sheet of a town or village as a download: the page and the API hand out the same file."""
    buffer = BytesIO()
    intents_export(user=user, under=region.code, target=buffer)
    return xlsx_response(buffer.getvalue(), f"换届意愿排摸表_{region.name}.xlsx")


def readiness_response(user: Any, region: Region) -> HttpResponse:
    """The readiness table under a county or town as a download: the page and the API hand out the same file."""
    buffer = BytesIO()
    readiness_export(readiness_table(user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"选情汇总_{region.name}.xlsx")
