"""Three-level responsibility for the commitments (三级责任体系, seed 001 运河区): the county's checks (its random
inspections, 区委督查检查), the town's supervision visits (乡镇(街道)督促指导) and the village's monthly self-check
(村党组织自查反思); and the showcase cases sent upward. Every write checks the access rule, validates everything
first, keeps ThreeLevelTally in the same transaction and appends to the record book. The roll-up tables read
only the tally rows (and the regions' names)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cunshe.commitments.models import (
    CaseSending,
    Commitment,
    SelfCheck,
    SendLevel,
    Status,
    ThreeLevelTally,
    TownVisit,
)
from cunshe.commitments.permissions import self_check_policy, sending_policy, town_visit_policy
from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.months import month_start
from cunshe.core.text import clean_text
from cunshe.records.services import record
from cunshe.regions.models import Level, Region


def tally_add(region_code: str, month: date, **deltas: int) -> None:
    """Add to the region's row of the month (created on first use); call inside the writing service's transaction."""
    row, _ = ThreeLevelTally.objects.get_or_create(region_id=region_code, month=month_start(month))
    ThreeLevelTally.objects.filter(pk=row.pk).update(**{name: F(name) + n for name, n in deltas.items()})


def inspection_counted(*, county_code: str, drawn_on: date, villages: Iterable[str]) -> None:
    """The county's check (抽查) counted: one check made by the county, one check reaching each village drawn.
    Called by services.inspection_draw in its transaction."""
    tally_add(county_code, drawn_on, checks_made=1)
    for code in villages:
        tally_add(code, drawn_on, checked=1)


# --- the village's self-check ----------------------------------------------------------------------------


@transaction.atomic
def self_check_add(
    *, actor: Actor, commitment: Commitment, checked_on: date, progress: str, problems: str = ""
) -> SelfCheck:
    """The village's self-check of one commitment for the month of `checked_on`; one a commitment a month."""
    self_check_policy.check_in_region(
        actor,
        "change",
        commitment.region_id,
        message="您的角色无权登记该村(社区)的自查。",
        missing="未找到该记录。",
    )
    errors: dict[str, list[str]] = {}
    progress, problems = clean_text(progress), clean_text(problems)
    if not progress:
        errors["progress"] = ["请填写进展情况。"]
    if checked_on > timezone.localdate():
        errors["checked_on"] = ["自查日期不能晚于今天。"]
    elif checked_on.year < commitment.year:
        errors["checked_on"] = ["自查日期不能早于事项所属年度。"]
    if commitment.status == Status.DROPPED:
        errors["progress"] = ["已放弃的事项不再自查。"]
    elif (
        commitment.status == Status.DONE
        and commitment.completed_on
        and month_start(checked_on) > commitment.completed_on
    ):
        errors["checked_on"] = ["事项已完成，完成以后的月份不再自查。"]
    month = month_start(checked_on)
    if not errors and SelfCheck.objects.filter(commitment=commitment, month=month).exists():
        errors["checked_on"] = [f"该事项 {month:%Y 年 %m 月}已自查过。"]
    if errors:
        raise DomainError("自查信息有误，未保存。", errors)
    check = SelfCheck.objects.create(
        commitment=commitment,
        region_id=commitment.region_id,
        month=month,
        checked_on=checked_on,
        progress=progress,
        problems=problems,
        written_by=user_of(actor),
    )
    tally_add(commitment.region_id, month, self_checks=1)
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.self_checked",
        summary=f"事项 {commitment.ledger_no}“{commitment.title}”{month:%Y 年 %m 月}自查：{progress[:40]}",
        obj=check,
        after={"月份": f"{month:%Y-%m}", "自查日期": checked_on, "进展情况": progress, "存在问题": problems},
    )
    return check


# --- the town's supervision visit ------------------------------------------------------------------------


@transaction.atomic
def town_visit_add(
    *,
    actor: Actor,
    town_code: str,
    visited_on: date,
    village_codes: list[str],
    findings: str,
    follow_up: str = "",
) -> TownVisit:
    """A town's supervision visit (督导) of some of its villages, with what was found and what follows."""
    town = Region.objects.filter(code=town_code, level=Level.TOWN).first()
    if town is None:
        raise DomainError("督导须由乡镇(街道)登记。", {"town": ["须为乡镇(街道)。"]})
    town_visit_policy.check_in_region(
        actor, "change", town_code, message="您的角色无权登记该乡镇(街道)的督导。", missing="未找到该乡镇(街道)。"
    )
    codes = sorted(set(village_codes))
    own = set(
        Region.objects.filter(code__in=codes, level=Level.VILLAGE, code__startswith=town_code).values_list(
            "code", flat=True
        )
    )
    errors: dict[str, list[str]] = {}
    if not codes:
        errors["villages"] = ["请选择督导的村(社区)。"]
    elif stray := [c for c in codes if c not in own]:
        errors["villages"] = [f"不是本乡镇(街道)的村(社区)：{'、'.join(stray)}"]
    if visited_on > timezone.localdate():
        errors["visited_on"] = ["督导日期不能晚于今天。"]
    findings, follow_up = clean_text(findings), clean_text(follow_up)
    if not findings:
        errors["findings"] = ["请填写发现的问题（没有问题也请写明）。"]
    if errors:
        raise DomainError("督导信息有误，未保存。", errors)
    visit = TownVisit.objects.create(
        town=town,
        visited_on=visited_on,
        villages=codes,
        findings=findings,
        follow_up=follow_up,
        followed_up_on=visited_on if follow_up else None,
        visited_by=user_of(actor),
    )
    tally_add(town.code, visited_on, visits_made=1)
    for code in codes:
        tally_add(code, visited_on, visited=1)
    record(
        actor=actor,
        region_code=town.code,
        event="commitments.town_visited",
        summary=f"{town.name}{visited_on:%Y-%m-%d}督导 {len(codes)} 个村(社区)：{findings[:40]}",
        obj=visit,
        after={"督导日期": visited_on, "督导村(社区)": codes, "发现问题": findings, "跟进措施": follow_up},
    )
    return visit


@transaction.atomic
def town_visit_follow_up(
    *, actor: Actor, visit: TownVisit, follow_up: str, followed_up_on: date, expected_version: int | None
) -> TownVisit:
    """Write (or add to) the follow-up of a visit: what was done about its findings, and when."""
    town_visit_policy.check(actor, "change", visit, message="您的角色无权登记该督导的跟进。")
    follow_up = clean_text(follow_up)
    errors: dict[str, list[str]] = {}
    if not follow_up:
        errors["follow_up"] = ["请填写跟进措施。"]
    if followed_up_on < visit.visited_on or followed_up_on > timezone.localdate():
        errors["followed_up_on"] = ["跟进日期应在督导之后、今天之前。"]
    if errors:
        raise DomainError("跟进信息有误，未保存。", errors)
    before = {"跟进措施": visit.follow_up, "跟进日期": visit.followed_up_on}
    bump_version(visit, expected_version=expected_version)
    # Earlier follow-up stays: the new one is added below it with its date, nothing is overwritten.
    line = f"{followed_up_on:%Y-%m-%d}：{follow_up}"
    visit.follow_up = f"{visit.follow_up}\n{line}" if visit.follow_up else line
    visit.followed_up_on = followed_up_on
    visit.save(update_fields=["follow_up", "followed_up_on"])
    record(
        actor=actor,
        region_code=visit.town_id,
        event="commitments.town_visit_followed_up",
        summary=f"督导（{visit.visited_on:%Y-%m-%d}）跟进：{follow_up[:40]}",
        obj=visit,
        before=before,
        after={"跟进措施": visit.follow_up, "跟进日期": followed_up_on},
    )
    return visit


# --- showcase cases sent upward --------------------------------------------------------------------------


@transaction.atomic
def case_send(
    *,
    actor: Actor,
    commitment: Commitment,
    level: str,
    outlet: str,
    sent_on: date,
    sender: str,
    note: str = "",
) -> CaseSending:
    """Record one sending of a showcase case (典型案例) upward; a case may be sent again, to another outlet."""
    sending_policy.check_in_region(
        actor, "change", commitment.region_id, message="您的角色无权报送典型案例。", missing="未找到该记录。"
    )
    outlet, sender, note = clean_text(outlet), clean_text(sender), clean_text(note)
    errors: dict[str, list[str]] = {}
    if not commitment.is_showcase:
        errors["level"] = ["只有列为典型案例的事项可以报送。"]
    if level not in SendLevel.values:
        errors["level"] = [f"报送层级应为{'、'.join(SendLevel.labels)}之一。"]
    if not outlet:
        errors["outlet"] = ["请填写报送单位或平台（如省委组织部、《沧州日报》）。"]
    elif len(outlet) > 100:
        errors["outlet"] = ["报送单位或平台不超过 100 字。"]
    if not sender:
        errors["sender"] = ["请填写报送人。"]
    elif len(sender) > 50:
        errors["sender"] = ["报送人不超过 50 字。"]
    if len(note) > 200:
        errors["note"] = ["备注不超过 200 字。"]
    if sent_on > timezone.localdate():
        errors["sent_on"] = ["报送日期不能晚于今天。"]
    elif commitment.completed_on and sent_on < commitment.completed_on:
        errors["sent_on"] = ["报送日期不能早于事项完成日期。"]
    if errors:
        raise DomainError("报送信息有误，未保存。", errors)
    sending = CaseSending.objects.create(
        commitment=commitment,
        region_id=commitment.region_id,
        level=level,
        outlet=outlet,
        sent_on=sent_on,
        sender=sender,
        note=note,
        sent_by=user_of(actor),
    )
    tally_add(commitment.region_id, sent_on, cases_sent=1)
    record(
        actor=actor,
        region_code=commitment.region_id,
        event="commitments.case_sent",
        summary=f"典型案例“{commitment.title}”报送{sending.get_level_display()}：{outlet}（{sent_on:%Y-%m-%d}，{sender}）",
        obj=sending,
        after={
            "报送层级": sending.get_level_display(),
            "报送单位或平台": outlet,
            "报送日期": sent_on,
            "报送人": sender,
        },
    )
    return sending


# --- the roll-up (reads tally rows only) -----------------------------------------------------------------


@dataclass
class ThreeLevelRow:
    code: str
    name: str
    villages: int = 0
    self_checked: int = 0  # villages with at least one self-check this month
    self_checks: int = 0  # commitments self-checked
    visited: int = 0  # villages visited by the town
    visits: int = 0  # town visits made
    checked: int = 0  # villages reached by a county check
    cases_sent: int = 0
    missing: list[str] = field(default_factory=list)  # villages without a self-check (a town's table: names)


@dataclass
class ThreeLevelTable:
    region: Region
    month: date
    rows: list[ThreeLevelRow]
    total: ThreeLevelRow
    checks: int  # the county's checks made this month


def three_level_table(region: Region, month: date) -> ThreeLevelTable:
    """A county's table (a row per town) or a town's (a row per village) for one month: which villages checked
    themselves, the town's visits, the county's checks and cases sent. Three queries whatever the size."""
    month = month_start(month)
    per_village = region.level == Level.TOWN
    width = 12 if per_village else 9
    names = dict(
        Region.objects.filter(
            code__startswith=region.code, level__in=(Level.TOWN, Level.VILLAGE) if not per_village else (Level.VILLAGE,)
        ).values_list("code", "name")
    )
    rows = {code: ThreeLevelRow(code=code, name=name) for code, name in sorted(names.items()) if len(code) == width}
    for code in names:
        if len(code) == 12 and code[:width] in rows:
            rows[code[:width]].villages += 1
    tallies = ThreeLevelTally.objects.filter(
        Q(region__startswith=region.code) | Q(region_id=region.code[:6]), month=month
    ).values_list("region_id", "self_checks", "visited", "checked", "cases_sent", "visits_made", "checks_made")
    checks, visits_of_town, self_checked = 0, 0, set()
    for code, self_checks, visited, checked, sent, visits_made, checks_made in tallies:
        checks += checks_made
        if len(code) == 9 and code in rows:
            rows[code].visits += visits_made
        if len(code) == 9:
            visits_of_town += visits_made
        row = rows.get(code[:width]) if len(code) == 12 else None
        if row is None:
            continue
        if self_checks:
            self_checked.add(code)
        row.self_checks += self_checks
        row.self_checked += 1 if self_checks else 0
        row.visited += 1 if visited else 0
        row.checked += 1 if checked else 0
        row.cases_sent += sent
        if per_village:
            row.visits = visited  # the times the town visited this village
    missing = [name for code, name in sorted(names.items()) if len(code) == 12 and code not in self_checked]
    for row in rows.values():
        row.missing = [
            n for c, n in sorted(names.items()) if c[:width] == row.code and len(c) == 12 and c not in self_checked
        ]
    total = ThreeLevelRow(code=region.code, name=f"{region.name}合计", missing=missing)
    for row in rows.values():
        for attr in ("villages", "self_checked", "self_checks", "visited", "checked", "cases_sent"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    total.visits = visits_of_town
    return ThreeLevelTable(region=region, month=month, rows=list(rows.values()), total=total, checks=checks)
