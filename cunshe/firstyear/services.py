"""Every write of the first-year programme: the county's items, a village's programme opened from its certified
committee election, progress marked by hand with evidence or from other modules' facts, and the town roll-up rows
kept in the same transaction. Each service checks the access rule, validates before saving and records."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.deadlines.calendar import deadline_day, due_at
from cunshe.elections.models import Election, Status
from cunshe.firstyear.facts import EVIDENCE, FACTS
from cunshe.firstyear.models import DEFAULT_ITEMS, DueUnit, Programme, ProgrammeItem, Progress, Source, TownTally
from cunshe.firstyear.permissions import item_policy, progress_policy
from cunshe.records.services import changed_fields, record
from cunshe.regions.models import Level, Region
from cunshe.results.selectors import COMMITTEE_KINDS, committee_day

ATTACHMENT_TYPES = {"jpg", "jpeg", "png", "webp", "heic", "pdf"}
ATTACHMENT_MAX_BYTES = 10 * 2**20


# --- the county's items ----------------------------------------------------------------------------------


def items_of(county_code: str, *, active_only: bool = False) -> list[ProgrammeItem]:
    qs = ProgrammeItem.objects.filter(county_id=county_code[:6])
    return list(qs.filter(is_active=True) if active_only else qs)


def items_ensure_defaults(*, actor: Actor, county_code: str) -> list[ProgrammeItem]:
    """The seven items of seed 000, saved for a county that has none yet (a county then edits its own)."""
    item_policy.check_in_region(actor, "change", county_code[:6])
    existing = items_of(county_code)
    if existing:
        return existing
    county = Region.objects.get(code=county_code[:6])
    items = [
        ProgrammeItem.objects.create(
            county_id=county.code,
            key=key,
            position=n,
            name=name,
            description=description,
            due_amount=days,
            due_unit=DueUnit.CALENDAR_DAYS,
            source=source,
        )
        for n, (key, name, description, days, source) in enumerate(DEFAULT_ITEMS, start=1)
    ]
    record(
        actor=actor,
        region_code=county.code,
        event="firstyear.items_defaulted",
        summary=f"{county.name}开门七件事采用默认事项 {len(items)} 项",
        after={"事项": [f"{i.name}（{i.due_label}）" for i in items]},
    )
    return items


def _item_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = ["请填写事项名称。"]
    elif len(values["name"]) > 60:
        errors["name"] = ["事项名称不超过 60 字。"]
    if len(values["description"]) > 300:
        errors["description"] = ["内容不超过 300 字。"]
    if not 1 <= values["due_amount"] <= 730:
        errors["due_amount"] = ["完成时限应为 1 至 730 天。"]
    if values["due_unit"] not in DueUnit.values:
        errors["due_unit"] = ["请选择自然日或工作日。"]
    if values["source"] not in Source.values:
        errors["source"] = ["请选择完成依据。"]
    return errors


def _item_snapshot(item: ProgrammeItem) -> dict[str, Any]:
    return {
        "事项": item.name,
        "内容": item.description,
        "完成时限": item.due_label,
        "完成依据": item.get_source_display(),
        "启用": "是" if item.is_active else "否",
    }


def _due(elected_on: date, item: ProgrammeItem) -> datetime:
    start = datetime.combine(elected_on, time.min, timezone.get_current_timezone())
    if item.due_unit == DueUnit.WORKING_DAYS:
        # counted from the working day after the election day (an election is usually on a Sunday)
        start = datetime.combine(elected_on, time(23, 59), timezone.get_current_timezone())
    return due_at(start, item.due_amount, item.due_unit)


@transaction.atomic
def item_save(
    *,
    actor: Actor,
    county_code: str,
    item: ProgrammeItem | None = None,
    name: str,
    description: str = "",
    due_amount: int,
    due_unit: str = DueUnit.CALENDAR_DAYS,
    source: str = Source.MANUAL,
    is_active: bool = True,
    expected_version: int | None = None,
) -> ProgrammeItem:
    """Add an item to the county's programme, or change one. A changed deadline moves the due moment of every
    village's open progress on it; a changed source is applied at once to the villages' facts."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("须为县(市、区)。", {"county": ["须为县(市、区)。"]})
    item_policy.check_in_region(actor, "change", county.code)
    if item is not None and item.county_id != county.code:
        raise DomainError("该事项不属于本县。")
    values = {
        "name": clean_text(name),
        "description": clean_text(description),
        "due_amount": due_amount,
        "due_unit": due_unit,
        "source": source,
        "is_active": is_active,
    }
    errors = _item_errors(values)
    if (
        "name" not in errors
        and ProgrammeItem.objects.filter(county=county, name=values["name"]).exclude(pk=item.pk if item else 0).exists()
    ):
        errors["name"] = ["本县已有同名事项。"]
    if errors:
        raise DomainError("事项有误，未保存。", errors)
    if item is None:
        if not items_of(county.code):
            items_ensure_defaults(actor=actor, county_code=county.code)
        position = (
            ProgrammeItem.objects.filter(county=county).order_by("-position").values_list("position", flat=True).first()
            or 0
        ) + 1
        item = ProgrammeItem.objects.create(county=county, key=f"item{position}", position=position, **values)
        record(
            actor=actor,
            region_code=county.code,
            event="firstyear.item_added",
            summary=f"{county.name}开门七件事增加事项：{item.name}",
            obj=item,
            after=_item_snapshot(item),
        )
        return item
    before = _item_snapshot(item)
    bump_version(item, expected_version=expected_version)
    moved = (item.due_amount, item.due_unit) != (values["due_amount"], values["due_unit"])
    for field, value in values.items():
        setattr(item, field, value)
    item.save(update_fields=list(values))
    old, new = changed_fields(before, _item_snapshot(item))
    record(
        actor=actor,
        region_code=county.code,
        event="firstyear.item_changed",
        summary=f"{county.name}开门七件事修改事项：{item.name}",
        obj=item,
        before=old,
        after=new,
    )
    if moved:
        # the programme's deadline changed: every village still working on it gets the new due moment
        for progress in Progress.objects.filter(item=item, done_on__isnull=True).select_related("programme"):
            progress.due_at = _due(progress.programme.elected_on, item)
            progress.save(update_fields=["due_at"])
    if item.source != Source.MANUAL:
        for code in Progress.objects.filter(item=item, done_on__isnull=True).values_list("region_id", flat=True):
            progress_sync(village_code=code)
    return item


# --- the town roll-up rows -------------------------------------------------------------------------------


def _tally(progress: Progress, **changes: int) -> None:
    row, _ = TownTally.objects.get_or_create(region_id=progress.region_id[:9], item_id=progress.item_id)
    TownTally.objects.filter(pk=row.pk).update(**{k: F(k) + v for k, v in changes.items()})


def _is_late(progress: Progress, done_on: date) -> bool:
    return done_on > deadline_day(progress.due_at)


# --- a village's programme -------------------------------------------------------------------------------


def committee_election(village_code: str) -> Election | None:
    """The village's certified villagers' (residents') committee election of its county's latest term change."""
    return (
        Election.objects.filter(region_id=village_code, kind__in=COMMITTEE_KINDS, status=Status.CERTIFIED)
        .select_related("parent", "term_change")
        .order_by("-term_change__year", "-election_day")
        .first()
    )


@transaction.atomic
def programme_open(*, actor: Actor, village_code: str) -> Programme:
    """Open the village's programme from its certified committee election (idempotent: the programme of that
    term change is returned when it exists). Each active item of the county becomes due counted from the day the
    committee was elected; what other modules already record is marked done at once."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    progress_policy.check_in_region(actor, "change", village.code)
    election = committee_election(village.code)
    if election is None:
        raise DomainError("该村(社区)的村(居)民委员会选举结果尚未确认，暂无开门七件事。")
    existing = Programme.objects.filter(term_change=election.term_change, region=village).first()
    if existing is not None:
        return existing
    items = items_of(village.code, active_only=True) or items_ensure_defaults(
        actor=SYSTEM, county_code=village.code[:6]
    )
    elected_on = committee_day(election)
    programme = Programme.objects.create(
        region=village, term_change=election.term_change, election=election, elected_on=elected_on
    )
    rows = Progress.objects.bulk_create(
        Progress(programme=programme, region=village, item=item, due_at=_due(elected_on, item)) for item in items
    )
    for progress in rows:
        _tally(progress, villages=1)
    record(
        actor=actor,
        region_code=village.code,
        event="firstyear.opened",
        summary=f"{village.name}开门七件事开始：自 {elected_on:%Y-%m-%d} 选举日起算，{len(items)} 项",
        obj=programme,
        after={"选举日": elected_on, "事项": [f"{i.name}（{i.due_label}）" for i in items]},
    )
    progress_sync(village_code=village.code)
    return programme


def _check_attachment(attachment: UploadedFile | None) -> list[str]:
    if attachment is None:
        return []
    suffix = (attachment.name or "").rsplit(".", 1)[-1].lower()
    if suffix not in ATTACHMENT_TYPES:
        return ["附件应为照片（jpg、png、webp、heic）或 PDF 文件。"]
    if (attachment.size or 0) > ATTACHMENT_MAX_BYTES:
        return ["附件不超过 10 MB。"]
    return []


def _mark(progress: Progress, *, done_on: date, evidence: str, source: str, by: Any) -> None:
    progress.done_on, progress.evidence, progress.done_source, progress.done_by = done_on, evidence, source, by
    progress.save(update_fields=["done_on", "evidence", "done_source", "done_by", "attachment"])
    _tally(progress, done=1, done_late=1 if _is_late(progress, done_on) else 0)


@transaction.atomic
def progress_mark(
    *,
    actor: Actor,
    progress: Progress,
    done_on: date,
    evidence: str,
    attachment: UploadedFile | None = None,
    expected_version: int | None,
) -> Progress:
    """A cadre marks an item done with the day and the evidence (a note; a photo or PDF may be attached). Items
    whose completion another module records are not marked by hand."""
    progress_policy.check(actor, "change", progress)
    progress = Progress.objects.select_related("item", "programme", "region").get(pk=progress.pk)
    if progress.item.source != Source.MANUAL:
        raise DomainError(f"该事项依据“{progress.item.get_source_display()}”自动完成，不能手工登记。")
    if progress.is_done:
        raise DomainError(f"该事项已于 {progress.done_on:%Y-%m-%d} 完成。")
    evidence = clean_text(evidence)
    errors = _done_errors(progress, done_on, evidence)
    if problems := _check_attachment(attachment):
        errors["attachment"] = problems
    if errors:
        raise DomainError("完成情况有误，未保存。", errors)
    bump_version(progress, expected_version=expected_version)
    if attachment is not None:
        progress.attachment.save(attachment.name or "attachment", attachment, save=False)
    _mark(progress, done_on=done_on, evidence=evidence, source=Source.MANUAL, by=user_of(actor))
    record(
        actor=actor,
        region_code=progress.region_id,
        event="firstyear.done",
        summary=f"{progress.region.name}开门七件事完成：{progress.item.name}（{done_on:%Y-%m-%d}）",
        obj=progress,
        before={"完成日期": ""},
        after={"完成日期": done_on, "完成佐证": evidence, **({"附件": attachment.name} if attachment else {})},
    )
    return progress


def _done_errors(progress: Progress, done_on: date, evidence: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if done_on > timezone.localdate():
        errors["done_on"] = ["完成日期不能晚于今天。"]
    elif done_on < progress.programme.elected_on:
        errors["done_on"] = [f"完成日期不能早于选举日（{progress.programme.elected_on:%Y-%m-%d}）。"]
    if not evidence:
        errors["evidence"] = ["请填写完成佐证（做了什么、在哪里可查）。"]
    elif len(evidence) > 2000:
        errors["evidence"] = ["完成佐证不超过 2000 字。"]
    return errors


@transaction.atomic
def progress_undo(*, actor: Actor, progress: Progress, reason: str, expected_version: int | None) -> Progress:
    """Take back an item marked done by hand by mistake (with the reason, in the record book)."""
    progress_policy.check(actor, "change", progress)
    progress = Progress.objects.select_related("item", "region").get(pk=progress.pk)
    reason = clean_text(reason)
    if not progress.is_done:
        raise DomainError("该事项尚未完成。")
    if progress.done_source != Source.MANUAL:
        raise DomainError("该事项依据其他模块的记录完成，不能撤销。")
    if not reason:
        raise DomainError("请说明撤销原因。", {"reason": ["请说明撤销原因。"]})
    bump_version(progress, expected_version=expected_version)
    done_on = progress.done_on
    assert done_on is not None
    late = _is_late(progress, done_on)
    before = {"完成日期": done_on, "完成佐证": progress.evidence}
    progress.done_on, progress.evidence, progress.done_source, progress.done_by = None, "", "", None
    progress.attachment = ""
    progress.save(update_fields=["done_on", "evidence", "done_source", "done_by", "attachment"])
    _tally(progress, done=-1, done_late=-1 if late else 0)
    record(
        actor=actor,
        region_code=progress.region_id,
        event="firstyear.undone",
        summary=f"{progress.region.name}开门七件事撤销完成：{progress.item.name}（{reason}）",
        obj=progress,
        before=before,
        after={"完成日期": "", "撤销原因": reason},
    )
    return progress


@transaction.atomic
def progress_sync(*, village_code: str) -> int:
    """Mark done, as 系统 on behalf of the other modules' recorded facts, the items whose completion those modules
    record (handover, 六个一, 开门一件事). Returns how many were marked. Called by those modules' services after a
    change, when a programme opens, and by the daily job."""
    marked = 0
    open_rows = (
        Progress.objects.filter(region_id=village_code, done_on__isnull=True)
        .exclude(item__source=Source.MANUAL)
        .select_related("item", "programme", "region")
    )
    for progress in open_rows:
        fact = FACTS.get(progress.item.source)
        done_on = fact(progress.programme) if fact else None
        if done_on is None:
            continue
        progress.version += 1
        Progress.objects.filter(pk=progress.pk).update(version=F("version") + 1)
        _mark(progress, done_on=done_on, evidence=EVIDENCE[progress.item.source], source=progress.item.source, by=None)
        record(
            actor=SYSTEM,
            region_code=progress.region_id,
            event="firstyear.done",
            summary=f"{progress.region.name}开门七件事完成：{progress.item.name}（{done_on:%Y-%m-%d}，{progress.item.get_source_display()}）",
            obj=progress,
            before={"完成日期": ""},
            after={"完成日期": done_on, "完成佐证": progress.evidence},
        )
        marked += 1
    return marked


def facts_changed(village_code: str) -> None:
    """The small hook the handovers and commitments services call after a change that may complete an item: a
    village without a programme has nothing to do (one indexed query)."""
    if (
        Progress.objects.filter(region_id=village_code, done_on__isnull=True)
        .exclude(item__source=Source.MANUAL)
        .exists()
    ):
        progress_sync(village_code=village_code)


def programmes_daily(*, today: date | None = None) -> str:
    """The daily job: open the programmes of villages whose committee election was certified (a certification
    made before this module existed, or while it failed) and apply the other modules' facts."""
    before = Programme.objects.count()
    with_programme = Programme.objects.values("term_change_id", "region_id")
    taken = {(p["term_change_id"], p["region_id"]) for p in with_programme}
    certified = (
        Election.objects.filter(kind__in=COMMITTEE_KINDS, status=Status.CERTIFIED)
        .values_list("term_change_id", "region_id")
        .distinct()
    )
    for term_change_id, region_id in certified:
        if (term_change_id, region_id) not in taken:
            programme_open(actor=SYSTEM, village_code=region_id)
    opened = Programme.objects.count() - before
    synced = 0
    pending = (
        Progress.objects.filter(done_on__isnull=True)
        .exclude(item__source=Source.MANUAL)
        .values_list("region_id", flat=True)
        .distinct()
    )
    for code in list(pending):
        synced += progress_sync(village_code=code)
    return f"开门七件事：新开始 {opened} 个村(社区)，据其他模块记录完成 {synced} 项"
