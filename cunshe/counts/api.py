"""The count's API under /api/v1/counts: the same services and selectors as the pages. Figures are sent as the form
of a paper sheet (issued, returned, valid, invalid, void per post, votes per candidate id, write-ins; for a meeting
due, present, absent and excluded with reasons); the scan comes as Base64."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Router, Status

from cunshe.accounts.selectors import acting_user
from cunshe.core.errors import DomainError
from cunshe.core.openapi import file_answer
from cunshe.core.schema import Schema
from cunshe.counts import selectors
from cunshe.counts.exports import return_response
from cunshe.counts.models import Sheet
from cunshe.counts.permissions import scan_policy, sheet_policy, summary_policy
from cunshe.counts.services import (
    account_person_set,
    differences,
    further_round_open,
    open_checks,
    scan_add,
    sheet_checks,
    sheet_clear,
    sheet_correct,
    sheet_enter,
    sheet_settle,
    sheet_sign_off,
)
from cunshe.elections.models import ElectionResult, Kind
from cunshe.elections.permissions import election_for
from cunshe.polling.models import Station
from cunshe.spreadsheets.layout import XLSX

router = Router(tags=["计票"])


class CountsWriteInIn(Schema):
    post: str
    name: str
    votes: int


class CountsPersonIn(Schema):
    name: str
    reason: str


class CountsFiguresIn(Schema):
    issued: int = 0
    returned: int = 0
    valid: int = 0
    invalid: int = 0
    written_for: int = 0
    void: dict[str, int] = {}
    votes: dict[str, int] = {}
    write_ins: list[CountsWriteInIn] = []
    due: int = 0
    present: int = 0
    absent: list[CountsPersonIn] = []
    excluded: list[CountsPersonIn] = []


class CountsEntryIn(Schema):
    station: int | None = None
    figures: CountsFiguresIn


class CountsCheckOut(Schema):
    key: str
    message: str
    cleared: str = ""


class CountsEntryOut(Schema):
    number: int
    entered_by: str
    entered_at: Any
    figures: dict[str, Any]


class CountsSheetOut(Schema):
    id: int
    election: int
    station: int | None
    station_name: str
    status: str
    status_label: str
    version: int
    figures: dict[str, Any]
    entries: list[CountsEntryOut]
    differences: list[str]
    checks: list[CountsCheckOut]
    settlement: dict[str, Any]
    scans: list[int]
    signed_off_by: str


class CountsBoxOut(Schema):
    station: int | None
    name: str
    sheet: int | None
    status: str


class CountsElectionOut(Schema):
    election: int
    status: str
    boxes: list[CountsBoxOut]
    result_status: str | None
    result: dict[str, Any] | None


class CountsSettleIn(Schema):
    choices: dict[str, Any]
    version: int


class CountsClearIn(Schema):
    check: str
    reason: str
    version: int


class CountsVersionIn(Schema):
    version: int


class CountsCorrectIn(Schema):
    figures: CountsFiguresIn
    reason: str
    version: int


class CountsScanIn(Schema):
    name: str
    content_type: str
    content_base64: str


class CountsAccountPersonIn(Schema):
    username: str
    id_number: str


class CountsAccountPersonOut(Schema):
    username: str
    person_id: int
    name: str


class CountsRoundIn(Schema):
    election_day: date


class CountsRoundOut(Schema):
    id: int
    round: str
    election_day: date


class CountsBoardRowOut(Schema):
    code: str
    name: str
    villages: int
    expected: int
    received: int
    reconciled: int
    signed_off: int
    quarantined: int
    differing: int
    returned: int
    registered: int
    turnout_percent: str | None
    counted: int
    invalid: int
    further: int


class CountsBoardOut(Schema):
    code: str
    day: date
    rows: list[CountsBoardRowOut]
    total: CountsBoardRowOut


def sheet_out(user: Any, sheet: Sheet) -> dict[str, Any]:
    entries = selectors.entries_shown(user, sheet)
    settler = sheet_policy.can(user, "settle", sheet)
    diffs = (
        differences(*(e.figures for e in sorted(entries, key=lambda e: e.number)))
        if settler and len(entries) == 2
        else []
    )
    figures = selectors.figures_shown(user, sheet)
    return {
        "id": sheet.pk,
        "election": sheet.election_id,
        "station": sheet.station_id,
        "station_name": sheet.station.name if sheet.station else "选举会议",
        "status": sheet.status,
        "status_label": sheet.get_status_display(),
        "version": sheet.version,
        "figures": figures,
        "entries": [
            {
                "number": e.number,
                "entered_by": e.entered_by.display_name,
                "entered_at": e.entered_at,
                "figures": e.figures,
            }
            for e in entries
        ],
        "differences": diffs,
        "checks": [{"key": k, "message": m, "cleared": sheet.cleared.get(k, "")} for k, m in sheet_checks(sheet)]
        if figures
        else [],
        "settlement": sheet.settlement,
        "scans": [s.pk for s in sheet.scans.all()],
        "signed_off_by": sheet.signed_off_by_name,
    }


@router.get(
    "/elections/{election_id}", response=CountsElectionOut, url_name="api_counts_election", summary="选举的票箱与计票单"
)
def election_boxes(request: HttpRequest, election_id: int) -> dict[str, Any]:
    election = election_for(request.user, election_id)
    result = ElectionResult.objects.filter(election=election).first()
    return {
        "election": election.pk,
        "status": election.status,
        "boxes": [
            {
                "station": st.pk if st else None,
                "name": st.name if st else "选举会议",
                "sheet": sh.pk if sh else None,
                "status": sh.status if sh else "missing",
            }
            for st, sh in selectors.boxes(request.user, election)
        ],
        "result_status": result.status if result else None,
        "result": result.outcome if result else None,
    }


@router.post(
    "/elections/{election_id}/sheets",
    response={201: CountsSheetOut},
    url_name="api_counts_enter",
    summary="录入计票单（两人各录入一次）",
)
def sheet_entry(request: HttpRequest, election_id: int, payload: CountsEntryIn) -> Status:
    election = election_for(request.user, election_id)
    station = None
    if payload.station is not None:
        station = Station.objects.filter(election=election, pk=payload.station).first()
        if station is None:
            raise DomainError("请选择本次选举的票箱。", {"station": ["不是本次选举的票箱。"]})
    sheet = sheet_enter(
        actor=acting_user(request), election=election, station=station, data=payload.figures.model_dump()
    )
    return Status(201, sheet_out(request.user, sheet))


@router.get("/sheets/{sheet_id}", response=CountsSheetOut, url_name="api_counts_sheet", summary="计票单")
def sheet_detail(request: HttpRequest, sheet_id: int) -> dict[str, Any]:
    return sheet_out(request.user, sheet_policy.get_or_404(request.user, pk=sheet_id))


@router.post(
    "/sheets/{sheet_id}/settle", response=CountsSheetOut, url_name="api_counts_settle", summary="对照纸质计票单处理差异"
)
def sheet_settle_op(request: HttpRequest, sheet_id: int, payload: CountsSettleIn) -> dict[str, Any]:
    sheet = sheet_policy.get_or_404(request.user, pk=sheet_id)
    sheet = sheet_settle(
        actor=acting_user(request), sheet=sheet, choices=payload.choices, expected_version=payload.version
    )
    return sheet_out(request.user, sheet)


@router.post("/sheets/{sheet_id}/clear", response=CountsSheetOut, url_name="api_counts_clear", summary="审核项放行")
def sheet_clear_op(request: HttpRequest, sheet_id: int, payload: CountsClearIn) -> dict[str, Any]:
    sheet = sheet_policy.get_or_404(request.user, pk=sheet_id)
    sheet = sheet_clear(
        actor=acting_user(request), sheet=sheet, check=payload.check, reason=payload.reason,
        expected_version=payload.version,
    )  # fmt: skip
    return sheet_out(request.user, sheet)


@router.post(
    "/sheets/{sheet_id}/scans",
    response={201: dict[str, int]},
    url_name="api_counts_scan_upload",
    summary="上传签字计票单的照片/扫描件（Base64）",
)
def scan_upload(request: HttpRequest, sheet_id: int, payload: CountsScanIn) -> Status:
    sheet = sheet_policy.get_or_404(request.user, pk=sheet_id)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError("上传失败。", {"content_base64": ["不是有效的 Base64 内容。"]}) from exc
    scan = scan_add(
        actor=acting_user(request), sheet=sheet, name=payload.name, content_type=payload.content_type, content=content
    )
    return Status(201, {"id": scan.pk})


@router.get(
    "/scans/{scan_id}",
    url_name="api_counts_scan",
    summary="计票单照片/扫描件原文件",
    openapi_extra=file_answer("application/octet-stream", "上传时的文件（JPG、PNG 或 PDF）"),
)
def scan_file(request: HttpRequest, scan_id: int) -> HttpResponse:
    scan = scan_policy.get_or_404(request.user, pk=scan_id)
    response = HttpResponse(bytes(scan.content), content_type=scan.content_type)
    response["Content-Disposition"] = content_disposition_header(False, scan.name) or "inline"
    return response


@router.post(
    "/sheets/{sheet_id}/sign-off", response=CountsSheetOut, url_name="api_counts_sign_off", summary="签认计票单"
)
def sheet_sign_off_op(request: HttpRequest, sheet_id: int, payload: CountsVersionIn) -> dict[str, Any]:
    sheet = sheet_policy.get_or_404(request.user, pk=sheet_id)
    sheet = sheet_sign_off(actor=acting_user(request), sheet=sheet, expected_version=payload.version)
    return sheet_out(request.user, sheet)


@router.post(
    "/sheets/{sheet_id}/corrections",
    response={201: CountsSheetOut},
    url_name="api_counts_correct",
    summary="更正已签认的计票单（写明原因）",
)
def sheet_correct_op(request: HttpRequest, sheet_id: int, payload: CountsCorrectIn) -> Status:
    sheet = sheet_policy.get_or_404(request.user, pk=sheet_id)
    sheet_correct(
        actor=acting_user(request), sheet=sheet, data=payload.figures.model_dump(), reason=payload.reason,
        expected_version=payload.version,
    )  # fmt: skip
    sheet.refresh_from_db()
    return Status(201, sheet_out(request.user, sheet))


@router.post(
    "/elections/{election_id}/further-round",
    response={201: CountsRoundOut},
    url_name="api_counts_further_round",
    summary="按计票结果发起另行选举",
)
def further_round(request: HttpRequest, election_id: int, payload: CountsRoundIn) -> Status:
    election = election_for(request.user, election_id)
    new = further_round_open(actor=acting_user(request), election=election, election_day=payload.election_day)
    return Status(201, {"id": new.pk, "round": new.round, "election_day": new.election_day})


@router.post(
    "/elections/{election_id}/account-persons",
    response={201: CountsAccountPersonOut},
    url_name="api_counts_account_person",
    summary="登记计票账号对应人员（候选人及其近亲属回避计票）",
)
def account_person(request: HttpRequest, election_id: int, payload: CountsAccountPersonIn) -> Status:
    election = election_for(request.user, election_id)
    link = account_person_set(
        actor=acting_user(request), election=election, username=payload.username, id_number=payload.id_number
    )
    return Status(201, {"username": link.user.username, "person_id": link.person_id, "name": link.person.name})


@router.get("/board/{code}", response=CountsBoardOut, url_name="api_counts_board", summary="选举日计票看板")
def board(request: HttpRequest, code: str, day: date | None = None) -> dict[str, Any]:
    region = summary_policy.rollup_region(request.user, code, fallback=False)
    b = selectors.board(request.user, region, day or timezone.localdate())
    row = lambda r: {**r.__dict__, "turnout_percent": r.turnout_percent}  # noqa: E731
    return {"code": region.code, "day": b.day, "rows": [row(r) for r in b.rows], "total": row(b.total)}


@router.get(
    "/return/{code}",
    url_name="api_counts_return",
    summary="选举情况统计表（Excel）",
    openapi_extra=file_answer(XLSX, "选举情况统计表"),
)
def statistical_return(request: HttpRequest, code: str, kind: str = Kind.VILLAGERS) -> HttpResponse:
    region = summary_policy.rollup_region(request.user, code, fallback=False)
    if kind not in Kind.values:
        raise DomainError("请选择选举类别。", {"kind": ["请选择选举类别。"]})
    return return_response(request.user, region, kind)


__all__ = ["open_checks", "router"]
