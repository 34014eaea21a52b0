"""How the numbers of 两票一度 are computed, in one place, so the page can show the same formula it uses.

rate of a poll      = (满意 + 基本满意) ÷ the poll's 100% base × 100
distrust rate       = 不满意 ÷ base × 100
combined score      = (党员信任率 × a + 代表信任率 × b + 满意率 × c) ÷ (a + b + c), with the county's a:b:c
a member is flagged when the combined score is below the line, or any distrust rate is above its line.

Each figure is computed exactly (fractions) and rounded once, when it is shown or stored: the combined score comes
from the exact rates, not from rates already rounded to 0.01 (76.354 is 76.35, never 76.36)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

FORMULA = (
    "各项得分 = (满意(信任)票 + 基本满意(基本信任)票) ÷ 百分比基数 × 100；"
    "综合得分 = (党员信任率 × {a} + 村民代表信任率 × {b} + 满意率 × {c}) ÷ ({a} + {b} + {c})"
)
HUNDRED = Decimal(100)


def rounded(value: Decimal | Fraction) -> Decimal:
    """Half up to 0.01, the one rounding a shown or stored figure gets."""
    if isinstance(value, Fraction):
        # Exact half-up rounding of a fraction to 0.01: no binary or 28-digit decimal step in between.
        hundredths = value * 100
        whole = (hundredths.numerator * 2 + hundredths.denominator) // (2 * hundredths.denominator)
        return (Decimal(whole) / 100).quantize(Decimal("0.01"))
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def exact_rate(part: int, base: int) -> Fraction | None:
    """part ÷ base × 100, exactly; None without a base."""
    if base <= 0:
        return None
    return Fraction(part * 100, base)


def rate(part: int, base: int) -> Decimal | None:
    """The rate as shown and stored, rounded once to 0.01."""
    exact = exact_rate(part, base)
    return None if exact is None else rounded(exact)


@dataclass(frozen=True)
class Weights:
    party: int
    representative: int
    satisfaction: int

    def combine(
        self,
        party: Fraction | Decimal | None,
        representative: Fraction | Decimal | None,
        satisfaction: Fraction | Decimal | None,
    ) -> Decimal | None:
        """None until all three polls have a rate: a partial score would not be comparable across villages. Give it
        the exact rates (exact_rate): it rounds once, at the end."""
        if party is None or representative is None or satisfaction is None:
            return None
        total = self.party + self.representative + self.satisfaction
        weighted = (
            Fraction(party) * self.party
            + Fraction(representative) * self.representative
            + Fraction(satisfaction) * self.satisfaction
        )
        return rounded(weighted / total)


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
