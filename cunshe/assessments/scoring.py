"""How the numbers of 两票一度 are computed, in one place, so the page can show the same formula it uses.

rate of a poll      = (满意 + 基本满意) ÷ the poll's 100% base × 100
distrust rate       = 不满意 ÷ base × 100
combined score      = (党员信任率 × a + 代表信任率 × b + 满意率 × c) ÷ (a + b + c), with the county's a:b:c
a member is flagged when the combined score is below the line, or any distrust rate is above its line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FORMULA = (
    "各项得分 = (满意(信任)票 + 基本满意(基本信任)票) ÷ 百分比基数 × 100；"
    "综合得分 = (党员信任率 × {a} + 村民代表信任率 × {b} + 满意率 × {c}) ÷ ({a} + {b} + {c})"
)
HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate(part: int, base: int) -> Decimal | None:
    if base <= 0:
        return None
    return _round(Decimal(part) * HUNDRED / Decimal(base))


@dataclass(frozen=True)
class Weights:
    party: int
    representative: int
    satisfaction: int

    def combine(
        self, party: Decimal | None, representative: Decimal | None, satisfaction: Decimal | None
    ) -> Decimal | None:
        """None until all three polls have a rate: a partial score would not be comparable across villages."""
        if party is None or representative is None or satisfaction is None:
            return None
        total = self.party + self.representative + self.satisfaction
        weighted = party * self.party + representative * self.representative + satisfaction * self.satisfaction
        return _round(weighted / Decimal(total))


def flag_reason(
    combined: Decimal | None, distrust: dict[str, Decimal | None], *, flag_below: Decimal, flag_distrust_over: Decimal
) -> str:
    reasons = []
    if combined is not None and combined < flag_below:
        reasons.append(f"综合得分 {combined} 低于 {flag_below}")
    reasons += [
        f"{label}不信任(不满意)率 {value}% 超过 {flag_distrust_over}%"
        for label, value in distrust.items()
        if value is not None and value > flag_distrust_over
    ]
    return "；".join(reasons)
