"""The programme in the demo county's story (today 2026-12-05): 黛溪街道's villagers' committees elected on 11-15
and certified have their programme, opened by the certification (results demo) and counting from the election
day; the handovers completed there and the 开门一件事 entered are already marked from those modules. Here the
cadres enter what only they know: one secretary's breakthrough project (the first lesson is marked from the
training sign-ins of 11-28, trainings demo; the care list from the carelist demo's November visits). Nothing is dated before the election or after today; villages
whose committee is not certified (黄山街道 votes today, a rerun, a further round) have no programme."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.models import Programme, Progress
from cunshe.firstyear.services import progress_mark

TOWN_A = "371681001"  # 黛溪街道

ENTRIES: dict[str, tuple[int, str]] = {
    # item key: (how many villages, evidence)
    "breakthrough": (1, "书记突破项目：党支部领办土地股份合作社，已报街道党工委审定。"),
}
OFFSETS = {"breakthrough": 18}


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
            day = min(max(programme.elected_on + timedelta(days=offset), programme.elected_on), today)
            progress_mark(actor=actor, progress=row, done_on=day, evidence=evidence, expected_version=row.version)
