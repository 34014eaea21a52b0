"""The files a page and the API both hand out (the ledger and cases workbooks, the target letter PDF, a progress
photo), built once here so the two give the same file under the same access rule."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from cunshe.commitments import selectors
from cunshe.commitments.models import Commitment, ProgressUpdate, Status, TargetLetter
from cunshe.commitments.permissions import letter_policy
from cunshe.commitments.printouts import target_letter_pdf
from cunshe.commitments.responsibility import three_level_table
from cunshe.commitments.services import cases_export, ledger_export, three_level_export
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import xlsx_response


def ledger_response(user: Any, *, under: str = "", kind: str = "") -> HttpResponse:
    commitments = selectors.commitments_visible(user, under=under, kind=kind)
    buffer = BytesIO()
    ledger_export(commitments=commitments.iterator(chunk_size=2000), target=buffer)
    return xlsx_response(buffer.getvalue(), "开门一件事台账.xlsx")


def cases_response(user: Any, *, under: str = "") -> HttpResponse:
    buffer = BytesIO()
    cases_export(commitments=selectors.cases_visible(user, under=under), target=buffer)
    return xlsx_response(buffer.getvalue(), "开门一件事典型案例.xlsx")


def _letter_commitments(village: Region, year: int, letter: TargetLetter | None) -> list[Commitment]:
    qs = Commitment.objects.filter(region=village, year=year).exclude(status=Status.DROPPED)
    if letter is not None:
        qs = Commitment.objects.filter(ledger_no__in=letter.ledger_nos)
    return list(qs.order_by("kind", "ledger_no"))


def letter_response(user: Any, village: Region, year: int) -> HttpResponse:
    """The year's target letter of a village the user may see (the signed one as signed)."""
    signed = letter_policy.visible_to(user).filter(region=village, year=year).first()
    commitments = _letter_commitments(village, year, signed)
    if not commitments:
        raise Http404("该年度尚无承诺事项。")
    pdf = target_letter_pdf(village=village, town=village.parent, year=year, commitments=commitments, letter=signed)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"{village.short_name}{year}年目标承诺书.pdf") or "inline"
    )
    return response


def photo_response(update: ProgressUpdate) -> FileResponse:
    # Photos are not public: they may show villagers' faces and homes (the caller fetched through the policy).
    if not update.photo:
        raise Http404("没有照片。")
    return FileResponse(update.photo.open("rb"), filename=(update.photo.name or "photo").rsplit("/", 1)[-1])


def three_level_response(region: Region, month: date) -> HttpResponse:
    """The three-level table of a county or town for a month (the caller fetched the region through the policy)."""
    buffer = BytesIO()
    three_level_export(table=three_level_table(region, month), target=buffer)
    return xlsx_response(buffer.getvalue(), f"{region.name}三级责任{month:%Y年%m月}.xlsx")
