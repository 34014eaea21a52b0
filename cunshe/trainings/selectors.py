"""Reads of the training module, from the policies' scoped querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from cunshe.trainings.models import Attendance, Course, Presence, Session
from cunshe.trainings.permissions import attendance_policy, course_policy, session_policy, tally_policy


def courses_visible(user: Any) -> QuerySet[Course]:
    return course_policy.visible_to(user).select_related("region").order_by("-created_at", "-id")


def sessions_of(user: Any, course: Course) -> list[Session]:
    return list(session_policy.visible_to(user).filter(course=course).order_by("held_on", "id"))


def attendance_of(user: Any, session: Session, action: str = "view") -> QuerySet[Attendance]:
    return (
        attendance_policy.visible_to(user, action)
        .filter(session=session)
        .select_related("person", "village", "session")
        .prefetch_related("follow_ups")
        .order_by("village_id", "id")
    )


@dataclass
class VillageCount:
    code: str
    name: str
    due: int
    present: int


def person_times(user: Any, course: Course) -> tuple[list[VillageCount], VillageCount]:
    """Person-times due and present per village for a course, from the tally rows the services keep."""
    rows = tally_policy.visible_to(user).filter(course=course).select_related("village").order_by("village_id")
    counts = [VillageCount(r.village_id, r.village.name, r.due, r.present) for r in rows]
    total = VillageCount(course.region_id, "合计", sum(c.due for c in counts), sum(c.present for c in counts))
    return counts, total


def session_counts(user: Any, session: Session) -> dict[str, int]:
    got = (
        attendance_policy.visible_to(user)
        .filter(session=session)
        .aggregate(total=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in Presence.values})
    )
    return {k: v or 0 for k, v in got.items()}


def course_totals(user: Any, course: Course) -> dict[str, int]:
    got = tally_policy.visible_to(user).filter(course=course).aggregate(due=Sum("due"), present=Sum("present"))
    return {k: v or 0 for k, v in got.items()}
