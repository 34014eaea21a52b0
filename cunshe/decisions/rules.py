"""The quorum and majority rules of the four meetings, as exact fractions, from the dated rule set of the village's
county (or province); RULES.md's defaults when neither has one. Pure functions, so the thresholds are tested
exactly (2/3 present passes, half the votes fails, half + 1 passes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from cunshe.decisions.models import Base, DecisionRules, Step


@dataclass(frozen=True)
class MeetingRule:
    quorum: Fraction
    quorum_strict: bool  # 过半数: strictly more; otherwise 以上: the number itself passes
    base: str  # Base: approval is 过半数 of those present or of all due

    def quorum_met(self, *, due: int, present: int) -> bool:
        if due <= 0:
            return False
        share = Fraction(present, due)
        return share > self.quorum if self.quorum_strict else share >= self.quorum

    def approved(self, *, due: int, present: int, votes_for: int) -> bool:
        base = present if self.base == Base.PRESENT else due
        return base > 0 and Fraction(votes_for, base) > Fraction(1, 2)

    @property
    def text(self) -> str:
        q = f"{self.quorum.numerator}/{self.quorum.denominator}"
        quorum = f"到会超过应到人数的 {q}" if self.quorum_strict else f"到会达应到人数的 {q} 以上"
        base = "实到人数" if self.base == Base.PRESENT else "应到人数"
        return f"{quorum}；赞成超过{base}的半数"


@dataclass(frozen=True)
class RuleSet:
    source: str
    committee: MeetingRule
    party: MeetingRule
    villagers: MeetingRule
    party_notice_days: int

    def for_step(self, step: str) -> MeetingRule:
        if step == Step.PARTY_REVIEW:
            return self.party
        if step == Step.RESOLUTION:
            return self.villagers
        return self.committee


# RULES.md: party members' meeting ≥ 2/3 present, approved by more than half of those due (党员大会 counts its
# votes against all members due); villagers' (representatives') meeting ≥ 2/3 of representatives present, more than
# half of those present; the plan reaches members 3 days before. The branch committee and the joint meeting of the
# two committees: more than half of the members present, more than half of all members approve (支委会 practice).
DEFAULT_RULES = RuleSet(
    source="默认规则（村民委员会组织法、党支部工作条例）",
    committee=MeetingRule(Fraction(1, 2), True, Base.DUE),
    party=MeetingRule(Fraction(2, 3), False, Base.DUE),
    villagers=MeetingRule(Fraction(2, 3), False, Base.PRESENT),
    party_notice_days=3,
)


def parse_fraction(text: str) -> Fraction:
    """ "2/3" → Fraction(2, 3); refuses percentages and decimals, which would round."""
    num, _, den = (text or "").strip().partition("/")
    if not (num.isdigit() and den.isdigit()) or int(den) == 0 or not 0 < int(num) <= int(den):
        raise ValueError(text)
    return Fraction(int(num), int(den))


def _from_row(row: DecisionRules) -> RuleSet:
    return RuleSet(
        source=f"{row.region.name} {row.effective_from:%Y-%m-%d} 起施行{('（' + row.basis + '）') if row.basis else ''}",
        committee=MeetingRule(parse_fraction(row.committee_quorum), row.committee_quorum_strict, row.committee_base),
        party=MeetingRule(parse_fraction(row.party_quorum), row.party_quorum_strict, row.party_base),
        villagers=MeetingRule(parse_fraction(row.villagers_quorum), row.villagers_quorum_strict, row.villagers_base),
        party_notice_days=row.party_notice_days,
    )


def rules_for(village_code: str, on: date) -> RuleSet:
    """The county's rule set in force on the day, else the province's, else the defaults."""
    rows = (
        DecisionRules.objects.filter(region_id__in=[village_code[:6], village_code[:2]], effective_from__lte=on)
        .select_related("region")
        .order_by("-effective_from")
    )
    found = sorted(rows, key=lambda r: len(r.region_id), reverse=True)  # the county before the province
    return _from_row(found[0]) if found else DEFAULT_RULES
