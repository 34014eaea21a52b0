"""Every write of 党务村务财务公开: the county's schedule, the obligations (periods that have ended, resolved
四议两公开 decisions), disclosures drafted, published (satisfying their obligation and, for a decision's two
disclosure steps, moving the decision) and their photos, with the town roll-up rows kept in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from cunshe.core.actors import Actor, is_system, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.core.text import clean_text
from cunshe.deadlines.calendar import add_working_days, deadline_day
from cunshe.decisions.models import Decision
from cunshe.decisions.models import Status as DecisionStatus
from cunshe.disclosures.models import (
    Channel,
    DecisionStep,
    Disclosure,
    Kind,
    Obligation,
    Period,
    Photo,
    Schedule,
    TownTally,
    schedule_label,
)
from cunshe.disclosures.permissions import disclosure_policy, photo_policy, schedule_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region


@dataclass(frozen=True)
class Rule:
    kind: str
    period: str
    due_day: int | None
    due_working_days: int | None
    source: str

    @property
    def label(self) -> str:
        return schedule_label(self.period, self.due_day, self.due_working_days)


# RULES.md: finances monthly, general items at least quarterly (many counties by the 20th of the quarter's first
# month), major items at once. "At once" is read as 5 working days after the resolution, and last month's finances
# are due by the 10th: both are this project's defaults, which a county changes.
DEFAULT_SCHEDULE: dict[str, Rule] = {
    Kind.FINANCE: Rule(Kind.FINANCE, Period.MONTH, 10, None, "默认"),
    Kind.GENERAL: Rule(Kind.GENERAL, Period.QUARTER, 20, None, "默认"),
    Kind.MAJOR: Rule(Kind.MAJOR, Period.EVENT, None, 5, "默认"),
}
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_BYTES = 10 * 2**20
MAX_TEXT = 10000


# --- schedule and periods --------------------------------------------------------------------------------


def rule_for(county_code: str, kind: str, on: date) -> Rule:
    row = (
        Schedule.objects.filter(county_id=county_code[:6], kind=kind, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        return DEFAULT_SCHEDULE[kind]
    return Rule(kind, row.period, row.due_day, row.due_working_days, f"{row.effective_from:%Y-%m-%d} 起施行")


def period_start(kind: str, day: date) -> date | None:
    """The first day of the month (finances) or quarter (general items) a day falls in; major items have none."""
    if kind == Kind.FINANCE:
        return day.replace(day=1)
    if kind == Kind.GENERAL:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return None


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def period_end(kind: str, start: date) -> date:
    """The first day after the period."""
    return _months_later(start, 1 if kind == Kind.FINANCE else 3)


def period_label(kind: str, start: date | None) -> str:
    if start is None:
        return ""
    if kind == Kind.FINANCE:
        return f"{start.year}年{start.month}月"
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


def _end_of(day: date) -> datetime:
    # "by the 10th" is kept as the midnight that starts the 11th (deadlines.calendar.deadline_day)
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def period_due(county_code: str, kind: str, start: date) -> datetime:
    end = period_end(kind, start)
    rule = rule_for(county_code, kind, end)
    return _end_of(end.replace(day=min(rule.due_day or 1, 28)))


@transaction.atomic
def schedule_save(
    *,
    actor: Actor,
    county_code: str,
    kind: str,
    effective_from: date,
    due_day: int | None = None,
    due_working_days: int | None = None,
) -> Schedule:
    """The county's rule for a kind from a day on (the period of each kind is fixed: finances monthly, general
    items quarterly, major items after the decision); a second save for the same day replaces it."""
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("公开时限由县(市、区)制定。", {"county": ["须为县(市、区)。"]})
    schedule_policy.check_in_region(actor, "change", county.code)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = ["请选择公开类别。"]
    elif kind == Kind.MAJOR:
        if due_working_days is None or not 1 <= due_working_days <= 30:
            errors["due_working_days"] = ["重大事项应在决定后 1 至 30 个工作日内公开。"]
        due_day = None
    else:
        if due_day is None or not 1 <= due_day <= 28:
            errors["due_day"] = ["公开日应为 1 至 28 日。"]
        due_working_days = None
    # Dated data: a change is a new rule from a day on, never an edit of one in force (periods already due were
    # set by it). Only the system (the demo, a county's earlier schedule moved in) writes history.
    today = timezone.localdate()
    if not is_system(actor) and kind in Kind.values:
        if effective_from < today:
            errors["effective_from"] = ["施行日期不能早于今天：已施行的时限不改，新时限从今天或以后施行。"]
        elif Schedule.objects.filter(
            county=county, kind=kind, effective_from=effective_from, effective_from__lte=today
        ).exists():
            errors["effective_from"] = ["该日施行的时限已施行，不能修改；请从明天或以后施行新时限。"]
    if errors:
        raise DomainError("公开时限有误，未保存。", errors)
    period = {Kind.FINANCE: Period.MONTH, Kind.GENERAL: Period.QUARTER, Kind.MAJOR: Period.EVENT}[Kind(kind)]
    row, _ = Schedule.objects.update_or_create(
        county=county,
        kind=kind,
        effective_from=effective_from,
        defaults={"period": period, "due_day": due_day, "due_working_days": due_working_days},
    )
    record(
        actor=actor,
        region_code=county.code,
        event="disclosures.schedule_saved",
        summary=f"{county.name}{Kind(kind).label}时限（{effective_from:%Y-%m-%d} 起）：{row.label}",
        obj=row,
        after={"公开类别": Kind(kind).label, "施行日期": effective_from, "时限": row.label},
    )
    return row


# --- roll-up rows and obligations ------------------------------------------------------------------------


def _tally(region_code: str, kind: str, **changes: int) -> None:
    row, _ = TownTally.objects.get_or_create(region_id=region_code[:9], kind=kind)
    TownTally.objects.filter(pk=row.pk).update(**{k: F(k) + v for k, v in changes.items()})


def _periods(kind: str, since: date, today: date) -> list[date]:
    """Periods that began on or after `since` and have ended by today."""
    start = period_start(kind, since)
    assert start is not None
    if start < since:
        start = period_end(kind, start)
    found = []
    while period_end(kind, start) <= today:
        found.append(start)
        start = period_end(kind, start)
    return found


@transaction.atomic
def obligations_open(*, county_code: str, today: date) -> int:
    """Open the periodic obligations of every village of a county whose schedule is saved: each month's finances
    and each quarter's general items, for periods from the schedule's first day that have ended. Idempotent."""
    created = 0
    villages = list(
        Region.objects.filter(code__startswith=county_code[:6], level=Level.VILLAGE).values_list("code", "name")
    )
    for kind in (Kind.FINANCE, Kind.GENERAL):
        first = (
            Schedule.objects.filter(county_id=county_code[:6], kind=kind)
            .order_by("effective_from")
            .values_list("effective_from", flat=True)
            .first()
        )
        if first is None:
            continue
        for start in _periods(kind, first, today):
            taken = set(
                Obligation.objects.filter(
                    region_id__startswith=county_code[:6], kind=kind, period_start=start
                ).values_list("region_id", flat=True)
            )
            due = period_due(county_code, kind, start)
            rows = [
                Obligation(
                    region_id=code,
                    kind=kind,
                    period_start=start,
                    title=f"{period_label(kind, start)}{Kind(kind).label}",
                    due_at=due,
                )
                for code, _ in villages
                if code not in taken
            ]
            Obligation.objects.bulk_create(rows, batch_size=500)
            per_town: dict[str, int] = {}
            for row in rows:
                per_town[row.region_id[:9]] = per_town.get(row.region_id[:9], 0) + 1
            for town, n in per_town.items():
                _tally(town, kind, due=n)
            created += len(rows)
    return created


def obligations_daily(*, today: date | None = None) -> str:
    today = today or timezone.localdate()
    counties = Schedule.objects.values_list("county_id", flat=True).distinct()
    created = sum(obligations_open(county_code=c, today=today) for c in list(counties))
    return f"党务村务财务公开：新增应公开事项 {created} 项"


def decision_resolved(*, decision: Decision, resolved_at: datetime) -> Obligation:
    """Called by the decisions service when a villagers' (representatives') meeting passes a resolution: its
    disclosure (a major item) falls due within the county's working days."""
    rule = rule_for(decision.region_id, Kind.MAJOR, timezone.localdate(resolved_at))
    obligation, created = Obligation.objects.get_or_create(
        decision=decision,
        defaults={
            "region_id": decision.region_id,
            "kind": Kind.MAJOR,
            "title": f"公开决议：{decision.title}"[:120],
            "due_at": add_working_days(resolved_at, rule.due_working_days or 5),
        },
    )
    if created:
        _tally(decision.region_id, Kind.MAJOR, due=1)
    return obligation


# --- disclosures -----------------------------------------------------------------------------------------


def _channels(raw: list[str] | None) -> tuple[list[str], list[str]]:
    given = [c for c in dict.fromkeys(raw or []) if c]
    bad = [c for c in given if c not in Channel.values]
    return [c for c in Channel.values if c in given], bad


@transaction.atomic
def disclosure_create(
    *,
    actor: Actor,
    village_code: str,
    kind: str,
    title: str,
    content: str,
    channels: list[str],
    period_day: date | None = None,
    decision: Decision | None = None,
    decision_step: str = "",
) -> Disclosure:
    """Draft a disclosure (photos can be added before it is published). Finances and general items name a day
    in their period; a major item may be one of a 四议两公开 decision's two disclosure steps."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    disclosure_policy.check_in_region(actor, "change", village.code)
    title, content = clean_text(title), clean_text(content)
    chosen, bad = _channels(channels)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = ["请选择公开类别。"]
    if not title:
        errors["title"] = ["请填写标题。"]
    elif len(title) > 120:
        errors["title"] = ["标题不超过 120 字。"]
    if not content:
        errors["content"] = ["请填写公开内容。"]
    elif len(content) > MAX_TEXT:
        errors["content"] = [f"公开内容不超过 {MAX_TEXT} 字。"]
    if bad or not chosen:
        errors["channels"] = ["请选择公开渠道：公开栏、大喇叭、村务网站、微信群（可多选）。"]
    start = None
    if kind in (Kind.FINANCE, Kind.GENERAL):
        if period_day is None:
            errors["period_day"] = ["请填写所属期间（月份或季度内任一日）。"]
        else:
            start = period_start(kind, period_day)
        if decision is not None:
            errors["decision"] = ["只有重大事项公开可关联四议两公开事项。"]
    if decision is not None:
        if decision.region_id != village.code:
            errors["decision"] = ["须为本村(社区)的四议两公开事项。"]
        elif decision_step not in DecisionStep.values:
            errors["decision_step"] = ["请选择：决议公开或实施结果公开。"]
        elif Disclosure.objects.filter(decision=decision, decision_step=decision_step).exists():
            errors["decision_step"] = ["该事项的这一步骤已有公开记录。"]
    elif decision_step:
        errors["decision"] = ["请选择四议两公开事项。"]
    if errors:
        raise DomainError("公开记录有误，未保存。", errors)
    disclosure = Disclosure.objects.create(
        region=village,
        kind=kind,
        period_start=start,
        title=title,
        content=content,
        channels=chosen,
        decision=decision,
        decision_step=decision_step if decision else "",
        created_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=village.code,
        event="disclosures.drafted",
        summary=f"{village.name}{Kind(kind).label}拟公开：{title}",
        obj=disclosure,
        after={
            "类别": Kind(kind).label,
            "期间": period_label(kind, start),
            "标题": title,
            "公开渠道": disclosure.channel_labels,
            **({"四议两公开事项": decision.title} if decision else {}),
        },
    )
    return disclosure


def _obligation_for(disclosure: Disclosure) -> Obligation | None:
    qs = Obligation.objects.select_for_update().filter(done_on__isnull=True)
    if disclosure.decision_id and disclosure.decision_step == DecisionStep.RESOLUTION:
        return qs.filter(decision_id=disclosure.decision_id).first()
    if disclosure.period_start:
        return qs.filter(
            region_id=disclosure.region_id, kind=disclosure.kind, period_start=disclosure.period_start
        ).first()
    return None


@transaction.atomic
def disclosure_publish(
    *, actor: Actor, disclosure: Disclosure, published_on: date, expected_version: int | None
) -> Disclosure:
    """Publish on the day it went up: it shows on the village's public page, satisfies its obligation (late when
    after the deadline) and, for a decision's disclosure step, moves the decision on."""
    disclosure_policy.check(actor, "change", disclosure)
    disclosure = Disclosure.objects.select_related("region", "decision").get(pk=disclosure.pk)
    if disclosure.published_on is not None:
        raise IllegalTransition(f"已于 {disclosure.published_on:%Y-%m-%d} 公开。")
    errors: dict[str, list[str]] = {}
    if published_on > timezone.localdate():
        errors["published_on"] = ["公开日期不能晚于今天。"]
    elif disclosure.period_start and published_on < disclosure.period_start:
        errors["published_on"] = ["公开日期不能早于所属期间。"]
    decision = disclosure.decision
    if decision is not None and decision.resolved_on and published_on < decision.resolved_on:
        errors["published_on"] = [f"公开日期不能早于决议日期（{decision.resolved_on:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("公开日期有误，未公开。", errors)
    if decision is not None and decision.status != disclosure.decision_step:
        # one source of truth: the decision's step is this disclosure, so it must be the step the decision waits for
        raise IllegalTransition(
            f"“{decision.title}”当前{decision.get_status_display()}，不能{DecisionStep(disclosure.decision_step).label}。"
        )
    if decision is not None and decision.status == DecisionStatus.WITHDRAWN:
        raise IllegalTransition("该事项已撤回。")
    bump_version(disclosure, expected_version=expected_version)
    obligation = _obligation_for(disclosure)
    late = obligation is not None and published_on > deadline_day(obligation.due_at)
    disclosure.published_on, disclosure.late, disclosure.obligation = published_on, late, obligation
    disclosure.save(update_fields=["published_on", "late", "obligation"])
    if obligation is not None:
        obligation.done_on = published_on
        obligation.save(update_fields=["done_on"])
        _tally(disclosure.region_id, obligation.kind, done=1, done_late=1 if late else 0)
    _tally(disclosure.region_id, disclosure.kind, published=1)
    record(
        actor=actor,
        region_code=disclosure.region_id,
        event="disclosures.published",
        summary=f"{disclosure.region.name}{disclosure.get_kind_display()}：{disclosure.title}（{published_on:%Y-%m-%d}{'，逾期' if late else ''}）",
        obj=disclosure,
        before={"公开日期": ""},
        after={"公开日期": published_on, "逾期": "是" if late else "否", "公开渠道": disclosure.channel_labels},
    )
    if decision is not None:
        from cunshe.decisions.services import decision_disclosed

        decision_disclosed(decision=decision, step=disclosure.decision_step)
    return disclosure


def check_photo(upload: UploadedFile) -> tuple[str, list[str]]:
    """The suffix to store it under, or the problems: a real JPEG, PNG or WebP image (read by Pillow, not by its
    name) of at most 10 MB."""
    if (upload.size or 0) > PHOTO_MAX_BYTES:
        return "", ["照片不超过 10 MB。"]
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format or ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "", ["请上传公开栏照片（jpg、png 或 webp 图片）。"]
    finally:
        upload.seek(0)
    if found not in PHOTO_FORMATS:
        return "", ["照片格式应为 jpg、png 或 webp。"]
    return PHOTO_FORMATS[found], []


@transaction.atomic
def photo_add(*, actor: Actor, disclosure: Disclosure, image: UploadedFile, caption: str = "") -> Photo:
    photo_policy.check_in_region(actor, "change", disclosure.region_id)
    disclosure_policy.check(actor, "change", disclosure)
    caption = clean_text(caption)
    suffix, problems = check_photo(image)
    errors: dict[str, list[str]] = {}
    if problems:
        errors["image"] = problems
    if len(caption) > 100:
        errors["caption"] = ["说明不超过 100 字。"]
    if disclosure.photos.count() >= 12:
        errors["image"] = ["每条公开记录最多 12 张照片。"]
    if errors:
        raise DomainError("照片未保存。", errors)
    photo = Photo(disclosure=disclosure, region_id=disclosure.region_id, uid=uuid.uuid4().hex, caption=caption)
    photo.image.save(f"photo.{suffix}", image, save=False)
    photo.save()
    record(
        actor=actor,
        region_code=disclosure.region_id,
        event="disclosures.photo_added",
        summary=f"“{disclosure.title}”上传公开照片{('：' + caption) if caption else ''}",
        obj=photo,
        after={"照片": photo.image.name, "说明": caption},
    )
    return photo
