"""The programme in the demo county's story (today 2026-12-05): 黛溪街道's villagers' committees elected on 11-15
and certified have their programme, opened by the certification (results demo) and counting from the election
day; the handovers completed there and the 开门一件事 entered are already marked from those modules. Here the
cadres enter what only they know: the town's first lesson on 11-28 (three villages attended), the care lists of two
villages and one secretary's breakthrough project. Nothing is dated before the election or after today; villages
whose committee is not certified (黄山街道 votes today, a rerun, a further round) have no programme."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.models import Programme, Progress
from cunshe.firstyear.services import progress_mark

TOWN_A = "371681001"  # 黛溪街道
LESSON_DAY = date(2026, 11, 28)  # 黛溪街道基层党校 first class for the new committees

ENTRIES: dict[str, tuple[int, str]] = {
    # item key: (how many villages, evidence)
    "first_lesson": (
        3,
        "参加黛溪街道基层党校新一届两委干部任职培训班（11月28日，街道党工委书记讲党课），本村(社区)应训人员全部到课。",
    ),
    "care_list": (2, "摸排困难户 14 户（低保 6 户、五保 2 户、独居老人 6 户），暖心清单经两委会议通过并公示。"),
    "breakthrough": (1, "书记突破项目：党支部领办土地股份合作社，已报街道党工委审定。"),
}
OFFSETS = {"first_lesson": None, "care_list": 16, "breakthrough": 18}


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    officer = User.objects.filter(username="daixi").first()
    actor = officer or SYSTEM
    programmes = list(Programme.objects.filter(region_id__startswith=TOWN_A).order_by("region_id"))
    for key, (count, evidence) in ENTRIES.items():
        for programme in programmes[:count]:
            row = Progress.objects.filter(programme=programme, item__key=key, done_on__isnull=True).first()
            if row is None:  # done already (the demo runs twice) or the county removed the item
                continue
            offset = OFFSETS[key]
            day = LESSON_DAY if offset is None else programme.elected_on + timedelta(days=offset)
            day = min(max(day, programme.elected_on), today)
            progress_mark(actor=actor, progress=row, done_on=day, evidence=evidence, expected_version=row.version)
