"""The random draw of an inspection (抽查): stratified by town, reproducible from its seed.

Anyone holding the list of villages and the recorded seed can re-check a draw: the towns are taken in code
order, each town's villages in code order, and one random.Random(seed) picks from each town in turn."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from cunshe.commitments.models import DrawMode


def allocate(sizes: Mapping[str, int], target: int) -> dict[str, int]:
    """Share `target` among the towns in proportion to their villages (largest remainder; ties by town code)."""
    total = sum(sizes.values())
    if total == 0 or target <= 0:
        return dict.fromkeys(sizes, 0)
    target = min(target, total)
    exact = {town: target * size / total for town, size in sizes.items()}
    quotas = {town: int(share) for town, share in exact.items()}
    left = target - sum(quotas.values())
    by_remainder = sorted(sizes, key=lambda town: (-(exact[town] - quotas[town]), town))
    for town in by_remainder[:left]:
        quotas[town] += 1
    return quotas


def draw_villages(strata: Mapping[str, Sequence[str]], *, mode: str, amount: int, seed: int) -> list[str]:
    """The villages drawn: `amount` villages (COUNT) or `amount` per cent of them (SHARE), spread over the towns."""
    pools = {town: sorted(villages) for town, villages in sorted(strata.items())}
    total = sum(len(v) for v in pools.values())
    target = amount if mode == DrawMode.COUNT else round(total * amount / 100)
    quotas = allocate({town: len(v) for town, v in pools.items()}, target)
    rng = random.Random(seed)
    drawn: list[str] = []
    for town, villages in pools.items():
        drawn += sorted(rng.sample(villages, quotas[town]))
    return drawn
