"""The target letter (目标责任书) a village signs for its commitments."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cunshe.commitments.models import Commitment, Status, TargetLetter
from cunshe.commitments.permissions import letter_policy
from cunshe.core.actors import Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.records.services import record
from cunshe.regions.models import Level, Region


@transaction.atomic
def target_letter_sign(
    *,
    actor: Actor,
    village_code: str,
    year: int,
    signed_on: date,
    village_signatory_post: str = "村党组织书记",
    town_signatory_post: str = "乡镇(街道)党(工)委书记",
) -> TargetLetter:
    """Record that the village and the town signed the year's target letter, with the commitments it listed."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    letter_policy.check_in_region(
        actor,
        "change",
        village_code,
        message="只有乡镇(街道)或县委组织部可以登记目标承诺书的签订。",
        missing="未找到该村(社区)。",
    )
    numbers = list(
        Commitment.objects.filter(region_id=village_code, year=year)
        .exclude(status=Status.DROPPED)
        .order_by("kind", "ledger_no")
        .values_list("ledger_no", flat=True)
    )
    errors: dict[str, list[str]] = {}
    if not numbers:
        errors["year"] = [f"{year} 年尚无承诺事项，无法签订。"]
    if signed_on > timezone.localdate():
        errors["signed_on"] = ["签订日期不能晚于今天。"]
    if not village_signatory_post.strip() or not town_signatory_post.strip():
        errors["village_signatory_post"] = ["请填写双方签字人的岗位。"]
    if TargetLetter.objects.filter(region_id=village_code, year=year).exists():
        errors["year"] = [f"{year} 年的目标承诺书已登记签订。"]
    if errors:
        raise DomainError("未能登记签订。", errors)
    letter = TargetLetter.objects.create(
        region=village,
        year=year,
        signed_on=signed_on,
        village_signatory_post=village_signatory_post.strip(),
        town_signatory_post=town_signatory_post.strip(),
        ledger_nos=numbers,
        signed_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=village.code,
        event="commitments.letter_signed",
        summary=f"{village.name}与乡镇(街道)签订 {year} 年目标承诺书（{len(numbers)} 件）",
        obj=letter,
        after={"签订日期": signed_on, "承诺事项": numbers},
    )
    return letter
