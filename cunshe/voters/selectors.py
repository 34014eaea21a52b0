"""Reads of the voter register."""

from __future__ import annotations

from cunshe.elections.models import Election
from cunshe.voters.models import Voter


def registered_total(election: Election) -> int:
    """登记参加选举的村民人数: the base of the turnout rule (voters removed or left out of the total not counted)."""
    return Voter.objects.filter(register__election=election, removed_on__isnull=True, counted=True).count()
