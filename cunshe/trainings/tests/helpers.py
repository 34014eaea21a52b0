"""Villages with a new team (certified villagers' committee elections), and a course with a session for them."""

from __future__ import annotations

from datetime import date
from typing import Any

from cunshe.core.actors import SYSTEM
from cunshe.firstyear.tests.helpers import certified
from cunshe.trainings.models import Course, Session
from cunshe.trainings.services import course_create, session_create


def course_for(region: str, *, actor: Any = SYSTEM, title: str = "新一届村(社区)两委干部任职培训班") -> Course:
    return course_create(actor=actor, region_code=region, title=title, provider="party_school")


def with_session(village: str, make_person: Any, *, held_on: date, region: str | None = None) -> Session:
    certified(village, make_person)
    course = course_for(region or village[:9])
    return session_create(actor=SYSTEM, course=course, held_on=held_on, place="街道基层党校")
