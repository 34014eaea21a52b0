"""Appointing and ending posts in a village team; each change is checked, saved and recorded together."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.people.models import Person
from cunshe.people.permissions import person_policy
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.teams.models import COMMITTEE_POSTS, SINGLE_POSTS, Committee, Post, TeamMember
from cunshe.teams.permissions import team_policy


def _snapshot(member: TeamMember) -> dict[str, Any]:
    return {
        "人员": member.person.name,
        "组织": member.get_committee_display(),
        "职务": member.get_post_display(),
        "任职日期": member.started_on,
        "离任日期": member.ended_on,
        "离任原因": member.end_reason,
    }


@transaction.atomic
def member_appoint(
    *, actor: Actor, village_code: str, person: Person, committee: str, post: str, started_on: date
) -> TeamMember:
    team_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    if not person_policy.can(actor, "view", person):
        raise Http404("未找到该人员。")
    errors: dict[str, list[str]] = {}
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        errors["region"] = ["须为村(社区)。"]
    if committee not in Committee.values:
        errors["committee"] = ["请选择组织。"]
    elif post not in COMMITTEE_POSTS[committee]:
        errors["post"] = [
            f"{Post(post).label if post in Post.values else post}不是{Committee(committee).label}的职务。"
        ]
    if committee == Committee.PARTY and not person.is_party_member:
        errors["person"] = ["党组织成员须为中共党员。"]
    if started_on > timezone.localdate():
        errors["started_on"] = ["任职日期不能晚于今天。"]
    if post in SINGLE_POSTS and not errors:
        holder = TeamMember.objects.filter(region_id=village_code, post=post, ended_on__isnull=True).first()
        if holder is not None:
            errors["post"] = [f"该村(社区)现任{holder.get_post_display()}为 {holder.person.name}，请先办理其离任。"]
    if TeamMember.objects.filter(person=person, committee=committee, post=post, ended_on__isnull=True).exists():
        errors["person"] = [f"{person.name} 已担任该职务。"]
    if errors:
        raise DomainError("任职信息有误，未保存。", errors)
    member = TeamMember(region_id=village_code, person=person, committee=committee, post=post, started_on=started_on)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:  # a concurrent appointment to the same single post
        raise DomainError("该职务刚被他人任命，请刷新后重试。") from exc
    record(
        actor=actor,
        region_code=village_code,
        event="teams.member_appointed",
        summary=f"{person.name} 任{member.get_committee_display()}{member.get_post_display()}",
        obj=member,
        after=_snapshot(member),
    )
    return member


@transaction.atomic
def member_end(
    *, actor: Actor, member: TeamMember, ended_on: date, reason: str, expected_version: int | None
) -> TeamMember:
    team_policy.check(actor, "change", member)
    errors: dict[str, list[str]] = {}
    if member.ended_on is not None:
        raise DomainError(f"{member.person.name} 已于 {member.ended_on:%Y-%m-%d} 离任。")
    if ended_on < member.started_on:
        errors["ended_on"] = ["离任日期不能早于任职日期。"]
    if ended_on > timezone.localdate():
        errors["ended_on"] = ["离任日期不能晚于今天。"]
    if not reason.strip():
        errors["end_reason"] = ["请填写离任原因（如：换届离任、辞职、调动）。"]
    if errors:
        raise DomainError("离任信息有误，未保存。", errors)
    before = _snapshot(member)
    bump_version(member, expected_version=expected_version)
    member.ended_on, member.end_reason = ended_on, reason.strip()
    member.save(update_fields=["ended_on", "end_reason"])
    record(
        actor=actor,
        region_code=member.region_id,
        event="teams.member_ended",
        summary=f"{member.person.name} 不再担任{member.get_post_display()}（{member.end_reason}）",
        obj=member,
        before={"离任日期": before["离任日期"], "离任原因": before["离任原因"]},
        after={"离任日期": member.ended_on, "离任原因": member.end_reason},
    )
    return member
