"""Entering adverse information about a person and settling it by verification, each step in the record book.
The record book is read by every role of the village, so its entries say only that an entry was made or settled
and its state; the rule, the source and the details stay in the negative list, which only organizers and
supervisors read (RULES.md: the review is confidential, nothing leaks)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.transitions import check_move
from cunshe.eligibility.models import ExclusionRule
from cunshe.negativelist.models import TRANSITIONS, NegativeEntry, Source, State
from cunshe.negativelist.permissions import entry_policy
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.termchanges.selectors import current_term_change


@transaction.atomic
def entry_add(
    *,
    actor: Actor,
    person: Person,
    rule: ExclusionRule | None,
    source: str,
    source_detail: str = "",
    found_on: date,
    details: str,
) -> NegativeEntry:
    entry_policy.check_in_region(actor, "change", person.region_id, missing="未找到该人员。")
    errors: dict[str, list[str]] = {}
    term_change = current_term_change(person.region_id)
    if term_change is None:
        errors["person"] = ["本县尚未启动换届。"]
    if rule is None:
        errors["rule"] = ["请选择对应的“十不选”情形。"]
    else:
        if rule.county_id != person.region_id[:6]:
            errors["rule"] = ["须为本县的规则。"]
        elif not ExclusionRule.objects.in_force(found_on).filter(pk=rule.pk).exists():
            errors["rule"] = [f"“{rule}”在 {found_on:%Y-%m-%d} 不在有效期内。"]
    if source not in Source.values:
        errors["source"] = ["请选择信息来源。"]
    if found_on > timezone.localdate():
        errors["found_on"] = ["发现日期不能晚于今天。"]
    if not details.strip():
        errors["details"] = ["请填写具体情况。"]
    if errors:
        raise DomainError("负面信息有误，未保存。", errors)
    assert rule is not None and term_change is not None
    entry = NegativeEntry.objects.create(
        region_id=person.region_id,
        term_change=term_change,
        person=person,
        rule=rule,
        source=source,
        source_detail=source_detail.strip(),
        found_on=found_on,
        details=details.strip(),
    )
    record(
        actor=actor,
        region_code=person.region_id,
        event="negativelist.added",
        summary=f"登记 {person.name} 的负面清单信息（待核实）",
        obj=entry,
        after={"人员": person.name, "核实状态": entry.get_state_display()},
    )
    return entry


@transaction.atomic
def entry_settle(
    *, actor: Actor, entry: NegativeEntry, to_state: str, conclusion: str, expected_version: int | None
) -> NegativeEntry:
    entry_policy.check(actor, "change", entry)
    check_move(TRANSITIONS, entry.state, to_state, State, what="负面清单条目")
    if not conclusion.strip():
        raise DomainError("请填写核实结论或依据。", {"conclusion": ["请填写核实结论或依据。"]})
    before = entry.get_state_display()
    bump_version(entry, expected_version=expected_version)
    entry.state = to_state
    entry.conclusion = conclusion.strip()
    entry.save(update_fields=["state", "conclusion"])
    record(
        actor=actor,
        region_code=entry.region_id,
        event="negativelist.settled",
        summary=f"{entry.person.name} 的负面清单条目：{before} → {entry.get_state_display()}",
        obj=entry,
        before={"核实状态": before},
        after={"核实状态": entry.get_state_display()},
    )
    return entry
