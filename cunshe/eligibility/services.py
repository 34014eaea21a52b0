from __future__ import annotations

from datetime import date

from django.db import transaction

from cunshe.accounts.models import Department
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.eligibility.defaults import COUNTY_SOURCE, EFFECTIVE_FROM, SOURCE, TEN_EXCLUSIONS
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.permissions import exclusion_rule_policy
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region


@transaction.atomic
def exclusion_rules_install_defaults(*, actor: Actor, county_code: str) -> int:
    """Give a county the ten exclusions; rules it already has are left as they are. Returns how many were added."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("排除规则属于县级区划。", {"county": ["须为县(市、区)。"]})
    exclusion_rule_policy.check_in_region(actor, "change", county_code, missing="未找到该县。")
    have = set(ExclusionRule.objects.filter(county=county).values_list("code", flat=True))
    departments = {d.name: d for d in Department.objects.filter(county=county)}
    added = [
        ExclusionRule(
            county=county,
            code=code,
            title=title,
            text=text,
            lookback_years=None,
            department=departments.get(department),
            source=SOURCE,
            effective_from=EFFECTIVE_FROM,
        )
        for code, title, text, department in TEN_EXCLUSIONS
        if code not in have
    ]
    ExclusionRule.objects.bulk_create(added)
    if added:
        record(
            actor=actor,
            region_code=county_code,
            event="eligibility.defaults_installed",
            summary=f"启用“十不选”排除规则 {len(added)} 条",
            after={"规则": [f"{r.code}. {r.title}" for r in added]},
        )
    return len(added)


@transaction.atomic
def exclusion_rule_update(
    *,
    actor: Actor,
    rule: ExclusionRule,
    expected_version: int | None,
    text: str,
    lookback_years: int | None,
    department: Department | None,
    effective_until: date | None,
) -> ExclusionRule:
    exclusion_rule_policy.check(actor, "change", rule)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = ["请填写条文。"]
    if lookback_years is not None and not 0 < lookback_years <= 30:
        errors["lookback_years"] = ["追溯年限应为 1 到 30 年。"]
    elif rule.source == SOURCE and (lookback_years is not None or text.strip() != rule.text):
        # The national list is the source text; a county's addition is its own dated rule, so a reviewer sees which
        # words are the 2020 list and which are the county's.
        errors["lookback_years" if lookback_years is not None else "text"] = [
            "全国“十不选”按原文执行，没有追溯年限；本县的补充规定请另立本县规则。"
        ]
    if department is not None and department.county_id != rule.county_id:
        errors["department"] = ["核查单位须属于本县。"]
    if effective_until is not None and effective_until < rule.effective_from:
        errors["effective_until"] = ["失效日期不能早于生效日期。"]
    if errors:
        raise DomainError("规则信息有误，未保存。", errors)
    before = {
        "条文": rule.text,
        "追溯年限": rule.lookback_years,
        "核查单位": str(rule.department or ""),
        "失效日期": rule.effective_until,
    }
    bump_version(rule, expected_version=expected_version)
    rule.text, rule.lookback_years, rule.department, rule.effective_until = (
        text.strip(),
        lookback_years,
        department,
        effective_until,
    )
    rule.save(update_fields=["text", "lookback_years", "department", "effective_until"])
    after = {
        "条文": rule.text,
        "追溯年限": rule.lookback_years,
        "核查单位": str(rule.department or ""),
        "失效日期": rule.effective_until,
    }
    before, after = changed_fields(before, after)
    record(
        actor=actor,
        region_code=rule.county_id,
        event="eligibility.rule_updated",
        summary=f"修改排除规则 {rule}",
        obj=rule,
        before=before,
        after=after,
    )
    return rule


@transaction.atomic
def exclusion_rule_add(
    *,
    actor: Actor,
    county_code: str,
    code: str,
    title: str,
    text: str,
    lookback_years: int | None,
    department: Department | None,
    effective_from: date,
    effective_until: date | None = None,
) -> ExclusionRule:
    """A county's own dated rule beside the national list (e.g. a look-back window its term-change plan sets)."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("排除规则属于县级区划。", {"county": ["须为县(市、区)。"]})
    exclusion_rule_policy.check_in_region(actor, "change", county_code, missing="未找到该县。")
    code, title, text = code.strip(), title.strip(), text.strip()
    errors: dict[str, list[str]] = {}
    if not code:
        errors["code"] = ["请填写编号。"]
    elif code in {c for c, *_ in TEN_EXCLUSIONS}:
        errors["code"] = ["编号 1 至 10 为全国“十不选”，本县规则请另用编号（如 2-县）。"]
    elif ExclusionRule.objects.filter(county=county, code=code, effective_from=effective_from).exists():
        errors["code"] = ["本县已有同一编号、同一生效日期的规则。"]
    if not title:
        errors["title"] = ["请填写简称。"]
    if not text:
        errors["text"] = ["请填写条文。"]
    if lookback_years is not None and not 0 < lookback_years <= 30:
        errors["lookback_years"] = ["追溯年限应为 1 到 30 年。"]
    if department is not None and department.county_id != county_code:
        errors["department"] = ["核查单位须属于本县。"]
    if effective_until is not None and effective_until < effective_from:
        errors["effective_until"] = ["失效日期不能早于生效日期。"]
    if errors:
        raise DomainError("规则信息有误，未保存。", errors)
    rule = ExclusionRule.objects.create(
        county=county,
        code=code,
        title=title,
        text=text,
        lookback_years=lookback_years,
        department=department,
        source=COUNTY_SOURCE,
        effective_from=effective_from,
        effective_until=effective_until,
    )
    record(
        actor=actor,
        region_code=county_code,
        event="eligibility.rule_added",
        summary=f"新增本县排除规则 {rule}（{effective_from:%Y-%m-%d} 起）",
        obj=rule,
        after={
            "编号": rule.code,
            "简称": rule.title,
            "条文": rule.text,
            "追溯年限": f"{lookback_years} 年" if lookback_years else "无",
            "核查单位": str(department or "无"),
            "生效日期": f"{effective_from:%Y-%m-%d}",
        },
    )
    return rule
