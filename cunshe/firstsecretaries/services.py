"""Every write of the first-secretary module: postings (term 1-3 years, with the reports their term owes listed at
once), the work log, reports submitted, acknowledged or returned by the town, and the statistics' roll-up rows.
Each service checks the access rule, validates everything first, saves and records."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import check_move
from cunshe.firstsecretaries.models import TRANSITIONS, Kind, LogEntry, Posting, Report, Status, Tally
from cunshe.firstsecretaries.permissions import log_policy, posting_policy, report_policy
from cunshe.firstsecretaries.statistics import statistics
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region

# RULES.md: a term of 1 to 3 years.
TERM_YEARS = (1, 3)
# Days after a period's calendar end by which its report reaches the town (the county may tighten these).
DUE_DAYS = {Kind.MONTH: 5, Kind.QUARTER: 10, Kind.HALF: 15}
MONTHS = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.HALF: 6}
FIGURE_LABELS = {
    "lectures": "政策理论宣讲（场次）",
    "members_recruited": "发展党员（名）",
    "meetings": "指导三会一课、主题党日（次）",
    "decisions": "指导四议两公开（次）",
    "disclosures": "党务村务财务公开（条）",
    "funds": "争取资金（元）",
    "projects": "引进项目（个）",
}
FIGURES = tuple(FIGURE_LABELS)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def periods(kind: str, start: date, end: date) -> list[tuple[date, date, date]]:
    """(period start, period end, due day) of each calendar month, quarter or half-year the term touches; the first
    and last are cut to the term."""
    step = MONTHS[Kind(kind)]
    year, month = start.year, ((start.month - 1) // step) * step + 1
    out = []
    while date(year, month, 1) <= end:
        last_month = month + step - 1
        cal_end = _month_end(year, last_month)
        out.append(
            (max(date(year, month, 1), start), min(cal_end, end), cal_end + timedelta(days=DUE_DAYS[Kind(kind)]))
        )
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return out


def _term_errors(started_on: date, ends_on: date) -> list[str]:
    low, high = (add_years(started_on, n) for n in TERM_YEARS)
    if not low <= ends_on <= high:
        return [f"任期为 1 至 3 年：届满日期须在 {low:%Y-%m-%d} 至 {high:%Y-%m-%d} 之间。"]
    return []


def _list_reports(posting: Posting, start: date, end: date) -> None:
    Report.objects.bulk_create(
        Report(
            posting=posting,
            village_id=posting.village_id,
            kind=kind,
            period_start=p_start,
            period_end=p_end,
            due_on=due,
        )
        for kind in Kind.values
        for p_start, p_end, due in periods(kind, start, end)
    )


@transaction.atomic
def posting_create(
    *,
    actor: Actor,
    village_code: str,
    name: str,
    sending_unit: str,
    started_on: date,
    ends_on: date,
    team_members: str = "",
    account: Any = None,
    person: Person | None = None,
) -> Posting:
    """A posting; `person` (optional) is the people-registry row its satisfaction survey scores, chosen by the
    organiser (the registry row where the cadre is registered to serve)."""
    posting_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("第一书记派驻到村(社区)。", {"village": ["须为村(社区)。"]})
    name, sending_unit, team_members = clean_text(name), clean_text(sending_unit), clean_text(team_members)
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 50:
        errors["name"] = ["请填写第一书记姓名（不超过 50 字）。"]
    if not sending_unit or len(sending_unit) > 100:
        errors["sending_unit"] = ["请填写派出单位（不超过 100 字）。"]
    if len(team_members) > 300:
        errors["team_members"] = ["工作队成员不超过 300 字。"]
    if problems := _term_errors(started_on, ends_on):
        errors["ends_on"] = problems
    if Posting.objects.filter(village_id=village_code, name=name, ended_on__isnull=True).exists():
        errors["name"] = ["该第一书记已在本村(社区)任职。"]
    if (
        account is not None
        and not account.role_assignments.filter(role="first_secretary", region_id=village_code).exists()
    ):
        errors["account"] = ["该账号须是本村(社区)的第一书记账号。"]
    if person is not None and (problem := _person_problem(person, village_code, name)):
        errors["person"] = [problem]
    if errors:
        raise DomainError("派驻信息有误，未保存。", errors)
    posting = Posting.objects.create(
        village=village,
        name=name,
        person=person,
        sending_unit=sending_unit,
        started_on=started_on,
        ends_on=ends_on,
        team_members=team_members,
        account=account,
    )
    _list_reports(posting, started_on, ends_on)
    _refresh(posting, timezone.localdate())
    record(
        actor=actor,
        region_code=village_code,
        event="firstsecretaries.posted",
        summary=f"{village.name}：{sending_unit}派驻第一书记{name}（{started_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}）",
        obj=posting,
        after={
            "第一书记": name,
            "派出单位": sending_unit,
            "到村日期": started_on,
            "任期届满": ends_on,
            "工作队成员": team_members,
            "人员登记": f"{person.name}（编号 {person.pk}）" if person else "未关联",
        },
    )
    return posting


def _person_problem(person: Person, village_code: str, name: str) -> str:
    """The registry row chosen for a posting must be registered in the village served and carry the posting's name
    (a check of the organiser's choice, not a way of finding one)."""
    if person.region_id != village_code:
        return "所选人员须登记在派驻村(社区)。"
    if person.name != name:
        return f"所选人员登记姓名为“{person.name}”，与第一书记姓名“{name}”不一致。"
    return ""


@transaction.atomic
def posting_person_set(
    *, actor: Actor, posting: Posting, person: Person | None, expected_version: int | None
) -> Posting:
    """Link (or unlink, with None) the people-registry row the satisfaction survey scores for this posting; an
    ended posting may be linked too, for the surveys opened while it ran."""
    posting_policy.check(actor, "change", posting)
    if person is not None and (problem := _person_problem(person, posting.village_id, posting.name)):
        raise DomainError("人员登记有误，未保存。", {"person": [problem]})
    p = Posting.objects.select_for_update(of=("self",)).select_related("person").get(pk=posting.pk)
    bump_version(p, expected_version=expected_version)
    before = f"{p.person.name}（编号 {p.person_id}）" if p.person else "未关联"
    p.person = person
    p.save(update_fields=["person"])
    record(
        actor=actor,
        region_code=p.village_id,
        event="firstsecretaries.posting_person",
        summary=f"第一书记{p.name}：" + (f"关联人员登记编号 {person.pk}" if person else "取消关联人员登记"),
        obj=p,
        before={"人员登记": before},
        after={"人员登记": f"{person.name}（编号 {person.pk}）" if person else "未关联"},
    )
    return p


@transaction.atomic
def posting_update(
    *, actor: Actor, posting: Posting, team_members: str, ends_on: date, expected_version: int | None
) -> Posting:
    """The work team changes, or the term is extended (still within 3 years); reports follow the new term."""
    posting_policy.check(actor, "change", posting)
    team_members = clean_text(team_members)
    errors: dict[str, list[str]] = {}
    if len(team_members) > 300:
        errors["team_members"] = ["工作队成员不超过 300 字。"]
    if problems := _term_errors(posting.started_on, ends_on):
        errors["ends_on"] = problems
    if posting.ended_on is not None:
        raise DomainError("该第一书记已离任，不能再修改。")
    if errors:
        raise DomainError("派驻信息有误，未保存。", errors)
    p = Posting.objects.select_for_update().get(pk=posting.pk)
    bump_version(p, expected_version=expected_version)
    before = {"工作队成员": p.team_members, "任期届满": p.ends_on}
    if ends_on > p.ends_on:
        have = set(Report.objects.filter(posting=p).values_list("kind", "period_start"))
        Report.objects.bulk_create(
            Report(posting=p, village_id=p.village_id, kind=kind, period_start=s, period_end=e, due_on=due)
            for kind in Kind.values
            for s, e, due in periods(kind, p.started_on, ends_on)
            if (kind, s) not in have
        )
    _drop_or_cut(p, ends_on)
    p.team_members, p.ends_on = team_members, ends_on
    p.save(update_fields=["team_members", "ends_on"])
    record(
        actor=actor,
        region_code=p.village_id,
        event="firstsecretaries.posting_changed",
        summary=f"第一书记{p.name}：工作队或任期变更",
        obj=p,
        before=before,
        after={"工作队成员": team_members, "任期届满": ends_on},
    )
    return p


def _drop_or_cut(p: Posting, last_day: date) -> None:
    """Reports not yet submitted for periods after the last day are no longer owed; the period running on that day
    ends with it."""
    Report.objects.filter(posting=p, status=Status.DUE, period_start__gt=last_day).delete()
    Report.objects.filter(posting=p, period_start__lte=last_day, period_end__gt=last_day).update(period_end=last_day)


@transaction.atomic
def posting_end(*, actor: Actor, posting: Posting, ended_on: date, expected_version: int | None) -> Posting:
    """The secretary leaves (term over or recalled): no more reports are owed after the last day."""
    posting_policy.check(actor, "change", posting)
    if posting.ended_on is not None:
        raise DomainError("该第一书记已离任。")
    if ended_on < posting.started_on or ended_on > timezone.localdate():
        raise DomainError(
            "离任日期有误，未保存。", {"ended_on": [f"须在到村日期（{posting.started_on:%Y-%m-%d}）与今天之间。"]}
        )
    p = Posting.objects.get(pk=posting.pk)
    bump_version(p, expected_version=expected_version)
    _drop_or_cut(p, ended_on)
    p.ended_on = ended_on
    p.save(update_fields=["ended_on"])
    _refresh(p, ended_on)
    record(
        actor=actor,
        region_code=p.village_id,
        event="firstsecretaries.posting_ended",
        summary=f"第一书记{p.name}离任（{ended_on:%Y-%m-%d}）",
        obj=p,
        after={"离任日期": ended_on},
    )
    return p


@transaction.atomic
def log_add(*, actor: Actor, posting: Posting, written_on: date, content: str) -> LogEntry:
    log_policy.check_in_region(actor, "change", posting.village_id)
    content = clean_text(content)
    errors: dict[str, list[str]] = {}
    last = min(posting.ended_on or posting.ends_on, timezone.localdate())
    if not posting.started_on <= written_on <= last:
        errors["written_on"] = [f"日期须在到村日期（{posting.started_on:%Y-%m-%d}）与 {last:%Y-%m-%d} 之间。"]
    if not content or len(content) > 1000:
        errors["content"] = ["请填写工作内容（不超过 1000 字）。"]
    if errors:
        raise DomainError("驻村日志有误，未保存。", errors)
    entry = LogEntry.objects.create(
        posting=posting,
        village_id=posting.village_id,
        written_on=written_on,
        content=content,
        written_by=user_of(actor),
    )
    record(
        actor=actor,
        region_code=posting.village_id,
        event="firstsecretaries.logged",
        summary=f"第一书记{posting.name}驻村日志（{written_on:%Y-%m-%d}）",
        obj=entry,
        after={"日期": written_on, "工作内容": content},
    )
    return entry


def _figures(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in FIGURES:
        given = raw.get(name, 0)
        try:
            number = Decimal(str(given if given not in (None, "") else 0))
        except InvalidOperation:
            errors[name] = ["请填写数字。"]
            continue
        if number < 0 or (name != "funds" and number != int(number)) or number >= Decimal("1e12"):
            errors[name] = ["须为不小于 0 的整数。" if name != "funds" else "须为不小于 0 的金额。"]
            continue
        values[name] = number.quantize(Decimal("0.01")) if name == "funds" else int(number)
    return values, errors


@transaction.atomic
def report_submit(
    *,
    actor: Actor,
    report: Report,
    text: str,
    expected_version: int | None,
    figures: dict[str, Any] | None = None,
    submitted_on: date | None = None,
) -> Report:
    """The secretary submits the report of a period that has ended: the monthly report with its figures (what no
    module counts), the quarterly and half-year summaries as text. A report handed in on paper is entered with the
    day it reached the town (`submitted_on`, never before the period's end nor after today)."""
    report_policy.check(actor, "change", report)
    text = clean_text(text)
    values, errors = _figures(figures or {}) if report.kind == Kind.MONTH else ({}, {})
    today = timezone.localdate()
    if report.period_end > today:
        raise DomainError(f"{report.get_kind_display()}在期间结束（{report.period_end:%Y-%m-%d}）后报送。")
    day = submitted_on or today
    if not report.period_end <= day <= today:
        errors["submitted_on"] = [f"报送日期须在 {report.period_end:%Y-%m-%d} 与今天之间。"]
    if not text or len(text) > 5000:
        errors["text"] = ["请填写报告内容（不超过 5000 字）。"]
    if errors:
        raise DomainError("报告有误，未报送。", errors)
    check_move(TRANSITIONS, report.status, Status.SUBMITTED, Status, what="报告")
    r = Report.objects.select_related("posting").get(pk=report.pk)
    bump_version(r, expected_version=expected_version)
    check_move(TRANSITIONS, r.status, Status.SUBMITTED, Status, what="报告")
    r.status, r.text, r.submitted_on, r.returned_reason = Status.SUBMITTED, text, day, ""
    for name, value in values.items():
        setattr(r, name, value)
    r.save()
    _refresh(r.posting, today)
    late = "（逾期）" if day > r.due_on else ""
    record(
        actor=actor,
        region_code=r.village_id,
        event="firstsecretaries.report_submitted",
        summary=f"第一书记{r.posting.name}报送{r.get_kind_display()}（{r.period_start:%Y-%m-%d} 起）{late}",
        obj=r,
        after={"报送日期": day, **{FIGURE_LABELS[k]: v for k, v in values.items()}},
    )
    return r


@transaction.atomic
def report_acknowledge(
    *, actor: Actor, report: Report, expected_version: int | None, acknowledged_on: date | None = None
) -> Report:
    report_policy.check(actor, "acknowledge", report)
    day = acknowledged_on or timezone.localdate()
    if report.submitted_on and not report.submitted_on <= day <= timezone.localdate():
        raise DomainError("签收日期有误。", {"acknowledged_on": ["签收日期须在报送日期与今天之间。"]})
    check_move(TRANSITIONS, report.status, Status.ACKNOWLEDGED, Status, what="报告")
    r = Report.objects.select_related("posting").get(pk=report.pk)
    bump_version(r, expected_version=expected_version)
    check_move(TRANSITIONS, r.status, Status.ACKNOWLEDGED, Status, what="报告")
    r.status, r.acknowledged_on = Status.ACKNOWLEDGED, day
    r.save(update_fields=["status", "acknowledged_on", "version"])
    record(
        actor=actor,
        region_code=r.village_id,
        event="firstsecretaries.report_acknowledged",
        summary=f"乡镇签收第一书记{r.posting.name}的{r.get_kind_display()}（{r.period_start:%Y-%m-%d} 起）",
        obj=r,
        after={"签收日期": r.acknowledged_on},
    )
    return r


@transaction.atomic
def report_return(*, actor: Actor, report: Report, reason: str, expected_version: int | None) -> Report:
    """The town hands a submitted report back to be completed; it is owed again (and overdue if past its day)."""
    report_policy.check(actor, "acknowledge", report)
    reason = clean_text(reason)
    if not reason or len(reason) > 200:
        raise DomainError("请写明退回原因。", {"reason": ["请写明退回原因（不超过 200 字）。"]})
    check_move(TRANSITIONS, report.status, Status.DUE, Status, what="报告")
    r = Report.objects.select_related("posting").get(pk=report.pk)
    bump_version(r, expected_version=expected_version)
    check_move(TRANSITIONS, r.status, Status.DUE, Status, what="报告")
    r.status, r.returned_reason, r.submitted_on = Status.DUE, reason, None
    r.save(update_fields=["status", "returned_reason", "submitted_on", "version"])
    _refresh(r.posting, timezone.localdate())
    record(
        actor=actor,
        region_code=r.village_id,
        event="firstsecretaries.report_returned",
        summary=f"乡镇退回第一书记{r.posting.name}的{r.get_kind_display()}：{reason}",
        obj=r,
        after={"退回原因": reason},
    )
    return r


def _refresh(posting: Posting, today: date) -> None:
    """The posting's figure of every registered statistic over its term up to today (or its last day)."""
    end = min(today, posting.ended_on or posting.ends_on)
    for stat in statistics():
        value = stat.figure(posting.village_id, posting.started_on, end) if end >= posting.started_on else 0
        Tally.objects.update_or_create(
            posting=posting, kind=stat.kind, defaults={"village_id": posting.village_id, "value": value}
        )


@transaction.atomic
def statistics_refresh_all(*, today: date | None = None) -> int:
    """The daily job (and the demo): counted figures (visits, reserves) move without a report being submitted.
    Returns the number of postings refreshed."""
    today = today or timezone.localdate()
    postings = list(Posting.objects.filter(started_on__lte=today).exclude(ended_on__lt=today - timedelta(days=1)))
    for p in postings:
        _refresh(p, today)
    return len(postings)
