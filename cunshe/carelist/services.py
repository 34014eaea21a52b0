"""Every write of the care list: households listed (by hand or from the village's Excel list; all rows or none, a
re-import changes nothing) and taken off, their month rows opened from the month they were listed (and by the daily
job each new month), and the monthly 3+N visits that complete a month. Each service checks the access rule,
validates before saving and records; a completed month tells the first-year programme (firstyear.facts)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from cunshe.carelist.models import ACTS, CareMonth, CareVisit, Household
from cunshe.carelist.permissions import household_policy
from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.records.services import record
from cunshe.regions.models import Level, Region

MAX_PROBLEMS = 20
NEEDS = ("poor", "dibao", "wubao", "alone")


def first_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_due(month: date) -> datetime:
    """A month's visits are due by its last day (kept as the midnight that starts the next, as deadlines are)."""
    return datetime.combine(next_month(month), time.min, timezone.get_current_timezone())


def _village(actor: Actor, code: str) -> Region:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    household_policy.check_in_region(actor, "change", village.code)
    return village


def _household_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not values["name"] or len(values["name"]) > 40:
        errors["name"] = ["请填写户主姓名（不超过 40 字）。"]
    if len(values["address"]) > 100:
        errors["address"] = ["住址不超过 100 字。"]
    if len(values["carer"]) > 60:
        errors["carer"] = ["结对帮扶人不超过 60 字。"]
    if not any(values[n] for n in NEEDS):
        errors["poor"] = ["请至少选择一种困难类型（贫困、低保、五保、独居）。"]
    listed_on = values["listed_on"]
    if listed_on is None:
        errors["listed_on"] = ["请填写列入日期。"]
    elif listed_on > timezone.localdate():
        errors["listed_on"] = ["列入日期不能晚于今天。"]
    return errors


def _snapshot(h: Household) -> dict[str, Any]:
    return {
        "户主": h.name,
        "住址": h.address,
        "困难类型": h.needs_label,
        "结对帮扶人": h.carer,
        "列入日期": h.listed_on,
    }


def _open_months(households: list[Household], until: date) -> int:
    """Month rows from each household's listing month to `until`'s month (those missing); returns how many."""
    last = first_of(until)
    have = set(CareMonth.objects.filter(household__in=households, month__lte=last).values_list("household_id", "month"))
    rows = []
    for h in households:
        month = first_of(h.listed_on)
        end = min(last, first_of(h.removed_on)) if h.removed_on else last
        while month <= end:
            if (h.pk, month) not in have:
                rows.append(CareMonth(household=h, region_id=h.region_id, month=month, due_at=month_due(month)))
            month = next_month(month)
    CareMonth.objects.bulk_create(rows)
    return len(rows)


def _values(**given: Any) -> dict[str, Any]:
    return {
        "name": clean_text(given["name"]),
        "address": clean_text(given.get("address", "")),
        "carer": clean_text(given.get("carer", "")),
        "listed_on": given["listed_on"],
        **{n: bool(given.get(n)) for n in NEEDS},
    }


def _active(region_code: str, name: str, address: str) -> Household | None:
    return Household.objects.filter(region_id=region_code, name=name, address=address, removed_on__isnull=True).first()


@transaction.atomic
def household_add(
    *,
    actor: Actor,
    village_code: str,
    name: str,
    address: str = "",
    poor: bool = False,
    dibao: bool = False,
    wubao: bool = False,
    alone: bool = False,
    carer: str = "",
    listed_on: date,
) -> Household:
    """List a needy household after the village's survey (摸排); its visits are due from the month it is listed."""
    village = _village(actor, village_code)
    values = _values(
        name=name, address=address, carer=carer, listed_on=listed_on, poor=poor, dibao=dibao, wubao=wubao, alone=alone
    )
    errors = _household_errors(values)
    if "name" not in errors and _active(village.code, values["name"], values["address"]):
        errors["name"] = ["该户已在暖心清单中。"]
    if errors:
        raise DomainError("暖心清单户信息有误，未保存。", errors)
    household = Household.objects.create(region=village, **values)
    _open_months([household], timezone.localdate())
    record(
        actor=actor,
        region_code=village.code,
        event="carelist.listed",
        summary=f"{village.name}暖心清单列入：{household.name}（{household.needs_label}）",
        obj=household,
        after=_snapshot(household),
    )
    return household


@transaction.atomic
def household_remove(
    *, actor: Actor, household: Household, removed_on: date, reason: str, expected_version: int | None
) -> Household:
    """Take a household off the list (moved away, passed away, no longer in need): its later months are no longer
    due; what was done stays."""
    household_policy.check(actor, "change", household)
    household = Household.objects.select_related("region").get(pk=household.pk)
    reason = clean_text(reason)
    errors: dict[str, list[str]] = {}
    if household.removed_on is not None:
        raise DomainError(f"该户已于 {household.removed_on:%Y-%m-%d} 移出暖心清单。")
    if removed_on > timezone.localdate():
        errors["removed_on"] = ["移出日期不能晚于今天。"]
    elif removed_on < household.listed_on:
        errors["removed_on"] = [f"移出日期不能早于列入日期（{household.listed_on:%Y-%m-%d}）。"]
    if not reason or len(reason) > 200:
        errors["reason"] = ["请填写移出原因（不超过 200 字）。"]
    if errors:
        raise DomainError("移出信息有误，未保存。", errors)
    bump_version(household, expected_version=expected_version)
    household.removed_on, household.removed_reason = removed_on, reason
    household.save(update_fields=["removed_on", "removed_reason"])
    CareMonth.objects.filter(household=household, month__gt=first_of(removed_on), done_on__isnull=True).delete()
    record(
        actor=actor,
        region_code=household.region_id,
        event="carelist.removed",
        summary=f"{household.region.name}暖心清单移出：{household.name}（{reason}）",
        obj=household,
        before={"移出日期": ""},
        after={"移出日期": removed_on, "移出原因": reason},
    )
    return household


def _problems(text: str) -> list[str]:
    return [clean_text(line) for line in (text or "").splitlines() if clean_text(line)]


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    household: Household,
    visited_on: date,
    visitors: str,
    chat: bool = False,
    meal: bool = False,
    cleaning: bool = False,
    problems: str = "",
    note: str = "",
) -> CareVisit:
    """A visit of the monthly 3+N: the fixed acts done and the problems solved (one per line). The month is done
    on the day its visits together have covered the three acts; a visit may add problems solved to a done month."""
    household_policy.check(actor, "change", household)
    household = Household.objects.select_related("region").get(pk=household.pk)
    visitors, note = clean_text(visitors), clean_text(note)
    solved = _problems(problems)
    acts = {"chat": chat, "meal": meal, "cleaning": cleaning}
    errors: dict[str, list[str]] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = ["走访日期不能晚于今天。"]
    elif visited_on < household.listed_on:
        errors["visited_on"] = [f"走访日期不能早于列入暖心清单（{household.listed_on:%Y-%m-%d}）。"]
    elif household.removed_on and visited_on > household.removed_on:
        errors["visited_on"] = [f"该户已于 {household.removed_on:%Y-%m-%d} 移出暖心清单。"]
    if not visitors or len(visitors) > 100:
        errors["visitors"] = ["请填写走访人（不超过 100 字）。"]
    if not any(acts.values()) and not solved:
        errors["chat"] = ["请勾选做了哪几项，或填写解决的问题。"]
    if len(solved) > MAX_PROBLEMS or any(len(p) > 100 for p in solved):
        errors["problems"] = [f"解决的问题每行一件，最多 {MAX_PROBLEMS} 件，每件不超过 100 字。"]
    if len(note) > 300:
        errors["note"] = ["备注不超过 300 字。"]
    if errors:
        raise DomainError("走访记录有误，未保存。", errors)
    _open_months([household], visited_on)
    month = CareMonth.objects.select_for_update().get(household=household, month=first_of(visited_on))
    visit = CareVisit.objects.create(
        care_month=month,
        household=household,
        region_id=household.region_id,
        visited_on=visited_on,
        visitors=visitors,
        problems="\n".join(solved),
        note=note,
        recorded_by=user_of(actor),
        **acts,
    )
    month.solved += len(solved)
    done = set()
    for v in month.visits.all():
        done |= {key for key, _ in ACTS if getattr(v, key)}
    completed = month.done_on is None and done >= {key for key, _ in ACTS}
    if completed:
        month.done_on = visited_on
    month.save(update_fields=["solved", "done_on"])
    record(
        actor=actor,
        region_code=household.region_id,
        event="carelist.visited",
        summary=f"{household.region.name}暖心走访：{household.name}（{visited_on:%Y-%m-%d}，{visit.acts_label}"
        + (f"，解决问题 {len(solved)} 件" if solved else "")
        + ("，本月3+N完成" if completed else "")
        + "）",
        obj=visit,
        after={
            "走访日期": visited_on,
            "走访人": visitors,
            "三项": visit.acts_label,
            "解决的问题": solved,
            "备注": note,
        },
    )
    if completed:
        from cunshe.firstyear.services import facts_changed

        facts_changed(household.region_id)
    return visit


def months_daily(*, today: date | None = None) -> str:
    """The daily job: each listed household gets the row of the new month on its first day."""
    day = today or timezone.localdate()
    households = list(Household.objects.filter(removed_on__isnull=True))
    with transaction.atomic():
        opened = _open_months(households, day)
    return f"暖心清单：新开月度慰问 {opened} 户次"


# --- the village's list in Excel ---------------------------------------------------------------------------
