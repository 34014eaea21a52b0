"""The 换届意愿排摸表 as officials fill it in: every current cadre under a town or village, with the intention
recorded so far, in the layout `intents_import` below reads back."""

from __future__ import annotations

from io import BytesIO
from typing import Any, BinaryIO

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from cunshe.access.policy import scope_q
from cunshe.core.actors import Actor
from cunshe.readiness.models import Intent, Intention
from cunshe.readiness.permissions import intent_policy
from cunshe.readiness.selectors import ReadinessTable, readiness_table
from cunshe.readiness.services import _intent_errors, intent_record
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import (
    CellError,
    Column,
    ImportReport,
    Row,
    parse_date,
    parse_text,
    read_rows,
    write_workbook,
    xlsx_response,
)
from cunshe.teams.models import Post, TeamMember
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
    today = timezone.localdate()

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


def _member_id(value: Any) -> int:
    text = parse_text(value)
    if not text.isdigit():
        raise CellError("须为导出表中的编号")
    return int(text)


def _version(value: Any) -> int | None:
    text = parse_text(value)
    if not text:
        return None
    if not text.isdigit():
        raise CellError("须为导出表中的版本号")
    return int(text)


# 换届意愿排摸表: one row per current cadre. The cadre is named by 成员编号 (one person may hold two posts, so a name is
# not enough); the columns beside it are for the reader. 版本 is the row's version when exported, so a change made
# in the system since then is not overwritten by the file.
INTENT_COLUMNS = [
    Column("成员编号", "member", parse=_member_id, required=True, width=10, internal=True),
    Column("村(社区)代码", "region", width=14, as_text=True, export_only=True),
    Column("村(社区)", "village", width=16, export_only=True),
    Column("姓名", "name", width=10, export_only=True),
    Column("性别", "gender", width=6, export_only=True),
    Column("年龄", "age", width=6, export_only=True),
    Column("现任职务", "post", width=18, export_only=True),
    Column("换届意愿", "intention", choices={label: value for value, label in Intention.choices}, width=16),
    Column("意向职务", "desired_post", choices={label: value for value, label in Post.choices}, width=12),
    Column("说明", "note", width=30),
    Column("排摸日期", "surveyed_on", parse=parse_date, width=12),
    Column("版本", "version", parse=_version, width=6, internal=True),
]


def _intent_row_errors(
    actor: Actor, row: Row, member: TeamMember | None, intent: Intent | None, changes: dict[str, Any]
) -> list[str]:
    values = row.values
    if member is None or (not intent_policy.can_in_region(actor, "change", member.region_id)):
        return ["成员编号：未找到该班子成员，或不在您负责的区域内"]
    errors = [] if changes.get(member.region_id[:6]) else ["本县(市、区)尚未启动换届"]
    rules = _intent_errors(member, values["intention"], values["desired_post"], values["surveyed_on"])
    errors += [message.rstrip("。") for messages in rules.values() for message in messages]
    if intent is not None and values["version"] != intent.version and not _same_intent(intent, values):
        errors.append(f"{member.person.name} 的排摸记录已在系统中修改（现为第 {intent.version} 版），请重新导出后再填")
    return errors


def _same_intent(intent: Intent, values: dict[str, Any]) -> bool:
    return (intent.intention, intent.desired_post, intent.note, intent.surveyed_on) == (
        values["intention"],
        values["desired_post"],
        (values["note"] or "").strip(),
        values["surveyed_on"],
    )


def intents_import(*, actor: Actor, stream: BinaryIO) -> ImportReport:
    """Record the intentions of a filled-in 换届意愿排摸表 (the layout of `intents_export`). Every row is checked
    first and nothing is saved while any row is wrong; then each change is recorded as a single entry would be."""
    rows = list(read_rows(stream, INTENT_COLUMNS))
    ids: set[int] = {r.values["member"] for r in rows if isinstance(r.values.get("member"), int)}
    members = {m.pk: m for m in TeamMember.objects.filter(pk__in=ids).select_related("person")}
    changes = {county: current_term_change(county) for county in {m.region_id[:6] for m in members.values()}}
    in_progress = [c for c in changes.values() if c is not None]
    intents = {i.member_id: i for i in Intent.objects.filter(member_id__in=ids, term_change__in=in_progress)}
    report = ImportReport(unit="人", skipped_as="未填写")
    seen: dict[int, int] = {}
    plan: list[tuple[TeamMember, dict[str, Any]]] = []
    for row in rows:
        errors = list(row.errors)
        number = row.values.get("member")
        if isinstance(number, int):
            if number in seen:
                errors.append(f"成员编号：与第 {seen[number]} 行是同一成员")
            seen.setdefault(number, row.line)
        if not errors and not row.values["intention"]:
            if row.values["desired_post"] or row.values["surveyed_on"]:
                errors.append("换届意愿：已填写排摸内容，请选择换届意愿")
            else:
                report.skipped += 1  # a cadre not yet surveyed: left as they are
                continue
        if not errors:
            member, intent = members.get(number), intents.get(number)  # type: ignore[arg-type]
            errors = _intent_row_errors(actor, row, member, intent, changes)
            if not errors and member is not None:
                if intent is not None and _same_intent(intent, row.values):
                    report.unchanged += 1
                else:
                    plan.append((member, row.values))
                    if intent is None:
                        report.created += 1
                    else:
                        report.updated += 1
        if errors:
            report.bad_rows.append(Row(line=row.line, values=row.values, errors=errors))
    if report.bad_rows:
        return report
    with transaction.atomic():
        for member, values in plan:
            intent_record(
                actor=actor,
                member=member,
                intention=values["intention"],
                desired_post=values["desired_post"],
                note=values["note"] or "",
                surveyed_on=values["surveyed_on"],
                expected_version=values["version"],
            )
    report.saved = True
    return report
