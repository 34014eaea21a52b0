"""Every write of the training module: courses, sessions with their due list (the new team members), attendance by
hand, by Excel (all rows or none; a re-import changes nothing) or by the session's QR sign-in on the day, and the
follow-up of absentees. Each service checks the access rule, validates first, keeps the village tallies and records."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.records.services import Pending, record, record_many
from cunshe.regions.models import Level, Region
from cunshe.teams.models import TeamMember
from cunshe.termchanges.models import TermChange
from cunshe.trainings.models import Attendance, Course, FollowUp, Method, Presence, Provider, Session, VillageTally
from cunshe.trainings.permissions import attendance_policy, course_policy, session_policy


def _tally(village: str, course_id: int, **changes: int) -> None:
    row, _ = VillageTally.objects.get_or_create(village_id=village, course_id=course_id)
    VillageTally.objects.filter(pk=row.pk).update(**{k: F(k) + v for k, v in changes.items()})


@transaction.atomic
def course_create(*, actor: Actor, region_code: str, title: str, provider: str, description: str = "") -> Course:
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.TOWN)).first()
    if region is None:
        raise DomainError("培训班由县(市、区)或乡镇(街道)举办。", {"region": ["须为县(市、区)或乡镇(街道)。"]})
    course_policy.check_in_region(actor, "change", region.code)
    title, description = clean_text(title), clean_text(description)
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 100:
        errors["title"] = ["请填写培训名称（不超过 100 字）。"]
    if provider not in Provider.values:
        errors["provider"] = ["请选择举办方。"]
    if len(description) > 300:
        errors["description"] = ["内容不超过 300 字。"]
    if errors:
        raise DomainError("培训班信息有误，未保存。", errors)
    course = Course.objects.create(region=region, title=title, provider=provider, description=description)
    record(
        actor=actor,
        region_code=region.code,
        event="trainings.course_created",
        summary=f"{region.name}举办培训班：{title}（{course.get_provider_display()}）",
        obj=course,
        after={"培训名称": title, "举办方": course.get_provider_display(), "内容": description},
    )
    return course


def new_team_members(region_code: str) -> list[TeamMember]:
    """Who is due: the current members of the villages' teams under the region who took office in the county's
    latest term change (a member re-elected keeps an earlier start and has had the first lesson already)."""
    term_change = TermChange.objects.filter(county_id=region_code[:6]).order_by("-year").first()
    if term_change is None:
        return []
    members = (
        TeamMember.objects.filter(
            region__startswith=region_code, ended_on__isnull=True, started_on__gte=term_change.opened_on
        )
        .select_related("person")
        .order_by("region_id", "person_id", "started_on")
    )
    seen: dict[int, TeamMember] = {}
    for m in members:
        seen.setdefault(m.person_id, m)  # one place per person, whatever their number of posts
    return list(seen.values())


@transaction.atomic
def session_create(*, actor: Actor, course: Course, held_on: date, place: str) -> Session:
    """A class of the course; everyone due is listed at once (the new team members under the course's region)."""
    session_policy.check_in_region(actor, "change", course.region_id)
    place = clean_text(place)
    errors: dict[str, list[str]] = {}
    if not place or len(place) > 100:
        errors["place"] = ["请填写地点（不超过 100 字）。"]
    members = new_team_members(course.region_id)
    # nobody is due at a class held before they took office
    due = [m for m in members if m.started_on <= held_on]
    if not members:
        errors["held_on"] = ["该区域尚无新一届班子成员（选举结果确认后才有参训对象）。"]
    elif not due:
        earliest = min(m.started_on for m in members)
        errors["held_on"] = [f"培训日期不能早于新一届班子产生（{earliest:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("培训场次有误，未保存。", errors)
    session = Session.objects.create(
        course=course, region_id=course.region_id, held_on=held_on, place=place, code=secrets.token_urlsafe(18)
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, person=m.person, village_id=m.region_id, post=m.get_post_display()) for m in due
    )
    per_village: dict[str, int] = {}
    for m in due:
        per_village[m.region_id] = per_village.get(m.region_id, 0) + 1
    for village, n in per_village.items():
        _tally(village, course.pk, due=n)
    record(
        actor=actor,
        region_code=course.region_id,
        event="trainings.session_created",
        summary=f"{course.title}：{held_on:%Y-%m-%d} 在{place}，应参训 {len(due)} 人",
        obj=session,
        after={"培训日期": held_on, "地点": place, "应参训人数": len(due)},
    )
    return session


def _errors_for(status: str, reason: str) -> list[str]:
    if status not in (Presence.PRESENT, Presence.ABSENT, Presence.LEAVE, Presence.DUE):
        return ["请选择出席、缺席或请假。"]
    if status in (Presence.ABSENT, Presence.LEAVE) and not reason:
        return ["缺席或请假须写明原因。"]
    if len(reason) > 200:
        return ["原因不超过 200 字。"]
    return []


def _apply(
    a: Attendance, *, status: str, reason: str, method: str, event: str, said: str, bump: bool = True
) -> Pending | None:
    """Set one row, keeping the tallies, and return its record-book entry ("<session>：<name> <said>", the row
    before and after), or None when nothing changed. The one way a hand edit, an import and a sign-in mark a row."""
    reason = reason if status in (Presence.ABSENT, Presence.LEAVE) else ""
    if (a.status, a.reason) == (status, reason):
        return None
    before = {"出勤": a.get_status_display(), "原因": a.reason}
    delta = (status == Presence.PRESENT) - (a.status == Presence.PRESENT)
    a.status, a.reason, a.method, a.signed_at = status, reason, method, timezone.now()
    if bump:  # an import or a sign-in moves the version on; a hand edit has claimed it with bump_version
        a.version += 1
    a.save(update_fields=["status", "reason", "method", "signed_at", "version"])
    if delta:
        _tally(a.village_id, a.session.course_id, present=delta)
        # 开门七件事's 任职第一课 counts the village's new team present (firstyear.facts), in the same transaction
        from cunshe.firstyear.services import facts_changed

        facts_changed(a.village_id)
    return Pending(
        region_code=a.village_id,
        event=event,
        summary=f"{a.session}：{a.person.name} {said}",
        obj=a,
        before=before,
        after={"出勤": a.get_status_display(), "原因": reason, "方式": a.get_method_display()},
    )


@transaction.atomic
def attendance_mark(
    *, actor: Actor, attendance: Attendance, status: str, reason: str = "", expected_version: int | None
) -> Attendance:
    attendance_policy.check(actor, "change", attendance)
    reason = clean_text(reason)
    if problems := _errors_for(status, reason):
        raise DomainError("出勤登记有误，未保存。", {"status" if "选择" in problems[0] else "reason": problems})
    a = Attendance.objects.select_related("session__course", "person", "village").get(pk=attendance.pk)
    if a.session.held_on > timezone.localdate():
        raise DomainError("培训尚未举行，不能登记出勤。")
    bump_version(a, expected_version=expected_version)
    said = Presence(status).label
    entry = _apply(
        a, status=status, reason=reason, method=Method.HAND, event="trainings.attendance", said=said, bump=False
    )
    record_many(actor=actor, entries=[entry] if entry else [])
    return a


@transaction.atomic
def session_code_renew(*, actor: Actor, session: Session, expected_version: int | None) -> Session:
    """Issue a new sign-in code for the session (the poster was photographed and sent round, or lost): the old
    code stops working at once and a new poster is to be printed."""
    session_policy.check_in_region(actor, "change", session.region_id)
    session = Session.objects.select_related("course").get(pk=session.pk)
    if session.held_on < timezone.localdate():
        raise DomainError("培训已经结束，签到码不再使用，无需更换。")
    bump_version(session, expected_version=expected_version)
    session.code = secrets.token_urlsafe(18)
    session.save(update_fields=["code", "version"])
    record(
        actor=actor,
        region_code=session.region_id,
        event="trainings.code_renewed",
        summary=f"{session}：更换签到码（原二维码作废）",
        obj=session,
        before={"签到码": "原签到码"},
        after={"签到码": "新签到码（请重新打印二维码）"},
    )
    return session


def session_code_valid(session: Session, now: Any = None) -> bool:
    """The QR code signs in only on the session's own day (local time)."""
    return timezone.localdate(now or timezone.now()) == session.held_on


@transaction.atomic
def signin(*, actor: Actor, code: str, person_ids: Iterable[int]) -> int:
    """At the door, a village's cadre (or the town) scans the session's QR code and signs in those present from
    their own village. Refused on any other day. Returns how many were signed in now."""
    session = Session.objects.select_related("course").filter(code=code).first()
    if session is None:
        raise DomainError("签到码无效。")
    if not session_code_valid(session):
        raise DomainError(f"签到码只在培训当天（{session.held_on:%Y-%m-%d}）有效。")
    ids = {int(i) for i in person_ids}
    # the system signs anyone in (the demo); a person only their own villages' members
    scope = Attendance.objects.all() if actor is SYSTEM else attendance_policy.visible_to(actor, "signin")
    if not scope.filter(session=session).exists():  # nobody of the user's villages: the session is not theirs
        raise Http404("未找到该记录。")
    rows = list(scope.filter(session=session, person_id__in=ids).select_related("person", "session"))
    if not ids or len(rows) != len(ids):
        raise DomainError("请选择本村(社区)的参训人员。", {"person_ids": ["所选人员不在您可签到的名单中。"]})
    marked = (
        _apply(a, status=Presence.PRESENT, reason="", method=Method.QR, event="trainings.signed_in", said="扫码签到")
        for a in rows
    )
    entries = [e for e in marked if e is not None]
    record_many(actor=actor, entries=entries)
    return len(entries)


@transaction.atomic
def followup_add(*, actor: Actor, attendance: Attendance, written_on: date, note: str) -> FollowUp:
    """What was done about an absence: refused for someone who came or is not yet recorded."""
    attendance_policy.check(actor, "change", attendance)
    a = Attendance.objects.select_related("session", "person").get(pk=attendance.pk)
    note = clean_text(note)
    errors: dict[str, list[str]] = {}
    if a.status not in (Presence.ABSENT, Presence.LEAVE):
        raise DomainError("只有缺席或请假的人员需要跟进。")
    if written_on > timezone.localdate():
        errors["written_on"] = ["日期不能晚于今天。"]
    elif written_on < a.session.held_on:
        errors["written_on"] = [f"日期不能早于培训日期（{a.session.held_on:%Y-%m-%d}）。"]
    if not note or len(note) > 300:
        errors["note"] = ["请填写跟进情况（不超过 300 字）。"]
    if errors:
        raise DomainError("跟进记录有误，未保存。", errors)
    follow = FollowUp.objects.create(
        attendance=a, village_id=a.village_id, written_on=written_on, note=note, written_by=user_of(actor)
    )
    record(
        actor=actor,
        region_code=a.village_id,
        event="trainings.followed_up",
        summary=f"{a.session}：{a.person.name}缺训跟进（{written_on:%Y-%m-%d}）",
        obj=follow,
        after={"日期": written_on, "跟进情况": note},
    )
    return follow
