"""Every write of the daily checks: the county's checklist versions and measures, a cadre's check of a working day
(with problems sent to the issue board through its service), a problem closed, and the daily job that opens each
cadre's month row. Each service checks the access rule, validates everything first, saves in one transaction
(the cadre's month row in the same one) and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from cunshe.core.actors import Actor, user_of
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import move
from cunshe.dailychecks.models import (
    ITEM_KEYS,
    Area,
    CadreMonth,
    Checklist,
    ChecklistItem,
    CheckResult,
    DailyCheck,
    ItemKey,
    Measure,
    MeasureProgress,
    MeasureStatus,
)
from cunshe.dailychecks.permissions import check_policy, checklist_policy, measure_policy, result_policy
from cunshe.deadlines.holidays import is_workday
from cunshe.issueboard.services import VISIT_ISSUE_DAYS, issue_raise
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import TeamMember

# What each must-check looks at, as 瓯海 describes it (seed 004); a county publishes its own wording as a version.
DEFAULT_GUIDANCE: dict[str, str] = {
    ItemKey.ENVIRONMENT: "村(社区)办公场所、主干道路、公共区域和垃圾收集点的环境卫生，乱堆乱放、乱搭乱建情况。",
    ItemKey.VISITS: "前一日群众走访情况：走访了哪些户、群众反映了什么、需要跟进的事项。",
    ItemKey.PENDING: "待办事项：上级交办、群众诉求和班子议定事项的办理进度，有无逾期。",
    ItemKey.GRID: "“微网格”民情：网格员报告的矛盾纠纷、安全隐患、特殊人群和重点户情况。",
}

# A measure moves only along these edges; a finished one stays finished.
MEASURE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MeasureStatus.PLANNED: (MeasureStatus.ONGOING,),
    MeasureStatus.ONGOING: (MeasureStatus.BEHIND, MeasureStatus.DONE),
    MeasureStatus.BEHIND: (MeasureStatus.ONGOING, MeasureStatus.DONE),
    MeasureStatus.DONE: (),
}


@dataclass(frozen=True)
class ItemAnswer:
    """One must-check as the cadre answers it: fine, or a problem with a note, perhaps for the issue board."""

    key: str
    ok: bool
    note: str = ""
    to_board: bool = False


def first_of(day: date) -> date:
    return day.replace(day=1)


def _county(code: str) -> Region:
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise DomainError("请选择县(市、区)。", {"county": ["须为县(市、区)。"]})
    return county


def checklist_in_force(county_code: str, day: date) -> Checklist | None:
    """The version a day is checked under: the latest one in force on that day."""
    return (
        Checklist.objects.filter(county_id=county_code, valid_from__lte=day)
        .order_by("-valid_from")
        .prefetch_related("items")
        .first()
    )


@transaction.atomic
def checklist_publish(
    *, actor: Actor, county_code: str, valid_from: date, guidance: dict[str, str], note: str = ""
) -> Checklist:
    """A new version of the county's four must-checks from `valid_from` on; days before keep their version."""
    checklist_policy.check_in_region(actor, "change", county_code, missing="未找到该县(市、区)。")
    county = _county(county_code)
    errors: dict[str, list[str]] = {}
    texts = {key: clean_text(guidance.get(key, "")) for key in ITEM_KEYS}
    for key, text in texts.items():
        if not text or len(text) > 500:
            errors[key] = [f"请填写“{ItemKey(key).label}”查什么（不超过 500 字）。"]
    unknown = sorted(set(guidance) - set(ITEM_KEYS))
    if unknown:
        errors["guidance"] = [f"没有这一必查项：{'、'.join(unknown)}。"]
    note = clean_text(note)
    if len(note) > 200:
        errors["note"] = ["修订说明不超过 200 字。"]
    # A day already checked keeps the version it was done under: a new version starts after the last checked day
    # (and after the latest version), never in the middle of checked days.
    last_checked = (
        DailyCheck.objects.filter(region__startswith=county.code).order_by("-day").values_list("day", flat=True).first()
    )
    if last_checked is not None and valid_from <= last_checked:
        errors["valid_from"] = [
            f"启用日期须晚于已做必查的最后一天（{last_checked:%Y-%m-%d}）：已做的必查保留当时的清单。"
        ]
    elif Checklist.objects.filter(county=county, valid_from__gte=valid_from).exists():
        errors["valid_from"] = ["该日期或其后已有清单版本，启用日期须晚于最新版本。"]
    if errors:
        raise DomainError("必查清单有误，未发布。", errors)
    checklist = Checklist.objects.create(county=county, valid_from=valid_from, note=note)
    ChecklistItem.objects.bulk_create(ChecklistItem(checklist=checklist, key=k, guidance=t) for k, t in texts.items())
    record(
        actor=actor,
        region_code=county.code,
        event="dailychecks.checklist_published",
        summary=f"{county.name}发布每日必查清单，{valid_from:%Y-%m-%d}起启用",
        obj=checklist,
        after={"启用日期": valid_from, "修订说明": note, **{ItemKey(k).label: t for k, t in texts.items()}},
    )
    return checklist


def cadre_since(village_code: str, person: Person, day: date) -> date | None:
    """The first day of the person's current spell in the village's team, if they were in it on `day`."""
    posts = TeamMember.objects.filter(region_id=village_code, person=person, started_on__lte=day).exclude(
        ended_on__lt=day
    )
    return posts.aggregate(first=Min("started_on"))["first"]


def _month_row(village_code: str, person_id: int, day: date, since: date) -> CadreMonth:
    month = first_of(day)
    row, _ = CadreMonth.objects.get_or_create(
        region_id=village_code, person_id=person_id, month=month, defaults={"since": max(month, since)}
    )
    return row


@transaction.atomic
def check_submit(
    *, actor: Actor, village_code: str, person: Person, day: date, answers: list[ItemAnswer]
) -> DailyCheck:
    """A cadre's 四个必查 of a working day: every item answered, each problem with its note."""
    check_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("请选择村(社区)。", {"region": ["须为村(社区)。"]})
    errors: dict[str, list[str]] = {}
    since = cadre_since(village_code, person, day)
    if since is None:
        errors["person"] = [f"{person.name}当日不是本村(社区)班子成员。"]
    if day > timezone.localdate():
        errors["day"] = ["不能为以后的日期打卡。"]
    elif not is_workday(day):
        errors["day"] = [f"{day:%Y-%m-%d}不是工作日，无需必查。"]
    checklist = checklist_in_force(village_code[:6], day)
    if checklist is None:
        errors["day"] = ["县里尚未发布当日适用的每日必查清单。"]
    if DailyCheck.objects.filter(person=person, day=day).exists():
        errors["day"] = [f"{person.name}{day:%Y-%m-%d}已完成必查。"]
    given = {a.key: a for a in answers}
    cleaned: list[ItemAnswer] = []
    for key in ITEM_KEYS:
        answer = given.get(key)
        if answer is None:
            errors[key] = [f"请填写“{ItemKey(key).label}”。"]
            continue
        note = clean_text(answer.note)
        if not answer.ok and not note:
            errors[key] = [f"“{ItemKey(key).label}”发现问题，请写明问题。"]
        elif len(note) > 300:
            errors[key] = ["问题说明不超过 300 字。"]
        cleaned.append(ItemAnswer(key, answer.ok, "" if answer.ok else note, answer.to_board and not answer.ok))
    if set(given) - set(ITEM_KEYS):
        errors["answers"] = ["有不在清单中的必查项。"]
    if errors:
        raise DomainError("每日必查有误，未保存。", errors)
    assert checklist is not None and since is not None
    problems = [a for a in cleaned if not a.ok]
    check = DailyCheck.objects.create(
        region=village,
        person=person,
        day=day,
        checklist=checklist,
        problems=len(problems),
        entered_by=user_of(actor),
    )
    results = []
    for a in cleaned:
        issue = None
        if a.to_board:
            label = ItemKey(a.key).label
            issue = issue_raise(
                actor=actor,
                village_code=village_code,
                title=f"{label.removesuffix('必查')}：{a.note}"[:200],
                owner=person.name,
                due_on=day + timedelta(days=VISIT_ISSUE_DAYS),
                detail=f"{day:%Y-%m-%d} {person.name}每日必查时发现。",
            )
        results.append(CheckResult(check_record=check, region=village, key=a.key, ok=a.ok, note=a.note, issue=issue))
    CheckResult.objects.bulk_create(results)
    row = _month_row(village_code, person.pk, day, since)
    CadreMonth.objects.filter(pk=row.pk).update(done=F("done") + 1, found=F("found") + len(problems))
    record(
        actor=actor,
        region_code=village_code,
        event="dailychecks.checked",
        summary=f"{person.name}完成{day:%Y-%m-%d}每日必查"
        + (f"，发现问题 {len(problems)} 个" if problems else "，均正常"),
        obj=check,
        after={ItemKey(a.key).label: "正常" if a.ok else f"问题：{a.note}" for a in cleaned},
    )
    return check


@transaction.atomic
def result_close(*, actor: Actor, result: CheckResult, closed_on: date, note: str) -> CheckResult:
    """A problem found in a check is put right (整改): counted as closed in the month it was found."""
    result_policy.check(actor, "change", result)
    check = result.check_record
    errors: dict[str, list[str]] = {}
    note = clean_text(note)
    if result.ok:
        errors["result"] = ["该项正常，无需整改。"]
    elif result.closed_on is not None:
        errors["result"] = ["该问题已整改。"]
    if not note or len(note) > 300:
        errors["note"] = ["请填写整改情况（不超过 300 字）。"]
    if closed_on < check.day:
        errors["closed_on"] = ["整改日期不能早于发现问题的日期。"]
    elif closed_on > timezone.localdate():
        errors["closed_on"] = ["整改日期不能晚于今天。"]
    if errors:
        raise DomainError("整改情况有误，未保存。", errors)
    result.closed_on, result.closing_note = closed_on, note
    result.save(update_fields=["closed_on", "closing_note"])
    CadreMonth.objects.filter(region_id=check.region_id, person_id=check.person_id, month=first_of(check.day)).update(
        closed=F("closed") + 1
    )
    record(
        actor=actor,
        region_code=result.region_id,
        event="dailychecks.problem_closed",
        summary=f"每日必查问题已整改：{result.get_key_display()}，{result.note}",
        obj=result,
        before={"状态": "待整改"},
        after={"状态": "已整改", "整改日期": closed_on, "整改情况": note},
    )
    return result


def months_daily(*, today: date | None = None) -> str:
    """The daily job: every cadre in office gets the row of the month (days due are counted from it even when no
    check is done: a cadre who never checks still shows in the tables)."""
    day = today or timezone.localdate()
    month = first_of(day)
    current = (
        TeamMember.objects.filter(started_on__lte=day, ended_on__isnull=True)
        .values("region_id", "person_id")
        .annotate(first=Min("started_on"))
        .order_by()
    )
    with transaction.atomic():
        have = set(CadreMonth.objects.filter(month=month).values_list("region_id", "person_id"))
        new = [
            CadreMonth(region_id=m["region_id"], person_id=m["person_id"], month=month, since=max(month, m["first"]))
            for m in current
            if (m["region_id"], m["person_id"]) not in have
        ]
        CadreMonth.objects.bulk_create(new)
    return f"每日必查：新开村干部月度指标 {len(new)} 人"


# --- the county's measures ------------------------------------------------------------------------------------


def _measure_fields(
    errors: dict[str, list[str]], *, area: str, title: str, target: str, unit: str
) -> tuple[str, str, str]:
    if area not in Area.values:
        errors["area"] = ["请选择举措所属方面。"]
    title, target, unit = clean_text(title), clean_text(target), clean_text(unit)
    for field, value, label, limit in (
        ("title", title, "举措", 100),
        ("target", target, "目标", 300),
        ("unit", unit, "责任单位", 60),
    ):
        if not value or len(value) > limit:
            errors[field] = [f"请填写{label}（不超过 {limit} 字）。"]
    return title, target, unit


@transaction.atomic
def measure_add(
    *,
    actor: Actor,
    county_code: str,
    number: int,
    area: str,
    title: str,
    target: str,
    unit: str,
    due_on: date | None = None,
) -> Measure:
    measure_policy.check_in_region(actor, "change", county_code, missing="未找到该县(市、区)。")
    county = _county(county_code)
    errors: dict[str, list[str]] = {}
    title, target, unit = _measure_fields(errors, area=area, title=title, target=target, unit=unit)
    if not 1 <= number <= 999:
        errors["number"] = ["序号须在 1 至 999 之间。"]
    elif Measure.objects.filter(county=county, number=number).exists():
        errors["number"] = [f"已有第 {number} 条举措。"]
    if errors:
        raise DomainError("举措有误，未保存。", errors)
    measure = Measure.objects.create(
        county=county, number=number, area=area, title=title, target=target, unit=unit, due_on=due_on
    )
    record(
        actor=actor,
        region_code=county.code,
        event="dailychecks.measure_added",
        summary=f"{county.name}举措清单：第 {number} 条 {title}",
        obj=measure,
        after={"方面": measure.get_area_display(), "举措": title, "目标": target, "责任单位": unit, "完成时限": due_on},
    )
    return measure


@transaction.atomic
def measure_progress_add(*, actor: Actor, measure: Measure, reported_on: date, text: str) -> MeasureProgress:
    measure_policy.check(actor, "change", measure)
    text = clean_text(text)
    errors: dict[str, list[str]] = {}
    if not text or len(text) > 500:
        errors["text"] = ["请填写进展（不超过 500 字）。"]
    if reported_on > timezone.localdate():
        errors["reported_on"] = ["日期不能晚于今天。"]
    if measure.status == MeasureStatus.DONE:
        errors["text"] = ["该举措已完成，不再登记进展。"]
    if errors:
        raise DomainError("进展有误，未保存。", errors)
    entry = MeasureProgress.objects.create(
        measure=measure, county_id=measure.county_id, reported_on=reported_on, text=text, reported_by=user_of(actor)
    )
    record(
        actor=actor,
        region_code=measure.county_id,
        event="dailychecks.measure_progress",
        summary=f"举措第 {measure.number} 条进展（{reported_on:%Y-%m-%d}）：{text}",
        obj=measure,
        after={"日期": reported_on, "进展": text},
    )
    return entry


@transaction.atomic
def measure_move(*, actor: Actor, measure: Measure, to: str, expected_version: int | None) -> Measure:
    measure_policy.check(actor, "change", measure)
    before = move(
        measure, to, table=MEASURE_TRANSITIONS, labels=MeasureStatus, what="举措", expected_version=expected_version
    )
    measure.save(update_fields=["status"])
    record(
        actor=actor,
        region_code=measure.county_id,
        event="dailychecks.measure_moved",
        summary=f"举措第 {measure.number} 条：{before} → {measure.get_status_display()}",
        obj=measure,
        before={"状态": before},
        after={"状态": measure.get_status_display()},
    )
    return measure
