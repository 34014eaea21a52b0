"""Every write of the volunteer teams: teams formed and edited, members joining and leaving (nothing is deleted),
activities added and edited with who took part, a town's roster import, and points for taking part (through the
points service, one idempotent key per participation). Each service checks the access rule, validates everything
first, saves in one transaction, rewrites the village's summary row and records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import text_field
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.termchanges.selectors import current_term_change
from cunshe.volunteers.models import (
    FormedBy,
    VolunteerActivity,
    VolunteerMember,
    VolunteerParticipation,
    VolunteerSummary,
    VolunteerTeam,
    roles_on,
)
from cunshe.volunteers.permissions import activity_policy, member_policy, team_policy
from cunshe.volunteers.selectors import station_choices, station_label

POINTS_KEY = "volunteers:"  # + participation id: the points ledger's idempotency key for taking part


def _village(code: str) -> Region:
    region = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if region is None:
        raise DomainError("请选择村(社区)。", {"region": ["须为村(社区)。"]})
    return region


def _not_future(errors: dict[str, list[str]], field: str, day: date, label: str) -> None:
    if day > timezone.localdate():
        errors[field] = [f"{label}不能晚于今天。"]


# --- the summary kept beside the records ------------------------------------------------------------------------


def summary_refresh(codes: Iterable[str]) -> None:
    """Rewrite the summary rows of these villages from their teams, members and activities (a handful of grouped
    queries whatever the number). Call inside the service's transaction."""
    codes = sorted(set(codes))
    if not codes:
        return
    counts: dict[str, dict[str, int]] = {
        c: {"teams": 0, "people": 0, "activities": 0, "turnouts": 0, "households": 0} for c in codes
    }
    teams = VolunteerTeam.objects.filter(region_id__in=codes).values_list("region_id").annotate(n=Count("id"))
    for code, n in teams:
        counts[code]["teams"] = n
    active = VolunteerMember.objects.filter(team__region_id__in=codes, left_on__isnull=True)
    for code, n in active.values_list("team__region_id").annotate(n=Count("id")):
        counts[code]["people"] = n
    activities = VolunteerActivity.objects.filter(region_id__in=codes).values_list("region_id")
    for code, n, h in activities.annotate(n=Count("id"), h=Sum("households")):
        counts[code] |= {"activities": n, "households": h or 0}
    turnouts = VolunteerParticipation.objects.filter(activity__region_id__in=codes).values_list("activity__region_id")
    for code, n in turnouts.annotate(n=Count("id")):
        counts[code]["turnouts"] = n
    for code, values in counts.items():
        VolunteerSummary.objects.update_or_create(region_id=code, defaults=values)


# --- teams --------------------------------------------------------------------------------------------------------


def _team_errors(
    errors: dict[str, list[str]], *, name: str, leader: str, phone: str, note: str
) -> tuple[str, str, str, str]:
    return (
        text_field(errors, "name", name, "队名", 60, required=True),
        text_field(errors, "leader", leader, "队长", 30, required=False),
        text_field(errors, "phone", phone, "联系电话", 20, required=False),
        text_field(errors, "note", note, "备注", 200, required=False),
    )


@transaction.atomic
def team_create(
    *,
    actor: Actor,
    region_code: str,
    name: str,
    formed_by: str,
    formed_on: date,
    leader: str = "",
    phone: str = "",
    note: str = "",
) -> VolunteerTeam:
    village = _village(region_code)
    team_policy.check_in_region(actor, "change", village.code)
    errors: dict[str, list[str]] = {}
    name, leader, phone, note = _team_errors(errors, name=name, leader=leader, phone=phone, note=note)
    if formed_by not in FormedBy.values:
        errors["formed_by"] = ["请选择组建方式。"]
    _not_future(errors, "formed_on", formed_on, "成立日期")
    if name and VolunteerTeam.objects.filter(region=village, name=name).exists():
        errors["name"] = ["本村(社区)已有同名服务队。"]
    if errors:
        raise DomainError("服务队信息有误，未保存。", errors)
    team = VolunteerTeam.objects.create(
        region=village,
        term_change=current_term_change(village.code),
        name=name,
        formed_by=formed_by,
        formed_on=formed_on,
        leader=leader,
        phone=phone,
        note=note,
    )
    summary_refresh([village.code])
    record(
        actor=actor,
        region_code=village.code,
        event="volunteers.team_formed",
        summary=f"{village.name}成立换届志愿服务队：{name}（{team.get_formed_by_display()}，{formed_on:%Y-%m-%d}）",
        obj=team,
        after={"队名": name, "组建方式": team.get_formed_by_display(), "成立日期": formed_on, "队长": leader},
    )
    return team


@transaction.atomic
def team_update(
    *,
    actor: Actor,
    team: VolunteerTeam,
    expected_version: int,
    name: str,
    leader: str = "",
    phone: str = "",
    note: str = "",
) -> VolunteerTeam:
    team_policy.check(actor, "change", team)
    errors: dict[str, list[str]] = {}
    name, leader, phone, note = _team_errors(errors, name=name, leader=leader, phone=phone, note=note)
    if name and VolunteerTeam.objects.filter(region_id=team.region_id, name=name).exclude(pk=team.pk).exists():
        errors["name"] = ["本村(社区)已有同名服务队。"]
    if errors:
        raise DomainError("服务队信息有误，未保存。", errors)
    before = {"队名": team.name, "队长": team.leader, "联系电话": team.phone, "备注": team.note}
    bump_version(team, expected_version=expected_version)
    team.name, team.leader, team.phone, team.note = name, leader, phone, note
    team.save(update_fields=["name", "leader", "phone", "note"])
    record(
        actor=actor,
        region_code=team.region_id,
        event="volunteers.team_changed",
        summary=f"修改换届志愿服务队：{name}",
        obj=team,
        before=before,
        after={"队名": name, "队长": leader, "联系电话": phone, "备注": note},
    )
    return team


# --- members ------------------------------------------------------------------------------------------------------


def _member_errors(
    errors: dict[str, list[str]], team: VolunteerTeam, *, name: str, phone: str, role: str, joined_on: date
) -> None:
    if role not in roles_on(joined_on):
        errors["role"] = [f"请选择职责（{'、'.join(roles_on(joined_on).values())}）。"]
    if joined_on < team.formed_on:
        errors["joined_on"] = [f"加入日期不能早于服务队成立日期 {team.formed_on:%Y-%m-%d}。"]
    _not_future(errors, "joined_on", joined_on, "加入日期")
    if name and VolunteerMember.objects.filter(team=team, name=name, phone=phone, left_on__isnull=True).exists():
        errors["name"] = [f"{name}已在队中。"]


@transaction.atomic
def member_join(
    *,
    actor: Actor,
    team: VolunteerTeam,
    role: str,
    joined_on: date,
    person: Person | None = None,
    name: str = "",
    phone: str = "",
) -> VolunteerMember:
    """A resident from the register (`person`), or an outsider by name and phone (a retired teacher from town)."""
    team_policy.check(actor, "change", team)
    errors: dict[str, list[str]] = {}
    if person is not None:
        name = person.name
        phone = text_field(errors, "phone", phone or person.phone, "联系电话", 20, required=False)
    else:
        name = text_field(errors, "name", name, "姓名", 50, required=True)
        phone = text_field(errors, "phone", phone, "联系电话", 20, required=True)
    _member_errors(errors, team, name=name, phone=phone, role=role, joined_on=joined_on)
    if errors:
        raise DomainError("志愿者信息有误，未保存。", errors)
    member = VolunteerMember.objects.create(
        team=team, person=person, name=name, phone=phone, role=role, joined_on=joined_on
    )
    summary_refresh([team.region_id])
    record(
        actor=actor,
        region_code=team.region_id,
        event="volunteers.member_joined",
        summary=f"{team.name}：{name}入队（{member.role_label}，{joined_on:%Y-%m-%d}）",
        obj=member,
        after={"姓名": name, "职责": member.role_label, "加入日期": joined_on, "居民档案": "是" if person else "否"},
    )
    return member


@transaction.atomic
def member_leave(*, actor: Actor, member: VolunteerMember, left_on: date, reason: str = "") -> VolunteerMember:
    team = member.team
    member_policy.check(actor, "change", member)
    errors: dict[str, list[str]] = {}
    reason = text_field(errors, "reason", reason, "退出原因", 200, required=False)
    if member.left_on is not None:
        errors["left_on"] = [f"{member.name}已于 {member.left_on:%Y-%m-%d} 退出。"]
    elif left_on < member.joined_on:
        errors["left_on"] = ["退出日期不能早于加入日期。"]
    _not_future(errors, "left_on", left_on, "退出日期")
    later = member.participations.filter(activity__held_on__gt=left_on).order_by("activity__held_on").first()
    if later is not None:
        errors["left_on"] = [f"{member.name}参加了 {later.activity.held_on:%Y-%m-%d} 的活动，退出日期不能更早。"]
    if errors:
        raise DomainError("退出登记有误，未保存。", errors)
    member.left_on, member.left_reason = left_on, reason
    member.save(update_fields=["left_on", "left_reason"])
    summary_refresh([team.region_id])
    record(
        actor=actor,
        region_code=team.region_id,
        event="volunteers.member_left",
        summary=f"{team.name}：{member.name}退出（{left_on:%Y-%m-%d}）",
        obj=member,
        after={"退出日期": left_on, "退出原因": reason},
    )
    return member


# --- activities ---------------------------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    held_on: date
    kind: str
    place: str
    description: str
    households: int
    member_ids: list[int]
    station_id: int | None = None


def _activity_errors(team: VolunteerTeam, data: ActivityInput) -> tuple[dict[str, list[str]], list[VolunteerMember]]:
    errors: dict[str, list[str]] = {}
    data.place = text_field(errors, "place", data.place, "地点", 100, required=True)
    data.description = text_field(errors, "description", data.description, "活动内容", 500, required=True)
    if data.kind not in roles_on(data.held_on):
        errors["kind"] = ["请选择活动类型。"]
    if data.held_on < team.formed_on:
        errors["held_on"] = [f"活动日期不能早于服务队成立日期 {team.formed_on:%Y-%m-%d}。"]
    _not_future(errors, "held_on", data.held_on, "活动日期")
    if not 0 <= data.households <= 100_000:
        errors["households"] = ["覆盖户数须为 0 至 100000。"]
    if data.station_id is not None and not station_choices(team.region_id).filter(pk=data.station_id).exists():
        errors["station"] = ["只能选择本村(社区)选举的投票站。"]
    members = list(VolunteerMember.objects.filter(team=team, pk__in=set(data.member_ids)).order_by("pk"))
    if not data.member_ids:
        errors["member_ids"] = ["请选择参加活动的志愿者。"]
    elif len(members) != len(set(data.member_ids)):
        errors["member_ids"] = ["只能选择本队志愿者。"]
    else:
        absent = [m.name for m in members if m.joined_on > data.held_on or (m.left_on and m.left_on < data.held_on)]
        if absent:
            errors["member_ids"] = [f"{'、'.join(absent)}在活动当天不在队中。"]
    return errors, members


def _activity_after(activity: VolunteerActivity, members: list[VolunteerMember]) -> dict[str, Any]:
    return {
        "活动日期": activity.held_on,
        "活动类型": activity.kind_label,
        "地点": activity.place,
        "活动内容": activity.description,
        "覆盖户数": activity.households,
        "服务的投票站": station_label(activity.station) if activity.station is not None else "",
        "参加人员": "、".join(m.name for m in members),
    }


@transaction.atomic
def activity_add(*, actor: Actor, team: VolunteerTeam, data: ActivityInput) -> VolunteerActivity:
    team_policy.check(actor, "change", team)
    errors, members = _activity_errors(team, data)
    if errors:
        raise DomainError("活动信息有误，未保存。", errors)
    activity = VolunteerActivity.objects.create(
        team=team,
        region_id=team.region_id,
        held_on=data.held_on,
        kind=data.kind,
        place=data.place,
        description=data.description,
        households=data.households,
        station_id=data.station_id,
    )
    VolunteerParticipation.objects.bulk_create(VolunteerParticipation(activity=activity, member=m) for m in members)
    summary_refresh([team.region_id])
    record(
        actor=actor,
        region_code=team.region_id,
        event="volunteers.activity_added",
        summary=f"{team.name}{activity.kind_label}活动（{data.held_on:%Y-%m-%d}，{data.place}）："
        f"{len(members)} 人参加，覆盖 {data.households} 户",
        obj=activity,
        after=_activity_after(activity, members),
    )
    return activity


def _credited(participation_ids: Iterable[int]) -> set[int]:
    from cunshe.points.models import Entry

    keys = [f"{POINTS_KEY}{pk}" for pk in participation_ids]
    return {int(k.removeprefix(POINTS_KEY)) for k in Entry.objects.filter(key__in=keys).values_list("key", flat=True)}


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: VolunteerActivity, data: ActivityInput, expected_version: int
) -> VolunteerActivity:
    """Correct an activity. A participant whose points were already credited stays (the ledger is append-only)."""
    activity_policy.check(actor, "change", activity)
    team = activity.team
    errors, members = _activity_errors(team, data)
    current = {p.member_id: p.pk for p in activity.participations.all()}
    dropped = [current[m] for m in current if m not in {x.pk for x in members}]
    if dropped and _credited(dropped):
        errors["member_ids"] = ["已计入积分的参加人员不能移除。"]
    if errors:
        raise DomainError("活动信息有误，未保存。", errors)
    before = _activity_after(activity, list(VolunteerMember.objects.filter(pk__in=current).order_by("pk")))
    bump_version(activity, expected_version=expected_version)
    activity.held_on, activity.kind, activity.place = data.held_on, data.kind, data.place
    activity.description, activity.households = data.description, data.households
    activity.station_id = data.station_id
    activity.save(update_fields=["held_on", "kind", "place", "description", "households", "station"])
    VolunteerParticipation.objects.filter(pk__in=dropped).delete()
    VolunteerParticipation.objects.bulk_create(
        VolunteerParticipation(activity=activity, member=m) for m in members if m.pk not in current
    )
    summary_refresh([team.region_id])
    record(
        actor=actor,
        region_code=team.region_id,
        event="volunteers.activity_changed",
        summary=f"修改{team.name}活动（{data.held_on:%Y-%m-%d}，{data.place}）",
        obj=activity,
        before=before,
        after=_activity_after(activity, members),
    )
    return activity


# --- points for taking part ---------------------------------------------------------------------------------------


@dataclass
class PointsAward:
    credited: int = 0
    points: int = 0
    skipped: int = 0  # outsiders (no register entry), or no 志愿公益活动 rule in force that day


@transaction.atomic
def activity_points_award(*, actor: Actor, activity: VolunteerActivity) -> PointsAward:
    """Credit each resident who took part, by the 志愿公益活动 (volunteering) rule of the points book in force in the
    village on the day, to their own points account (opened when missing). Each participation is one ledger key
    "volunteers:<id>", so awarding twice, or after adding a participant, credits only what is new."""
    from cunshe.points.models import HolderKind, RuleCategory
    from cunshe.points.services import book_in_force, holder_open, points_earn

    activity_policy.check(actor, "change", activity)
    result = PointsAward()
    book = book_in_force(activity.region_id, activity.held_on)
    rule = None if book is None else book.rules.filter(category=RuleCategory.VOLUNTEERING).order_by("code").first()
    participations = list(activity.participations.select_related("member__person").order_by("pk"))
    done = _credited(p.pk for p in participations)
    for p in participations:
        if p.pk in done:
            continue
        if rule is None or p.member.person is None:
            result.skipped += 1
            continue
        holder = holder_open(actor=actor, person=p.member.person, kind=HolderKind.PERSON)
        entry = points_earn(
            actor=actor,
            holder=holder,
            rule=rule,
            occurred_on=activity.held_on,
            evidence=f"{activity.team.name}{activity.kind_label}活动，{activity.place}",
            key=f"{POINTS_KEY}{p.pk}",
        )
        result.credited += 1
        result.points += entry.points
    if result.credited:
        record(
            actor=actor,
            region_code=activity.region_id,
            event="volunteers.points_awarded",
            summary=f"{activity.team.name}活动（{activity.held_on:%Y-%m-%d}）计入积分：{result.credited} 人，"
            f"共 {result.points} 分",
            obj=activity,
            after={"人数": result.credited, "积分": result.points},
        )
    return result


# --- the roster in Excel ------------------------------------------------------------------------------------------
