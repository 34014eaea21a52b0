"""三率 and 两率 of the prospective candidates of a village, with the formulas the page shows.

满意率       = the member's satisfaction rate in the village's 两票一度; for others, Σ满意 ÷ Σ受访 of the surveys
推荐得票率   = Σ推荐票 ÷ Σ参加推荐人数 × 100
党内支持率   = Σ支持的党员 ÷ Σ表态的党员 × 100;  党外支持率 = Σ支持的群众 ÷ Σ表态的群众 × 100
               (表态 = 支持 or 不支持; visits count each visited person's latest stance once, 未表态 not at all)
当选概率     = p × 党内支持率 + (1 − p) × 党外支持率, p = 党员人数 ÷ 登记的成年村民 (the electorate's party share)

Counts come from the support polls recorded here and from every registered opinion source: the visits module
registers one (visits that asked a party member or villager about a candidate), so its soundings add in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, Sum

from cunshe.assessments.models import MemberResult, SupportKind, SupportPoll
from cunshe.assessments.scoring import exact_rate, rate, rounded
from cunshe.people.models import Person
from cunshe.termchanges.models import TermChange

FORMULAS = [
    ("满意率", "现任班子成员取两票一度满意率；其他人选 = 满意人数 ÷ 受访人数 × 100"),
    ("推荐得票率", "推荐票 ÷ 参加推荐人数 × 100"),
    (
        "党内支持率",
        "表示支持的党员 ÷ 受访党员 × 100；受访党员：支持率测评中为受访人数，走访中为表示支持或不支持的党员"
        "（每人只计最近一次表态，未表态不计）",
    ),
    ("党外支持率", "表示支持的群众 ÷ 受访群众 × 100；受访群众的计法同上"),
    ("当选概率", "党员占比 × 党内支持率 + (1 − 党员占比) × 党外支持率；党员占比 = 党员人数 ÷ 登记的成年村民"),
]

# (in favour, asked) per kind, per person.
Counts = dict[int, dict[str, tuple[int, int]]]
OpinionSource = Callable[[str, TermChange, list[int]], Counts]
_SOURCES: list[OpinionSource] = []


def register_opinion_source(source: OpinionSource) -> None:
    """For modules that collect soundings (visits): called with a village, its term change and the person ids,
    returns their counts by SupportKind value. Call from the module's AppConfig.ready()."""
    if source not in _SOURCES:
        _SOURCES.append(source)


@dataclass
class Rates:
    person: Person
    role: str
    satisfaction: Decimal | None = None
    recommendation: Decimal | None = None
    party_support: Decimal | None = None
    public_support: Decimal | None = None
    likelihood: Decimal | None = None
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)


def _add(counts: Counts, more: Counts) -> None:
    for person_id, by_kind in more.items():
        mine = counts.setdefault(person_id, {})
        for kind, (favour, asked) in by_kind.items():
            old = mine.get(kind, (0, 0))
            mine[kind] = (old[0] + favour, old[1] + asked)


def party_share(village_code: str, on: date) -> Fraction | None:
    adult_born_before = date(on.year - 18, on.month, min(on.day, 28))
    got = Person.objects.filter(region_id=village_code, birth_date__lte=adult_born_before).aggregate(
        adults=Count("id"), members=Count("id", filter=Q(is_party_member=True))
    )
    if not got["adults"]:
        return None
    return Fraction(got["members"], got["adults"])


def village_rates(
    village_code: str, term_change: TermChange | None, prospects: list[tuple[Person, str]], *, on: date
) -> list[Rates]:
    """Rates for the given prospective candidates (person, why they are one), in a constant number of queries."""
    if term_change is None or not prospects:
        return []
    ids = [p.pk for p, _ in prospects]
    counts: Counts = {}
    recorded = (
        SupportPoll.objects.filter(region_id=village_code, term_change=term_change, person_id__in=ids)
        .values("person_id", "kind")
        .annotate(favour=Sum("in_favour"), asked=Sum("asked"))
    )
    for row in recorded:
        _add(counts, {row["person_id"]: {row["kind"]: (row["favour"], row["asked"])}})
    for source in _SOURCES:
        _add(counts, source(village_code, term_change, ids))
    assessed = dict(
        MemberResult.objects.filter(
            assessment__region_id=village_code,
            assessment__term_change=term_change,
            member__person_id__in=ids,
            satisfaction_rate__isnull=False,
        ).values_list("member__person_id", "satisfaction_rate")
    )
    share = party_share(village_code, on)
    rows = []
    for person, role in prospects:
        mine = counts.get(person.pk, {})

        def of(kind: str) -> Decimal | None:
            favour, asked = mine.get(kind, (0, 0))  # noqa: B023 - used at once, inside the loop
            return rate(favour, asked)

        def exact(kind: str) -> Fraction | None:
            favour, asked = mine.get(kind, (0, 0))  # noqa: B023 - used at once, inside the loop
            return exact_rate(favour, asked)

        inside, outside = of(SupportKind.PARTY_SUPPORT), of(SupportKind.PUBLIC_SUPPORT)
        likelihood = None
        exact_in, exact_out = exact(SupportKind.PARTY_SUPPORT), exact(SupportKind.PUBLIC_SUPPORT)
        if share is not None and exact_in is not None and exact_out is not None:
            # From the exact rates and share, rounded once (never from the rates already rounded for display).
            likelihood = rounded(share * exact_in + (1 - share) * exact_out)
        rows.append(
            Rates(
                person=person,
                role=role,
                satisfaction=assessed.get(person.pk, of(SupportKind.SATISFACTION)),
                recommendation=of(SupportKind.RECOMMENDATION),
                party_support=inside,
                public_support=outside,
                likelihood=likelihood,
                counts=mine,
            )
        )
    return rows
