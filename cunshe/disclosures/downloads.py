"""The disclosure ledger (Excel) a page and the API both hand out, and a board photo (the public only sees those of
published disclosures)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from PIL import Image, ImageOps

from cunshe.deadlines.calendar import deadline_day
from cunshe.disclosures import selectors
from cunshe.disclosures.models import Photo
from cunshe.disclosures.services import period_label
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import Column, parse_date, write_workbook, xlsx_response

LEDGER_COLUMNS = [
    Column("村(社区)代码", "region", width=14, as_text=True),
    Column("村(社区)", "region_name", width=22),
    Column("类别", "kind", width=18),
    Column("所属期间", "period", width=14),
    Column("标题", "title", width=36),
    Column("公开时限", "due_on", parse=parse_date, width=12),
    Column("公开日期", "published_on", parse=parse_date, width=12),
    Column("状态", "status", width=12),
    Column("公开渠道", "channels", width=24),
    Column("照片", "photos", width=6),
    Column("四议两公开事项", "decision", width=30),
]


def ledger_rows(user: Any, under: str) -> Iterable[dict[str, Any]]:
    """Every disclosure (published or drafted), then every obligation past due with nothing published: missing."""
    now = timezone.now()
    for d in selectors.disclosures_in(user, under).select_related("obligation"):
        status = "拟公开" if d.published_on is None else ("逾期公开" if d.late else "按时公开")
        yield {
            "region": d.region_id,
            "region_name": d.region.name,
            "kind": d.get_kind_display(),
            "period": period_label(d.kind, d.period_start),
            "title": d.title,
            "due_on": deadline_day(d.obligation.due_at) if d.obligation else None,
            "published_on": d.published_on,
            "status": status,
            "channels": "、".join(d.channel_labels),
            "photos": len(d.photos.all()),
            "decision": d.decision.title if d.decision else "",
        }
    for o in selectors.obligations_in(user, under).filter(due_at__lt=now):
        yield {
            "region": o.region_id,
            "region_name": o.region.name,
            "kind": o.get_kind_display(),
            "period": period_label(o.kind, o.period_start),
            "title": o.title,
            "due_on": deadline_day(o.due_at),
            "published_on": None,
            "status": "逾期未公开",
            "channels": "",
            "photos": 0,
            "decision": "",
        }


def ledger_response(user: Any, region: Region) -> HttpResponse:
    buffer = BytesIO()
    write_workbook("公开台账", LEDGER_COLUMNS, ledger_rows(user, region.code), buffer)
    return xlsx_response(buffer.getvalue(), f"党务村务财务公开台账-{region.name}.xlsx")


CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def photo_response(photo: Photo) -> HttpResponse:
    # Photos are at most 10 MB and checked on upload; a plain response is what the public page and the API serve.
    try:
        with photo.image.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404("照片文件不存在。") from exc
    suffix = str(photo.image.name).rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))
    response["Content-Disposition"] = "inline"
    return response


PUBLIC_SIZE = (1600, 1600)


def public_image(photo: Photo) -> str:
    """The photo as a data URI of a JPEG at most 1600 px wide: the public page shows the board, not the original
    file (with its camera metadata) and needs no file serving."""
    try:
        with photo.image.open("rb") as handle, Image.open(handle) as original:
            image = ImageOps.exif_transpose(original).convert("RGB")
            image.thumbnail(PUBLIC_SIZE)
            buffer = BytesIO()
            image.save(buffer, "JPEG", quality=82)
    except (FileNotFoundError, OSError) as exc:
        raise Http404("照片文件不存在。") from exc
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def public_photo(pk: int) -> Photo:
    photo = (
        Photo.objects.filter(pk=pk, disclosure__published_on__isnull=False).select_related("disclosure__region").first()
    )
    if photo is None:
        raise Http404("未找到该记录。")
    return photo
