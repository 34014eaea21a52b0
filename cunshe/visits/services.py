"""Visit plans, visit records and coverage targets. Each change keeps the village's coverage row in step."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.assessments.selectors import prospects_of
from cunshe.core.actors import Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import ConcurrentEdit, DomainError
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.selectors import current_members
from cunshe.termchanges.models import TermChange
from cunshe.termchanges.selectors import current_term_change
from cunshe.visits.models import (
    LISTED_GROUPS,
    CandidateOpinion,
    Coverage,
    CoverageTarget,
    Group,
    GroupMember,
    Kind,
    Mode,
    Stance,
    Visit,
    VisitTarget,
)
from cunshe.visits.permissions import coverage_target_policy, group_member_policy, target_policy
from cunshe.visits.selectors import group_lists


def term_change_of(village_code: str) -> TermChange:
    """The county's current term change; a village's visit records need one."""
    term_change = current_term_change(village_code)
    if term_change is None:
        raise DomainError("本县(市、区)尚未启动换届，请先由县委组织部启动换届。")
    return term_change


def _village(code: str) -> Region:
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"region": ["须为村(社区)。"]})
    return village


def _tally(term_change: TermChange, region_code: str, group: str, **deltas: int) -> None:
    row, _ = Coverage.objects.get_or_create(term_change=term_change, region_id=region_code, group=group)
    Coverage.objects.filter(pk=row.pk).update(**{k: F(k) + v for k, v in deltas.items() if v})


def _validate_target(
    term_change: TermChange, person: Person, group: str, visitor: str, due_on: date | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if group not in Group.values:
        errors["group"] = ["请选择走访对象类别。"]
    elif group == Group.PARTY_MEMBER and not person.is_party_member:
        errors["group"] = [f"{person.name} 不是党员。"]
    elif group == Group.CADRE and not current_members(person.region_id).filter(person=person).exists():
        errors["group"] = [f"{person.name} 不是现任村干部。"]
    if not visitor.strip():
        errors["visitor"] = ["请填写走访人。"]
    if due_on is None:
        errors["due_on"] = ["请填写计划完成日期。"]
    elif due_on < term_change.opened_on:
        errors["due_on"] = ["计划完成日期不能早于换届启动日期。"]
    return errors


def _add_target(
    *, actor: Actor, term_change: TermChange, person: Person, group: str, visitor: str, due_on: date, away: bool
) -> VisitTarget:
    target = VisitTarget.objects.create(
        term_change=term_change,
        region_id=person.region_id,
        person=person,
        group=group,
        visitor=visitor.strip(),
        due_on=due_on,
        is_away=away,
    )
    _tally(term_change, person.region_id, group, planned=1, away=int(away))
    record(
        actor=actor,
        region_code=person.region_id,
        event="visits.planned",
        summary=f"走访计划：{visitor.strip()} 于 {due_on:%Y-%m-%d} 前走访{target.get_group_display()} {person.name}",
        obj=target,
        after={
            "走访对象": person.name,
            "类别": target.get_group_display(),
            "走访人": target.visitor,
            "计划完成日期": due_on,
            "在外": away,
        },
    )
    return target


@transaction.atomic
def group_member_add(*, actor: Actor, person: Person, group: str) -> GroupMember:
    group_member_policy.check_in_region(actor, "change", person.region_id, missing="未找到该人员。")
    term_change = term_change_of(person.region_id)
    if group not in LISTED_GROUPS:
        raise DomainError(
            "该类别由人员信息或两委班子确定，无需登记。", {"group": ["请选择村民代表、乡贤能人或群众户。"]}
        )
    if GroupMember.objects.filter(term_change=term_change, person=person, group=group).exists():
        raise DomainError(f"{person.name} 已登记为{Group(group).label}。", {"person": ["已登记。"]})
    member = GroupMember.objects.create(term_change=term_change, region_id=person.region_id, person=person, group=group)
    record(
        actor=actor,
        region_code=person.region_id,
        event="visits.group_member_added",
        summary=f"登记{member.get_group_display()}：{person.name}",
        obj=member,
        after={"人员": person.name, "类别": member.get_group_display()},
    )
    return member


@transaction.atomic
def visit_plan_generate(
    *, actor: Actor, village_code: str, groups: list[str], visitor: str, due_on: date | None
) -> int:
    """Plan a visit to everyone of the chosen groups in the village who has none yet; returns how many were added."""
    target_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    _village(village_code)
    term_change = term_change_of(village_code)
    errors: dict[str, list[str]] = {}
    if not groups or any(g not in Group.values for g in groups):
        errors["groups"] = ["请选择走访对象类别。"]
    if not visitor.strip():
        errors["visitor"] = ["请填写走访人。"]
    if due_on is None:
        errors["due_on"] = ["请填写计划完成日期。"]
    elif due_on < term_change.opened_on:
        errors["due_on"] = ["计划完成日期不能早于换届启动日期。"]
    if errors:
        raise DomainError("走访计划信息有误，未生成。", errors)
    assert due_on is not None
    planned = set(
        VisitTarget.objects.filter(term_change=term_change, region_id=village_code).values_list("person_id", "group")
    )
    added = 0
    for entry in group_lists(term_change, village_code, groups):
        if (entry.person.pk, entry.group) in planned:
            continue
        planned.add((entry.person.pk, entry.group))
        _add_target(
            actor=actor,
            term_change=term_change,
            person=entry.person,
            group=entry.group,
            visitor=visitor,
            due_on=due_on,
            away=False,
        )
        added += 1
    return added


def _check_opinions(
    target: VisitTarget, opinions: Sequence[tuple[int, str]], errors: dict[str, list[str]]
) -> list[tuple[Person, str]]:
    """The opinions as (candidate, stance) once each names a prospective candidate of the village other than the
    visited person, at most once, with a known stance; otherwise their messages go into `errors`."""
    if not opinions:
        return []
    prospects = {person.pk: person for person, _ in prospects_of(target.region_id)}
    messages: list[str] = []
    heard: list[tuple[Person, str]] = []
    seen: set[int] = set()
    for person_id, stance in opinions:
        person = prospects.get(person_id)
        if person is None:
            messages.append("所选人员不是本村(社区)的人选（现任班子成员或人选库中的人员）。")
        elif person.pk == target.person_id:
            messages.append(f"不记录{person.name}对本人的态度。")
        elif person.pk in seen:
            messages.append(f"对{person.name}只能记录一种态度。")
        elif stance not in Stance.values:
            messages.append(f"对{person.name}的态度须为支持、不支持或未表态。")
        else:
            seen.add(person.pk)
            heard.append((person, stance))
    if messages:
        errors["opinions"] = messages
    return heard


_MICRO = Decimal("0.000001")


def _check_position(
    latitude: Decimal | None, longitude: Decimal | None, errors: dict[str, list[str]]
) -> tuple[Decimal, Decimal] | None:
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        errors["latitude"] = ["位置应同时有纬度和经度。"]
        return None
    if not (latitude.is_finite() and longitude.is_finite()) or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors["latitude"] = ["位置超出范围（纬度 -90～90，经度 -180～180）。"]
        return None
    return latitude.quantize(_MICRO), longitude.quantize(_MICRO)


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    target: VisitTarget,
    mode: str,
    visited_on: date,
    visitors: str,
    summary: str,
    place: str = "",
    opinion_team: str = "",
    opinion_election: str = "",
    intends_to_stand: bool = False,
    intended_post: str = "",
    problems: list[str] | None = None,
    opinions: Sequence[tuple[int, str]] = (),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    kind: str = "",
) -> Visit:
    """`opinions`: (person id, Stance) for the prospective candidates of the village the visited person spoke of;
    those left out were not asked. `latitude`/`longitude`: where the visit took place, both or neither, given only
    when the visitor agreed to record the phone's position."""
    target_policy.check(actor, "change", target)
    errors: dict[str, list[str]] = {}
    if mode not in Mode.values:
        errors["mode"] = ["请选择走访方式。"]
    if kind and kind not in Kind.values:
        errors["kind"] = ["类型须为访民问需、访怨问由、访贤问计或访能问效。"]
    if visited_on > timezone.localdate():
        errors["visited_on"] = ["走访日期不能晚于今天。"]
    elif visited_on < target.term_change.opened_on:
        errors["visited_on"] = ["走访日期不能早于换届启动日期。"]
    if not visitors.strip():
        errors["visitors"] = ["请填写走访人。"]
    if not summary.strip():
        errors["summary"] = ["请填写谈话内容。"]
    if intended_post.strip() and not intends_to_stand:
        errors["intended_post"] = ["填写意向职务时请勾选“有参选意向”。"]
    problems = [p.strip() for p in problems or [] if p.strip()]
    if any(len(p) > 200 for p in problems):
        errors["problems"] = ["每条问题不超过 200 字。"]
    heard = _check_opinions(target, opinions, errors)
    position = _check_position(latitude, longitude, errors)
    if errors:
        raise DomainError("走访记录有误，未保存。", errors)
    visit = Visit.objects.create(
        target=target,
        region_id=target.region_id,
        mode=mode,
        kind=kind,
        visited_on=visited_on,
        place=place.strip(),
        visitors=visitors.strip(),
        summary=summary.strip(),
        opinion_team=opinion_team.strip(),
        opinion_election=opinion_election.strip(),
        intends_to_stand=intends_to_stand,
        intended_post=intended_post.strip() if intends_to_stand else "",
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
        recorded_by=user_of(actor),
    )
    CandidateOpinion.objects.bulk_create(
        [
            CandidateOpinion(visit=visit, region_id=target.region_id, candidate=person, stance=stance)
            for person, stance in heard
        ]
    )
    # Coverage counts a person once, by their first visit; a claim on the row keeps two first visits from both
    # counting.
    first = VisitTarget.objects.filter(pk=target.pk, visited_on__isnull=True).update(
        visited_on=visited_on, visited_mode=mode
    )
    if first:
        target.visited_on, target.visited_mode = visited_on, mode
        _tally(target.term_change, target.region_id, target.group, visited=1, by_phone=int(mode == Mode.PHONE))
    record(
        actor=actor,
        region_code=target.region_id,
        event="visits.recorded",
        summary=f"{visit.get_mode_display()}{target.get_group_display()} {target.person.name}（{visit.visitors}）",
        obj=visit,
        after={
            "方式": visit.get_mode_display(),
            "走访日期": visited_on,
            "地点": visit.place,
            "谈话内容": visit.summary,
            "参选意向": visit.intended_post or ("有" if intends_to_stand else "无"),
            "反映问题": problems,
            "对人选的态度": [f"{person.name}：{Stance(stance).label}" for person, stance in heard],
            "位置": f"{position[0]},{position[1]}" if position else "未记录",
        },
    )
    if problems:
        # Every problem raised in a visit goes on the issue board, in the same transaction as the visit.
        from cunshe.issueboard.services import issue_raise_from_visit

        for problem in problems:
            issue_raise_from_visit(actor=actor, visit=visit, title=problem)
    return visit


@transaction.atomic
def coverage_target_set(
    *, actor: Actor, county_code: str, group: str, percent: int, expected_version: int | None
) -> CoverageTarget:
    """Set a group's target; `expected_version` is the version read (0 while the group is at its default), so of two
    officials who changed the same target from the same page only the first is saved."""
    coverage_target_policy.check_in_region(actor, "change", county_code, missing="未找到该县。")
    term_change = term_change_of(county_code)
    errors: dict[str, list[str]] = {}
    if group not in Group.values:
        errors["group"] = ["请选择走访对象类别。"]
    if not 1 <= percent <= 100:
        errors["percent"] = ["目标覆盖率须在 1% 到 100% 之间。"]
    if errors:
        raise DomainError("覆盖目标有误，未保存。", errors)
    target, created = CoverageTarget.objects.get_or_create(
        term_change=term_change, group=group, defaults={"county_id": term_change.county_id, "percent": percent}
    )
    before = None if created else target.percent
    if created:
        if expected_version != 0:
            raise ConcurrentEdit()
    else:
        bump_version(target, expected_version=expected_version)
    target.percent = percent
    target.save(update_fields=["percent"])
    record(
        actor=actor,
        region_code=term_change.county_id,
        event="visits.target_set",
        summary=f"{Group(group).label}走访覆盖目标设为 {percent}%",
        obj=target,
        before={"目标覆盖率": before},
        after={"目标覆盖率": percent},
    )
    return target
