"""A village's branch with its party members (the first the secretary, the second a committee member), and meetings
held and signed through the services."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.partywork.models import Branch, MeetingKind, PartyMeeting
from cunshe.partywork.services import branch_open, meeting_attendance_mark, meeting_create, meeting_sign
from cunshe.people.models import Person
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint


def branch_with_members(village: str, make_person: Any, *, formed_on: date, n: int = 4) -> tuple[Branch, list[Person]]:
    members = [make_person(village, is_party_member=True, party_joined_on=date(2000, 7, 1)) for _ in range(n)]
    member_appoint(
        actor=SYSTEM,
        village_code=village,
        person=members[0],
        committee=Committee.PARTY,
        post=Post.SECRETARY,
        started_on=formed_on,
    )
    member_appoint(
        actor=SYSTEM,
        village_code=village,
        person=members[1],
        committee=Committee.PARTY,
        post=Post.PARTY_MEMBER,
        started_on=formed_on,
    )
    return branch_open(actor=SYSTEM, village_code=village, name=f"{village}党支部", formed_on=formed_on), members


def at(day: date, hour: int = 0) -> datetime:
    return datetime.combine(day, time(hour), timezone.get_current_timezone())


def hold(
    branch: Branch,
    members: list[Person],
    *,
    kind: str = MeetingKind.COMMITTEE,
    on: date,
    chair: Person | None = None,
    sign: bool = True,
    actor: Any = SYSTEM,
) -> PartyMeeting:
    m = meeting_create(
        actor=actor,
        branch=branch,
        kind=kind,
        held_at=at(on),
        place="村党群服务中心",
        chair=chair or members[0],
        recorder=members[1],
        agenda="学习传达上级会议精神；研究本月重点工作",
        discussion="张某：同意。李某：对道路硬化选址有不同意见，建议再征求群众意见。",
        decisions=[{"text": "道路硬化方案征求群众意见", "owner": members[1].name, "due_on": on}],
    )
    marks = {a.person_id: ("present", "") for a in m.attendance.all() if a.status == "due"}
    m = meeting_attendance_mark(actor=actor, meeting=m, marks=marks, expected_version=m.version)
    if sign:
        m = meeting_sign(actor=SYSTEM, meeting=m, role="recorder", expected_version=m.version)
        m = meeting_sign(actor=SYSTEM, meeting=m, role="chair", expected_version=m.version)
    return m
