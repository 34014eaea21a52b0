"""The county's random inspections (随机抽查): the draw by strata, findings and their rectification."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone

from cunshe.commitments.draw import draw_villages
from cunshe.commitments.models import DrawMode, Finding, InspectedVillage, Inspection
from cunshe.commitments.permissions import finding_policy, inspection_policy
from cunshe.commitments.responsibility import inspection_counted
from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.records.services import record
from cunshe.regions.models import Level, Region


def _county_strata(county_code: str) -> dict[str, list[str]]:
    strata: dict[str, list[str]] = {}
    codes = Region.objects.filter(code__startswith=county_code, level=Level.VILLAGE).values_list("code", flat=True)
    for code in codes:
        strata.setdefault(code[:9], []).append(code)
    return strata


@transaction.atomic
def inspection_draw(
    *,
    actor: Actor,
    county_code: str,
    title: str,
    mode: str,
    amount: int,
    drawn_on: date,
    seed: int | None = None,
) -> Inspection:
    """Draw the villages of an inspection and keep the seed, so that the draw can be re-checked by anyone."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("抽查须由县级发起。", {"county": ["须为县(市、区)。"]})
    inspection_policy.check_in_region(
        actor, "change", county_code, message="您的角色无权组织抽查。", missing="未找到该县。"
    )
    strata = _county_strata(county_code)
    total = sum(len(v) for v in strata.values())
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写名称。"]
    if mode not in DrawMode.values:
        errors["mode"] = ["抽取方式应为按村数或按比例。"]
    elif mode == DrawMode.COUNT and not 1 <= amount <= total:
        errors["amount"] = [f"抽取村数应在 1 至 {total} 之间。"]
    elif mode == DrawMode.SHARE and not 1 <= amount <= 100:
        errors["amount"] = ["抽取比例应在 1% 至 100% 之间。"]
    if seed is not None and not 0 <= seed < 2**63:
        errors["seed"] = ["随机种子应为非负整数。"]
    if errors:
        raise DomainError("抽查信息有误，未抽取。", errors)
    seed = secrets.randbelow(2**31) if seed is None else seed
    drawn = draw_villages(strata, mode=mode, amount=amount, seed=seed)
    inspection = Inspection.objects.create(
        county=county,
        title=title.strip(),
        mode=mode,
        amount=amount,
        seed=seed,
        drawn_on=drawn_on,
        drawn_by=user_of(actor),
    )
    InspectedVillage.objects.bulk_create(InspectedVillage(inspection=inspection, region_id=code) for code in drawn)
    # The county level of the three-level responsibility (区委督查检查) is this check: counted for the roll-ups.
    inspection_counted(county_code=county.code, drawn_on=drawn_on, villages=drawn)
    record(
        actor=actor,
        region_code=county.code,
        event="commitments.inspection_drawn",
        summary=f"{county.name}“{inspection.title}”随机抽取 {len(drawn)} 个村(社区)（种子 {seed}）",
        obj=inspection,
        after={
            "抽取方式": inspection.get_mode_display(),
            "数量或百分比": amount,
            "随机种子": seed,
            "抽中村(社区)": drawn,
        },
    )
    return inspection


@transaction.atomic
def finding_add(
    *, actor: Actor, inspected: InspectedVillage, description: str, found_on: date, rectify_by: date
) -> Finding:
    finding_policy.check_in_region(
        actor, "change", inspected.region_id, message="您的角色无权登记抽查问题。", missing="未找到该村(社区)。"
    )
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["请写明问题。"]
    if found_on < inspected.inspection.drawn_on or found_on > timezone.localdate():
        errors["found_on"] = ["发现日期应在抽取之后、今天之前。"]
    if rectify_by < found_on:
        errors["rectify_by"] = ["整改时限不能早于发现日期。"]
    if errors:
        raise DomainError("问题信息有误，未保存。", errors)
    finding = Finding.objects.create(
        inspected=inspected,
        region_id=inspected.region_id,
        description=description.strip(),
        found_on=found_on,
        rectify_by=rectify_by,
    )
    record(
        actor=actor,
        region_code=inspected.region_id,
        event="commitments.finding_added",
        summary=f"抽查发现问题：{finding.description[:60]}（整改时限 {rectify_by:%Y-%m-%d}）",
        obj=finding,
        after={"问题": finding.description, "整改时限": rectify_by},
    )
    return finding


@transaction.atomic
def finding_rectify(
    *, actor: Actor, finding: Finding, rectified_on: date, evidence: str, expected_version: int | None
) -> Finding:
    finding_policy.check(actor, "rectify", finding)
    errors: dict[str, list[str]] = {}
    if finding.rectified_on is not None:
        raise IllegalTransition("该问题已整改完成。")
    if not evidence.strip():
        errors["evidence"] = ["请填写整改佐证。"]
    if rectified_on < finding.found_on or rectified_on > timezone.localdate():
        errors["rectified_on"] = ["整改日期应在发现之后、今天之前。"]
    if errors:
        raise DomainError("整改信息有误，未保存。", errors)
    bump_version(finding, expected_version=expected_version)
    finding.rectified_on, finding.evidence = rectified_on, evidence.strip()
    finding.save(update_fields=["rectified_on", "evidence"])
    record(
        actor=actor,
        region_code=finding.region_id,
        event="commitments.finding_rectified",
        summary=f"抽查问题已整改：{finding.description[:60]}",
        obj=finding,
        before={"整改完成日期": None},
        after={"整改完成日期": rectified_on, "整改佐证": finding.evidence},
    )
    return finding
