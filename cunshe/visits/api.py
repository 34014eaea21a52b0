from datetime import date

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from cunshe.accounts.selectors import acting_user
from cunshe.visits.models import Visit, VisitTarget
from cunshe.visits.permissions import target_policy
from cunshe.visits.selectors import coverage_table, targets_of_village
from cunshe.visits.services import visit_plan_generate, visit_record

router = Router(tags=["走访"])


class CellOut(Schema):
    group: str
    planned: int
    visited: int
    by_phone: int
    away: int
    rate: float | None
    target: int
    met: bool


class CoverageRowOut(Schema):
    code: str
    name: str
    cells: list[CellOut]


class TargetOut(Schema):
    id: int
    region: str
    person_id: int
    person_name: str
    group: str
    visitor: str
    due_on: date
    is_away: bool
    visited_on: date | None
    visited_mode: str


class GenerateIn(Schema):
    groups: list[str]
    visitor: str
    due_on: date


class GenerateOut(Schema):
    added: int


class VisitIn(Schema):
    mode: str
    visited_on: date
    visitors: str
    summary: str
    place: str = ""
    opinion_team: str = ""
    opinion_election: str = ""
    intends_to_stand: bool = False
    intended_post: str = ""
    problems: list[str] = []


class VisitOut(Schema):
    id: int
    target_id: int
    mode: str
    visited_on: date
    visitors: str
    summary: str


def _target_out(t: VisitTarget) -> dict[str, object]:
    return {
        "id": t.pk,
        "region": t.region_id,
        "person_id": t.person_id,
        "person_name": t.person.name,
        "group": t.group,
        "visitor": t.visitor,
        "due_on": t.due_on,
        "is_away": t.is_away,
        "visited_on": t.visited_on,
        "visited_mode": t.visited_mode,
    }


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
        }
        for row in [*table.rows, table.total]
    ]


@router.get("/{code}/plan", response=list[TargetOut], url_name="api_visits_plan", summary="某村(社区)走访计划")
def plan(request: HttpRequest, code: str, unvisited: bool = False) -> list[dict[str, object]]:
    if not target_policy.can_in_region(request.user, "view", code):
        raise Http404
    return [_target_out(t) for t in targets_of_village(request.user, code, unvisited_only=unvisited)]


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


@router.post("/plan/{target_id}/visits", response={201: VisitOut}, url_name="api_visits_record", summary="记录走访")
def record_visit(request: HttpRequest, target_id: int, payload: VisitIn) -> Status:
    target = target_policy.get_or_404(
        request.user, queryset=VisitTarget.objects.select_related("person", "term_change"), pk=target_id
    )
    visit: Visit = visit_record(actor=acting_user(request), target=target, **payload.dict())
    return Status(
        201,
        {
            "id": visit.pk,
            "target_id": target.pk,
            "mode": visit.mode,
            "visited_on": visit.visited_on,
            "visitors": visit.visitors,
            "summary": visit.summary,
        },
    )
