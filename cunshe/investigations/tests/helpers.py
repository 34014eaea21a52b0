from __future__ import annotations

from datetime import date

from cunshe.core.actors import SYSTEM
from cunshe.investigations.models import ClearingItem, Coverage, InvestigationTeam
from cunshe.investigations.services import coverage_add, item_start, log_add, member_add, team_create

FORMED = date(2026, 9, 20)


def team_covering(town: str, village: str, *, name: str = "第一调研组") -> tuple[InvestigationTeam, Coverage]:
    """A town's team with a leader and a resident cadre, covering one village since it was formed."""
    team = team_create(actor=SYSTEM, town_code=town, name=name, formed_on=FORMED)
    member_add(actor=SYSTEM, team=team, name=f"{name}组长", role="leader", post="街道党工委副书记", joined_on=FORMED)
    member_add(actor=SYSTEM, team=team, name=f"{name}驻村", role="resident", post="驻村干部", joined_on=FORMED)
    coverage = coverage_add(actor=SYSTEM, team=team, village_code=village, from_on=FORMED)
    return team, coverage


def items_of(village: str) -> list[ClearingItem]:
    return list(ClearingItem.objects.filter(region_id=village).order_by("position"))


def started(item: ClearingItem, on: date = date(2026, 10, 8)) -> ClearingItem:
    return item_start(actor=SYSTEM, item=item, started_on=on, expected_version=item.version)


def logged(team: InvestigationTeam, village: str, talks: int = 12, households: int = 30) -> None:
    log_add(
        actor=SYSTEM, team=team, village_code=village, worked_on=date(2026, 10, 9), talks=talks, households=households
    )
