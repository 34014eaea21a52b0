"""The county's rules for the commitments ledger (categories, how many per village, the draw of inspections)."""

from __future__ import annotations

from django.db import transaction

from cunshe.commitments.models import (
    DEFAULT_CATEGORIES,
    DEFAULT_MAX_PER_VILLAGE,
    DEFAULT_MIN_PER_VILLAGE,
    Commitment,
    CountyRules,
)
from cunshe.commitments.permissions import rules_policy
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region


def rules_of(county_code: str) -> CountyRules:
    """The county's saved rules, or the defaults (3 to 5 per village, the six categories of seed 001)."""
    rules = CountyRules.objects.filter(county_id=county_code[:6]).first()
    if rules is None:
        rules = CountyRules(
            county_id=county_code[:6],
            min_per_village=DEFAULT_MIN_PER_VILLAGE,
            max_per_village=DEFAULT_MAX_PER_VILLAGE,
            categories=list(DEFAULT_CATEGORIES),
        )
        rules.version = 0
    return rules


@transaction.atomic
def county_rules_set(
    *,
    actor: Actor,
    county_code: str,
    min_per_village: int,
    max_per_village: int,
    categories: list[str],
    expected_version: int | None,
) -> CountyRules:
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("须为县(市、区)。", {"county": ["须为县(市、区)。"]})
    rules_policy.check_in_region(
        actor, "change", county_code, message="只有县委组织部可以修改开门一件事的设置。", missing="未找到该县。"
    )
    names = [c.strip() for c in categories if c.strip()]
    errors: dict[str, list[str]] = {}
    if not 1 <= min_per_village <= max_per_village <= 50:
        errors["max_per_village"] = ["件数范围应为 1 至 50，且最少不大于最多。"]
    if not names:
        errors["categories"] = ["至少设一个类别。"]
    elif len(set(names)) != len(names):
        errors["categories"] = ["类别名称重复。"]
    elif any(len(n) > 40 for n in names):
        errors["categories"] = ["类别名称不超过 40 字。"]
    current = rules_of(county_code)
    in_use = set(
        Commitment.objects.filter(region__startswith=county_code).values_list("category", flat=True).distinct()
    )
    removed_in_use = sorted(in_use - set(names))
    if removed_in_use and "categories" not in errors:
        errors["categories"] = [f"以下类别已有事项，不能删除：{'、'.join(removed_in_use)}"]
    if errors:
        raise DomainError("设置有误，未保存。", errors)
    before = {"每村件数": f"{current.min_per_village}-{current.max_per_village}", "类别": current.categories}
    if current.pk is None:
        if expected_version not in (None, 0):
            raise DomainError("该设置已被他人修改，请刷新后重试。")
        current.version = 1
        current.save()
    else:
        bump_version(current, expected_version=expected_version)
    current.min_per_village, current.max_per_village, current.categories = min_per_village, max_per_village, names
    current.save(update_fields=["min_per_village", "max_per_village", "categories"])
    after = {"每村件数": f"{min_per_village}-{max_per_village}", "类别": names}
    old, new = changed_fields(before, after)
    record(
        actor=actor,
        region_code=county.code,
        event="commitments.rules_set",
        summary=f"{county.name}开门一件事设置：每村 {min_per_village}-{max_per_village} 件，{len(names)} 个类别",
        obj=current,
        before=old,
        after=new,
    )
    return current
