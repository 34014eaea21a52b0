"""Decisions set up through the services, and meetings that pass unless told otherwise."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.decisions.models import Decision, Meeting, Step
from cunshe.decisions.services import decision_create, meeting_record
from cunshe.teams.models import Committee, Post
from cunshe.teams.services import member_appoint


def new_decision(village: str, *, actor: Any = SYSTEM, title: str = "村集体土地流转方案") -> Decision:
    return decision_create(
        actor=actor,
        village_code=village,
        title=title,
        matter="将村北 120 亩集体土地流转给合作社经营。",
        proposer="村党支部",
    )


def at(days_ago: int, hour: int = 9) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def hold(
    decision: Decision,
    step: str,
    *,
    days_ago: int,
    due: int = 9,
    present: int | None = None,
    votes_for: int | None = None,
    actor: Any = SYSTEM,
    merged: bool = False,
    notice_sent_on: date | None = None,
) -> Meeting:
    present = due if present is None else present
    votes_for = present if votes_for is None else votes_for
    decision.refresh_from_db()
    held_at = at(days_ago)
    if step == Step.PARTY_REVIEW and notice_sent_on is None:
        notice_sent_on = held_at.date() - timedelta(days=3)
    return meeting_record(
        actor=actor,
        decision=decision,
        step=step,
        merged=merged,
        held_at=held_at,
        place="村委会议室",
        chair="王书记",
        recorder="李文书",
        due=due,
        present=present,
        absentees=[{"name": f"党员{n}", "reason": "外出务工"} for n in range(due - present)],
        votes_for=votes_for,
        votes_against=present - votes_for,
        discussion="赵某某担心流转价格偏低，建议每三年调整一次租金。",
        outcome="同意提交下一步审议。",
        notice_sent_on=notice_sent_on,
        expected_version=decision.version,
    )


def heads(village: str, make_person: Any, *, since: date, dual: bool) -> None:
    """The branch secretary and the committee director: one party member for both (一肩挑), or two people."""
    secretary = make_person(village, is_party_member=True, party_joined_on=date(2000, 7, 1))
    director = secretary if dual else make_person(village)
    for person, committee, post in (
        (secretary, Committee.PARTY, Post.SECRETARY),
        (director, Committee.VILLAGERS, Post.DIRECTOR),
    ):
        member_appoint(
            actor=SYSTEM, village_code=village, person=person, committee=committee, post=post, started_on=since
        )
