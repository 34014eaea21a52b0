"""The first secretaries' statistics as in seed 003, as a small registry: each kind has a label, a unit and a
function(village, start, end) giving the figure for a village over a period.

A figure comes from the module that keeps it where one exists (households visited: cunshe/visits; reserve talents:
cunshe/reserves) and otherwise from what the monthly reports state. Party meetings, four-step decisions and
disclosures are other modules' (partymeetings, decisions, disclosures): when they are merged they call
`register_statistic("meetings", ...)` (or "decisions", "disclosures") from their AppConfig.ready() and their counted
figure replaces the reported one; nothing else changes here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

Figure = Callable[[str, date, date], Decimal | int]


@dataclass(frozen=True)
class Statistic:
    kind: str
    label: str
    unit: str
    figure: Figure
    source: str  # 月报 or the module that counts it


_registry: dict[str, Statistic] = {}


def register_statistic(kind: str, label: str, figure: Figure, *, unit: str = "", source: str = "") -> None:
    """Add a statistic, or replace one (a module's counted figure replaces the monthly report's)."""
    old = _registry.get(kind)
    _registry[kind] = Statistic(kind, label, unit or (old.unit if old else ""), figure, source or kind)


def unregister_statistic(kind: str) -> None:
    _registry.pop(kind, None)


def statistics() -> list[Statistic]:
    return list(_registry.values())


def statistic(kind: str) -> Statistic | None:
    return _registry.get(kind)


def reported(field: str) -> Figure:
    """The sum a field of the monthly reports submitted for the village over the period (returned ones do not
    count until submitted again)."""

    def figure(village: str, start: date, end: date) -> Decimal | int:
        from cunshe.firstsecretaries.models import Kind, Report, Status

        got = Report.objects.filter(
            village_id=village,
            kind=Kind.MONTH,
            status__in=(Status.SUBMITTED, Status.ACKNOWLEDGED),
            period_start__gte=start,
            period_start__lte=end,
        ).aggregate(total=Sum(field))["total"]
        return got or 0

    return figure


def households_visited(village: str, start: date, end: date) -> int:
    """Households visited (入户走访) in the village over the period, each household once (cunshe/visits)."""
    from cunshe.visits.models import Group, Visit

    got = Visit.objects.filter(
        region_id=village, target__group=Group.HOUSEHOLD, visited_on__gte=start, visited_on__lte=end
    ).aggregate(n=Count("target", distinct=True))
    return int(got["n"] or 0)


def reserve_talents(village: str, start: date, end: date) -> int:
    """Reserve cadres (后备干部) entered for the village over the period (cunshe/reserves)."""
    from cunshe.reserves.models import ReserveCadre

    return ReserveCadre.objects.filter(region_id=village, added_on__gte=start, added_on__lte=end).count()


# The order of seed 003's digest.
register_statistic("lectures", "政策理论宣讲", reported("lectures"), unit="场次", source="月报")
register_statistic("members_recruited", "发展党员", reported("members_recruited"), unit="名", source="月报")
register_statistic("reserve_talents", "培养后备人才", reserve_talents, unit="名", source="后备干部")
register_statistic("meetings", "指导三会一课、主题党日", reported("meetings"), unit="次", source="月报")
register_statistic("decisions", "指导四议两公开", reported("decisions"), unit="次", source="月报")
register_statistic("disclosures", "党务村务财务公开", reported("disclosures"), unit="条", source="月报")
register_statistic("households_visited", "走访农户", households_visited, unit="户", source="走访")
register_statistic("funds", "争取资金", reported("funds"), unit="元", source="月报")
register_statistic("projects", "引进项目", reported("projects"), unit="个", source="月报")
