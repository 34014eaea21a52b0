"""Reads of the voter register."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from cunshe.elections.models import Election
from cunshe.voters.models import ChangeReason, Objection, Register, RollChange, Voter


def registered_total(election: Election) -> int:
    """登记参加选举的村民人数: the base of the turnout rule (voters removed or left out of the total not counted)."""
    return Voter.objects.filter(register__election=election, removed_on__isnull=True, counted=True).count()


def register_of(election: Election) -> Register | None:
    return Register.objects.filter(election=election).select_related("election__region", "election__rules").first()


def voters_of(register: Register) -> QuerySet[Voter]:
    return (
        register.voters.filter(removed_on__isnull=True).select_related("person").order_by("group", "person__name", "pk")
    )


def change_counts(register: Register) -> dict[str, int]:
    """四增四减 counts for the 民政 return: per reason, every reason present (0 when none)."""
    counts = dict.fromkeys(ChangeReason.values, 0)
    for row in RollChange.objects.filter(register=register).values("reason").annotate(n=Count("pk")):
        counts[row["reason"]] = row["n"]
    return counts


def register_summary(register: Register) -> dict[str, int]:
    voters = register.voters.filter(removed_on__isnull=True)
    return {
        "registered": voters.count(),
        "counted": voters.filter(counted=True).count(),
        "objections_open": Objection.objects.filter(register=register, outcome="").count(),
        "objections": Objection.objects.filter(register=register).count(),
    }
