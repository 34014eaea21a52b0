from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, cast
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.openapi import file_answer, pdf_route
from cunshe.core.schema import ModelOut, Schema
from cunshe.offline.submissions import submit_once
from cunshe.people.permissions import person_policy
from cunshe.regions.models import Level, Region
from cunshe.spreadsheets.layout import XLSX
from cunshe.spreadsheets.schemas import ImportReportOut
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.exports import coverage_response, plan_response, visit_plan_import
from cunshe.visits.models import Coverage, Group, Visit, VisitTarget
from cunshe.visits.permissions import coverage_target_policy, target_policy
from cunshe.visits.printouts import task_sheet_response
from cunshe.visits.selectors import (
    Listed,
    coverage_table,
    coverage_targets,
    group_lists,
    target_versions,
    targets_of_village,
    targets_set,
)
from cunshe.visits.services import coverage_target_set, group_member_add, visit_plan_generate, visit_record

router = Router(tags=["走访"])


class CellOut(ModelOut):
    rate: float | None
    target: int
    met: bool

    class Meta:
        model = Coverage
        fields = ("group", "planned", "visited", "by_phone", "away", "rate", "target", "met")


class CoverageRowOut(Schema):
    code: str
    name: str
    cells: list[CellOut]
    # 三个谈话全覆盖: every party member, villager representative and notable listed was talked to
    talks_covered: bool


class TargetOut(ModelOut):
    class Meta:
        model = VisitTarget
        fields = (
            "id", "region", "person_id", ("person_name", "person__name"), "group", "visitor", "due_on", "is_away", "visited_on",
            "visited_mode",
        )  # fmt: skip


class GenerateIn(Schema):
    groups: list[str]
    visitor: str
    due_on: date


class GenerateOut(Schema):
    added: int


class OpinionIn(Schema):
    candidate_id: int
    stance: str


class OpinionOut(Schema):
    candidate_id: int
    candidate_name: str
    stance: str


class VisitIn(Schema):
    mode: str
    kind: str = ""  # 四访四问: needs / grievances / notables / capable, or empty
    visited_on: date
    visitors: str
    summary: str
    place: str = ""
    opinion_team: str = ""
    opinion_election: str = ""
    intends_to_stand: bool = False
    intended_post: str = ""
    problems: list[str] = []
    # The visited person's stance (support / oppose / undecided) on prospective candidates of the village (ids as in
    # GET /assessments/rates/{code}); leave out those not asked.
    opinions: list[OpinionIn] = []
    # Where the visit took place (WGS 84), only with the visitor's consent; both or neither.
    latitude: float | None = None
    longitude: float | None = None
    client_id: UUID | None = Field(
        None, description="客户端为本条记录生成的 UUID：重复提交同一编号只保存一次，并返回第一次的结果（200）"
    )


class VisitOut(ModelOut):
    latitude: float | None
    longitude: float | None
    opinions: list[OpinionOut]

    class Meta:
        model = Visit
        fields = (
            "id", "target_id", "mode", "kind", "visited_on", "visitors", "summary", "latitude", "longitude",
            "opinions",
        )  # fmt: skip


class GroupMemberOut(Schema):
    person_id: int
    person_name: str
    group: str
    # Registered here (villager representatives, notables, households) rather than read from the registry or team.
    listed: bool


class GroupMemberIn(Schema):
    person_id: int
    group: str


class CoverageTargetOut(Schema):
    group: str
    percent: int
    # False: the default (no target set by the county for this term change).
    is_set: bool
    version: int = Field(description="修改时带回；0 表示尚未设置（使用默认值）")


class CoverageTargetIn(Schema):
    percent: int
    version: int = Field(description="读取时的版本号（尚未设置时为 0）；他人已修改时返回 409")


@router.get(
    "/coverage", response=list[CoverageRowOut], url_name="api_visits_coverage", summary="走访覆盖率（下级汇总）"
)
def coverage(request: HttpRequest, under: str = "") -> list[dict[str, object]]:
    code = target_policy.rollup_region(request.user, under, fallback=False).code
    table = coverage_table(request.user, code)
    return [
        {
            "code": row.code,
            "name": row.name,
            "cells": [
                {
                    "group": g,
                    **{k: getattr(c, k) for k in ("planned", "visited", "by_phone", "away", "rate", "target", "met")},
                }
                for g, c in row.cells.items()
            ],
            "talks_covered": row.talks_covered,
        }
        for row in [*table.rows, table.total]
    ]


@router.get(
    "/coverage.xlsx",
    url_name="api_visits_export",
    summary="下载走访覆盖率（Excel，下级汇总）",
    openapi_extra=file_answer(XLSX, "走访覆盖率"),
)
def coverage_download(request: HttpRequest, under: str = "") -> HttpResponse:
    return coverage_response(request.user, target_policy.rollup_region(request.user, under, fallback=False))


@router.get(
    "/{code}/plan.xlsx",
    url_name="api_visits_plan_export",
    summary="下载某村(社区)走访计划（Excel，即导入模板，含走访情况）",
    openapi_extra=file_answer(XLSX, "走访计划"),
)
def plan_download(request: HttpRequest, code: str) -> HttpResponse:
    return plan_response(request.user, target_policy.village_or_404(request.user, code, "view"))


@router.post(
    "/import",
    response=ImportReportOut,
    url_name="api_visits_import",
    summary="从 Excel 导入走访计划（multipart 字段 file；任一行有误则不保存，errors 按行列出）",
)
def plan_upload(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    return visit_plan_import(actor=acting_user(request), stream=cast(BinaryIO, file)).answer()


@pdf_route(
    router,
    "/{code}/tasks.pdf",
    url_name="api_visits_task_sheet",
    summary="走访任务单（PDF：未走访的对象，按走访人，留有记录栏）",
    title="走访任务单",
)
def task_sheet(request: HttpRequest, code: str) -> HttpResponse:
    return task_sheet_response(request.user, target_policy.village_or_404(request.user, code, "view"))


@router.get("/{code}/plan", response=list[TargetOut], url_name="api_visits_plan", summary="某村(社区)走访计划")
def plan(request: HttpRequest, code: str, unvisited: bool = False) -> list[VisitTarget]:
    if not target_policy.can_in_region(request.user, "view", code):
        raise Http404
    return list(targets_of_village(request.user, code, unvisited_only=unvisited))


@router.post("/{code}/plan", response={201: GenerateOut}, url_name="api_visits_generate", summary="生成走访计划")
def generate(request: HttpRequest, code: str, payload: GenerateIn) -> Status:
    added = visit_plan_generate(
        actor=acting_user(request),
        village_code=code,
        groups=payload.groups,
        visitor=payload.visitor,
        due_on=payload.due_on,
    )
    return Status(201, {"added": added})


@router.post(
    "/plan/{target_id}/visits",
    response={200: VisitOut, 201: VisitOut},
    url_name="api_visits_record",
    summary="记录走访",
    description="201：已保存；200：同一 client_id 已保存过，返回第一次保存的记录（不重复保存）。",
)
def record_visit(request: HttpRequest, target_id: int, payload: VisitIn) -> Status:
    target = target_policy.get_or_404(
        request.user, queryset=VisitTarget.objects.select_related("person", "term_change"), pk=target_id
    )
    fields = payload.dict(exclude={"opinions", "latitude", "longitude", "client_id"})
    opinions = [(o.candidate_id, o.stance) for o in payload.opinions]
    visit, first = submit_once(
        actor=acting_user(request),
        client_id=payload.client_id,
        kind="visits.visit",
        create=lambda: visit_record(
            actor=acting_user(request),
            target=target,
            opinions=opinions,
            latitude=_decimal(payload.latitude),
            longitude=_decimal(payload.longitude),
            **fields,
        ),
    )
    return Status(
        201 if first else 200,
        {
            "id": visit.pk,
            "target_id": target.pk,
            "mode": visit.mode,
            "kind": visit.kind,
            "visited_on": visit.visited_on,
            "visitors": visit.visitors,
            "summary": visit.summary,
            "latitude": None if visit.latitude is None else float(visit.latitude),
            "longitude": None if visit.longitude is None else float(visit.longitude),
            "opinions": [
                {"candidate_id": o.candidate_id, "candidate_name": o.candidate.name, "stance": o.stance}
                for o in visit.opinions.select_related("candidate").order_by("id")
            ],
        },
    )


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def _member_out(entry: Listed) -> dict[str, object]:
    return {
        "person_id": entry.person.pk,
        "person_name": entry.person.name,
        "group": entry.group,
        "listed": entry.listed,
    }


@router.get(
    "/{code}/groups", response=list[GroupMemberOut], url_name="api_visits_groups", summary="某村(社区)走访对象名单"
)
def groups(request: HttpRequest, code: str, group: str = "") -> list[dict[str, object]]:
    """Everyone a visit plan is generated from, by group (all groups, or the one asked for)."""
    target_policy.village_or_404(request.user, code, "view")
    if group and group not in Group.values:
        raise DomainError("没有该走访对象类别。", {"group": [f"须为 {'、'.join(Group.values)} 之一。"]})
    term_change = current_term_change(code)
    if term_change is None:
        return []
    return [_member_out(m) for m in group_lists(term_change, code, [group] if group else None)]


@router.post("/{code}/groups", response={201: GroupMemberOut}, url_name="api_visits_group_add", summary="登记走访对象")
def group_add(request: HttpRequest, code: str, payload: GroupMemberIn) -> Status:
    """Villager representatives, local notables and household heads (the registry and the team know the others)."""
    target_policy.village_or_404(request.user, code, "change")
    person = person_policy.get_or_404(request.user, pk=payload.person_id)
    if person.region_id != code:
        raise DomainError("该人员不属于本村(社区)。", {"person_id": ["须为本村(社区)的人员。"]})
    member = group_member_add(actor=acting_user(request), person=person, group=payload.group)
    return Status(201, _member_out(Listed(member.person, member.group, True)))


def _county(user: Any, code: str, action: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None or not coverage_target_policy.can_in_region(user, action, code):
        raise Http404("未找到该县(市、区)。")
    return county


@router.get(
    "/targets/{county}", response=list[CoverageTargetOut], url_name="api_visits_targets", summary="走访覆盖目标"
)
def targets(request: HttpRequest, county: str) -> list[dict[str, object]]:
    """The county's coverage target per group in its current term change (the defaults where it set none)."""
    _county(request.user, county, "view")
    term_change = current_term_change(county)
    chosen, versions = targets_set(term_change), target_versions(term_change)
    return [
        {"group": g, "percent": p, "is_set": g in chosen, "version": versions.get(g, 0)}
        for g, p in coverage_targets(term_change).items()
    ]


@router.put(
    "/targets/{county}/{group}",
    response=CoverageTargetOut,
    url_name="api_visits_target_set",
    summary="设置走访覆盖目标",
)
def target_set(request: HttpRequest, county: str, group: str, payload: CoverageTargetIn) -> dict[str, object]:
    _county(request.user, county, "change")
    target = coverage_target_set(
        actor=acting_user(request),
        county_code=county,
        group=group,
        percent=payload.percent,
        expected_version=payload.version,
    )
    return {"group": target.group, "percent": target.percent, "is_set": True, "version": target.version}
