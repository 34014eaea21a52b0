"""Reads of the voter register."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from cunshe.elections.models import Election, Round
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


def round_number(election: Election) -> int:
    """The round's place in its chain (the main election is round 1, its further round or rerun round 2, …)."""
    n, parent_id = 1, election.parent_id
    while parent_id is not None:
        n += 1
        parent_id = Election.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return n


def register_origin(register: Register) -> str:
    """What a register was built from, as the register page and API show it."""
    election = register.election
    if election.round != Round.MAIN and register.previous_id is not None:
        parent = register.previous.election  # type: ignore[union-attr]
        return (
            f"依第 {round_number(parent)} 轮（{parent}，{parent.election_day:%Y-%m-%d}）选民名单编制，"
            "公布前可按“四增四减”增减"
        )
    if register.previous_id is not None:
        return f"依上届选民名单（{register.previous.election.election_day:%Y-%m-%d}）比对“四增四减”编制"  # type: ignore[union-attr]
    return "依人员信息首次编制"
