"""党务村务财务公开 in the demo county's story (today: the build day): 邹平市 keeps the default schedule from
2026-11-01 (finances by the 10th of the next month, general items by the 20th of the next quarter's first month,
major items within 5 working days of the resolution), so every village owes its November finances by 12-10.
黛溪街道's first six villages published their third-quarter party and village affairs (10-12 to 10-20) and October
finances (11-03 to 11-09) before the election, November finances from 12-01, and the resolutions of two 四议两公开
decisions: one on time, one late (7 working days). A third resolution (11-27) is still undisclosed: overdue. Board
photos are generated images. Nothing after today; safe to run twice."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.decisions.demo import MATTERS, villages
from cunshe.decisions.models import Decision, Status
from cunshe.disclosures.models import DecisionStep, Disclosure, Kind
from cunshe.disclosures.services import (
    DEFAULT_SCHEDULE,
    disclosure_create,
    disclosure_publish,
    obligations_open,
    photo_add,
    schedule_save,
)

COUNTY = "371681"
SINCE = date(2026, 11, 1)
# (kind, period day, title, content, published on (first village; the others a day apart), channels)
PERIODIC = [
    (
        Kind.GENERAL,
        date(2026, 7, 1),
        "2026年第三季度党务村务公开",
        "党员发展：确定入党积极分子 2 名；村务：低保动态调整 3 户，危房改造 1 户；三会一课按期召开。",
        date(2026, 10, 12),
        ["board", "website"],
    ),
    (
        Kind.FINANCE,
        date(2026, 10, 1),
        "2026年10月财务收支公开",
        "本月收入 41,260 元（土地承包费 36,000 元、光伏收益 5,260 元）；支出 22,480 元（保洁 6,000 元、道路维修 13,980 元、办公 2,500 元）。",
        date(2026, 11, 3),
        ["board", "chat_group"],
    ),
    (
        Kind.FINANCE,
        date(2026, 11, 1),
        "2026年11月财务收支公开",
        "本月收入 12,800 元（光伏收益）；支出 15,320 元（换届选举会务 4,120 元、冬季供暖 8,700 元、办公 2,500 元）。",
        date(2026, 12, 1),
        ["board", "loudspeaker", "chat_group"],
    ),
]
# Which matters of the decisions demo have their resolution disclosed, and how many days after it (1: on time;
# 9 calendar days = 7 working days: late). The fourth, resolved on 11-27, is not disclosed: overdue.
RESOLUTION_DELAY = {0: 1, 2: 9}


def _photo(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (178, 34, 34))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 460, 300), fill=(250, 248, 240))
    draw.text((40, 40), text.encode("ascii", "ignore").decode() or "board", fill=(0, 0, 0))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("board.jpg", buffer.getvalue(), content_type="image/jpeg")


def _publish(village: str, kind: str, title: str, content: str, channels: list[str], day: date, **link: object) -> None:
    actor = User.objects.filter(username="daixi").first() or SYSTEM
    if day > timezone.localdate() or Disclosure.objects.filter(region_id=village, title=title).exists():
        return
    disclosure = disclosure_create(
        actor=actor,
        village_code=village,
        kind=kind,
        title=title,
        content=content,
        channels=channels,
        **link,  # type: ignore[arg-type]
    )
    photo_add(actor=actor, disclosure=disclosure, image=_photo(f"{village} {day:%Y-%m-%d}"), caption="村务公开栏")
    disclosure_publish(actor=actor, disclosure=disclosure, published_on=day, expected_version=disclosure.version)


def build_demo(*, seed: int) -> None:
    for kind in (Kind.FINANCE, Kind.GENERAL):
        schedule_save(
            actor=SYSTEM, county_code=COUNTY, kind=kind, effective_from=SINCE, due_day=DEFAULT_SCHEDULE[kind].due_day
        )
    schedule_save(
        actor=SYSTEM,
        county_code=COUNTY,
        kind=Kind.MAJOR,
        effective_from=SINCE,
        due_working_days=DEFAULT_SCHEDULE[Kind.MAJOR].due_working_days,
    )
    obligations_open(county_code=COUNTY, today=timezone.localdate())
    for n, village in enumerate(villages()):
        for kind, period_day, title, content, first, channels in PERIODIC:
            _publish(village, kind, title, content, channels, first + timedelta(days=n), period_day=period_day)
    for n, delay in RESOLUTION_DELAY.items():
        decision = Decision.objects.filter(title=MATTERS[n][0], status=Status.RESOLUTION_DISCLOSURE).first()
        if decision is None or decision.resolved_on is None:
            continue
        _publish(
            decision.region_id,
            Kind.MAJOR,
            f"决议公开：{decision.title}",
            f"经村民代表会议 {decision.resolved_on:%Y年%m月%d日} 表决通过：{decision.matter}",
            ["board", "loudspeaker", "chat_group"],
            decision.resolved_on + timedelta(days=delay),
            decision=decision,
            decision_step=DecisionStep.RESOLUTION,
        )
