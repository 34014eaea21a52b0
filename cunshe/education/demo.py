"""Centralized education in the demo county's story (today: the build day): after the elections 黛溪街道's party working
committee opened a campaign for its new teams on 11-20 (finance clean-up, integrity education, conflict screening,
until 12-31); its first villages have done part of it. 黄山街道 votes today and has none yet."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.education.models import Campaign, Kind, VillageTask
from cunshe.education.services import campaign_create, task_complete

TOWN_A = "371681001"  # 黛溪街道
TITLE = "黛溪街道新一届村(社区)两委集中教育"
NOTES = {
    Kind.FINANCE: "清理往来账目 23 笔，收回欠款 4.6 万元，清理结果张榜公示。",
    Kind.INTEGRITY: "组织两委成员和党员观看警示教育片，签订廉洁履职承诺书 11 份。",
    Kind.CONFLICTS: "排查矛盾纠纷 6 件（土地边界 3 件、赡养 2 件、宅基地 1 件），已化解 5 件。",
}


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today < date(2026, 11, 20) or Campaign.objects.filter(region_id=TOWN_A, title=TITLE).exists():
        return
    actor = User.objects.filter(username="daixi").first() or SYSTEM
    campaign = campaign_create(
        actor=actor,
        region_code=TOWN_A,
        title=TITLE,
        starts_on=date(2026, 11, 20),
        ends_on=date(2026, 12, 31),
        kinds=Kind.values,
    )
    villages = sorted({t.region_id for t in VillageTask.objects.filter(campaign=campaign)})
    # the first three villages: all three done; the next three: integrity education only
    for n, village in enumerate(villages[:6]):
        for task in VillageTask.objects.filter(campaign=campaign, region_id=village).order_by("kind"):
            if n >= 3 and task.kind != Kind.INTEGRITY:
                continue
            task_complete(
                actor=actor,
                task=task,
                done_on=min(date(2026, 11, 25 + n), today),
                note=NOTES[Kind(task.kind)],
                expected_version=task.version,
            )
