"""The talks module's API under /api/v1/talks: every operation of the pages, same services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Status
from ninja.pagination import paginate

from cunshe.accounts.selectors import acting_user
from cunshe.core.months import month_or
from cunshe.core.openapi import file_answer
from cunshe.core.paging import Paged
from cunshe.core.schema import ModelOut, Schema
from cunshe.issueboard.models import Issue
from cunshe.spreadsheets.layout import XLSX
from cunshe.talks import exports, printouts, selectors
from cunshe.talks.models import FollowUp, Talk
from cunshe.talks.permissions import followup_policy, talk_policy
from cunshe.talks.services import followup_add, followup_done, talk_record

router = Router(tags=["点评谈心"])


class TalkFollowUpIn(Schema):
    task: str
    owner: str
    due_on: date


class TalkFollowUpOut(ModelOut):
    class Meta:
        model = FollowUp
        fields = ("id", "task", "owner", "due_on", "status", "done_on", "result", "version")


class TalkIssueOut(ModelOut):
    class Meta:
        model = Issue
        fields = ("id", "title", "status")


class TalkOut(ModelOut):
    issues: list[TalkIssueOut] = Field(description="反映的问题（问题清单事项）")
    follow_ups: list[TalkFollowUpOut] = Field(description="整改事项")

    class Meta:
        model = Talk
        fields = ("id", "village", "town", "held_on", "place", "talker", "secretary", "points", "issues", "follow_ups")


class TalkIn(Schema):
    village: str
    held_on: date
    place: str
    talker: str
    points: str
    secretary: str = ""
    issue_ids: list[int] = []
    follow_ups: list[TalkFollowUpIn] = []


class TalkDoneIn(Schema):
    result: str
    done_on: date
    version: int


class TalkTownMonthsOut(Schema):
    code: str
    name: str
    counts: list[int]


class TalkCountsOut(Schema):
    region: str
    months: list[str]
    towns: list[TalkTownMonthsOut]
    totals: list[int]


def _talk(request: HttpRequest, talk_id: int) -> Talk:
    return talk_policy.get_or_404(request.user, queryset=selectors.talks_under(request.user, ""), pk=talk_id)


@router.get("/region/{code}", response=list[TalkOut], url_name="api_talks_list", summary="点评谈心记录")
@paginate(Paged)
def talks(request: HttpRequest, code: str, month: str = "") -> QuerySet[Talk]:
    # A talk a month per village secretary adds up over a term: a page at a time (the list stopped at 500).
    region = talk_policy.rollup_region(request.user, code, fallback=False)
    return selectors.talks_under(request.user, region.code, month_or(month, None))


@router.get("/region/{code}/counts", response=TalkCountsOut, url_name="api_talks_counts", summary="各乡镇每月谈心人次")
def counts(request: HttpRequest, code: str) -> dict[str, Any]:
    region = talk_policy.rollup_region(request.user, code, fallback=False)
    months, towns, totals = selectors.month_counts(request.user, region)
    return {
        "region": region.code,
        "months": [f"{m:%Y-%m}" for m in months],
        "towns": [{"code": t.code, "name": t.name, "counts": t.cells(months)} for t in towns],
        "totals": totals,
    }


@router.get(
    "/region/{code}/talks.xlsx",
    url_name="api_talks_ledger",
    summary="导出点评谈心台账（Excel）",
    openapi_extra=file_answer(XLSX, "Excel 工作簿"),
)
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    return exports.ledger_response(request.user, talk_policy.rollup_region(request.user, code, fallback=False))


@router.post("/talks", response={201: TalkOut}, url_name="api_talks_new", summary="记录点评谈心")
def talk_new(request: HttpRequest, payload: TalkIn) -> Status:
    d = payload.dict()
    t = talk_record(actor=acting_user(request), village_code=d.pop("village"), **d)
    return Status(201, _talk(request, t.pk))


@router.get("/talks/{talk_id}", response=TalkOut, url_name="api_talks_talk", summary="谈心详情")
def talk(request: HttpRequest, talk_id: int) -> Talk:
    return _talk(request, talk_id)


@router.get(
    "/talks/{talk_id}/record.pdf",
    url_name="api_talks_print",
    summary="打印谈心谈话记录表（PDF）",
    openapi_extra=file_answer("application/pdf", "PDF 文档"),
)
def talk_print(request: HttpRequest, talk_id: int) -> HttpResponse:
    return printouts.talk_response(_talk(request, talk_id))


@router.post(
    "/talks/{talk_id}/follow-ups",
    response={201: TalkFollowUpOut},
    url_name="api_talks_followup_new",
    summary="添加整改事项",
)
def followup_new(request: HttpRequest, talk_id: int, payload: TalkFollowUpIn) -> Status:
    f = followup_add(
        actor=acting_user(request),
        talk=_talk(request, talk_id),
        task=payload.task,
        owner=payload.owner,
        due_on=payload.due_on,
    )
    return Status(201, f)


@router.post(
    "/follow-ups/{follow_up_id}/done",
    response=TalkFollowUpOut,
    url_name="api_talks_followup_done",
    summary="整改事项落实",
)
def followup_finish(request: HttpRequest, follow_up_id: int, payload: TalkDoneIn) -> FollowUp:
    f = followup_policy.get_or_404(request.user, queryset=FollowUp.objects.select_related("talk"), pk=follow_up_id)
    done = followup_done(
        actor=acting_user(request),
        follow_up=f,
        result=payload.result,
        done_on=payload.done_on,
        expected_version=payload.version,
    )
    return done
