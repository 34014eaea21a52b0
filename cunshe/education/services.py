"""Every write of centralized education: a campaign with its tasks listed for every village under it, and a
village's task marked done with what was done. Each service checks the access rule, validates first and records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.education.models import Campaign, Kind, VillageTask
from cunshe.education.permissions import campaign_policy, task_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region


@transaction.atomic
def campaign_create(
    *, actor: Actor, region_code: str, title: str, starts_on: date, ends_on: date, kinds: Sequence[str]
) -> Campaign:
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.TOWN)).first()
    if region is None:
        raise DomainError("集中教育由县(市、区)或乡镇(街道)组织。", {"region": ["须为县(市、区)或乡镇(街道)。"]})
    campaign_policy.check_in_region(actor, "change", region.code)
    title = clean_text(title)
    chosen = [k for k in Kind.values if k in set(kinds)]
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 100:
        errors["title"] = ["请填写名称（不超过 100 字）。"]
    if ends_on < starts_on:
        errors["ends_on"] = ["结束日期不能早于开始日期。"]
    if not chosen or len(chosen) != len(set(kinds)):
        errors["kinds"] = ["请选择任务（财务清理、廉政教育、矛盾纠纷排查）。"]
    if errors:
        raise DomainError("集中教育信息有误，未保存。", errors)
    campaign = Campaign.objects.create(region=region, title=title, starts_on=starts_on, ends_on=ends_on, kinds=chosen)
    villages = Region.objects.filter(code__startswith=region.code, level=Level.VILLAGE).values_list("code", flat=True)
    VillageTask.objects.bulk_create(
        VillageTask(campaign=campaign, region_id=code, kind=kind) for code in villages for kind in chosen
    )
    record(
        actor=actor,
        region_code=region.code,
        event="education.campaign_created",
        summary=f"{region.name}开展集中教育：{title}（{starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}）",
        obj=campaign,
        after={"名称": title, "任务": campaign.kinds_label, "村(社区)数": len(villages)},
    )
    return campaign


@transaction.atomic
def task_complete(
    *, actor: Actor, task: VillageTask, done_on: date, note: str, expected_version: int | None
) -> VillageTask:
    task_policy.check(actor, "change", task)
    task = VillageTask.objects.select_related("campaign", "region").get(pk=task.pk)
    note = clean_text(note)
    if task.done_on is not None:
        raise DomainError(f"该任务已于 {task.done_on:%Y-%m-%d} 完成。")
    errors: dict[str, list[str]] = {}
    if done_on > timezone.localdate():
        errors["done_on"] = ["完成日期不能晚于今天。"]
    elif done_on < task.campaign.starts_on:
        errors["done_on"] = [f"完成日期不能早于集中教育开始（{task.campaign.starts_on:%Y-%m-%d}）。"]
    if not note or len(note) > 500:
        errors["note"] = ["请填写完成情况（如清理账目几笔、受教育人数、排查化解纠纷几件；不超过 500 字）。"]
    if errors:
        raise DomainError("完成情况有误，未保存。", errors)
    bump_version(task, expected_version=expected_version)
    task.done_on, task.note = done_on, note
    task.done_by = user_of(actor)
    task.save(update_fields=["done_on", "note", "done_by"])
    late = "（逾期）" if done_on > task.campaign.ends_on else ""
    record(
        actor=actor,
        region_code=task.region_id,
        event="education.done",
        summary=f"{task.region.name}{task.campaign.title}：{task.get_kind_display()}完成{late}",
        obj=task,
        before={"完成日期": ""},
        after={"完成日期": done_on, "完成情况": note},
    )
    return task
