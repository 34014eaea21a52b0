from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cunshe.core.actors import SYSTEM
from cunshe.decisions.models import Decision
from cunshe.disclosures.models import Disclosure, Kind
from cunshe.disclosures.services import disclosure_create, disclosure_publish


def png(name: str = "board.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def draft(
    village: str,
    *,
    kind: str = Kind.FINANCE,
    period_day: date | None = None,
    actor: Any = SYSTEM,
    title: str = "2026年10月财务收支公开",
    decision: Decision | None = None,
    decision_step: str = "",
) -> Disclosure:
    return disclosure_create(
        actor=actor,
        village_code=village,
        kind=kind,
        title=title,
        content="本月收入 32,400 元（土地承包费），支出 18,150 元（道路维修、保洁）。",
        channels=["board", "chat_group"],
        period_day=period_day,
        decision=decision,
        decision_step=decision_step,
    )


def publish(disclosure: Disclosure, day: date, *, actor: Any = SYSTEM) -> Disclosure:
    disclosure.refresh_from_db()
    return disclosure_publish(actor=actor, disclosure=disclosure, published_on=day, expected_version=disclosure.version)
