"""The per-village summary kept beside the ledger, changed in the transaction of each write (decision 0010)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Q

from cunshe.commitments.models import Commitment, Status, VillageSummary


def summary_count(commitment: Commitment, delta: int) -> None:
    """Add (+1) or remove (-1) the commitment's current state from its village's summary row."""
    row, _ = VillageSummary.objects.get_or_create(
        region_id=commitment.region_id,
        kind=commitment.kind,
        term_change_id=commitment.term_change_id,
        year=commitment.year,
        category=commitment.category,
    )
    changes: dict[str, Any] = {"total": F("total") + delta, commitment.status: F(commitment.status) + delta}
    if commitment.is_showcase:
        changes["showcase"] = F("showcase") + delta
    VillageSummary.objects.filter(pk=row.pk).update(**changes)


def summaries_rebuild(region_codes: Iterable[str]) -> None:
    """Recount the summary rows of these villages from the ledger (after a bulk import). Call inside a transaction."""
    codes = sorted(set(region_codes))
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        VillageSummary.objects.filter(region_id__in=chunk).delete()
        counts = (
            Commitment.objects.filter(region_id__in=chunk)
            .values("region_id", "kind", "term_change_id", "year", "category")
            .annotate(
                total=Count("id"),
                showcase=Count("id", filter=Q(is_showcase=True)),
                **{s: Count("id", filter=Q(status=s)) for s in Status.values},
            )
            .order_by()
        )
        VillageSummary.objects.bulk_create(VillageSummary(**c) for c in counts)
