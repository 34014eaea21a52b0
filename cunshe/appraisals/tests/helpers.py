"""An appraisal of a key person and a law question bank, set up through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from cunshe.appraisals.models import Appraisal, Question
from cunshe.appraisals.services import appraisal_open, question_add
from cunshe.core.actors import SYSTEM

OPENED = date(2026, 10, 8)


def appraisal_for(make_person: Any, village: str, *, name: str = "", post: str = "secretary") -> Appraisal:
    person = make_person(village, **({"name": name} if name else {}))
    return appraisal_open(actor=SYSTEM, person=person, post=post, opened_on=OPENED)


def bank(region: str, n: int = 12, *, prefix: str = "题") -> list[Question]:
    """n questions, alternating true/false (answer 对) and single choice (answer B)."""
    made = []
    for i in range(n):
        if i % 2:
            made.append(
                question_add(
                    actor=SYSTEM,
                    region_code=region,
                    kind="single",
                    text=f"{prefix}{i}：村民委员会每届任期几年？",
                    options=["三年", "五年", "六年"],
                    answer="B",
                )
            )
        else:
            made.append(
                question_add(
                    actor=SYSTEM,
                    region_code=region,
                    kind="true_false",
                    text=f"{prefix}{i}：村民委员会成员可以连选连任。",
                    options=[],
                    answer="对",
                )
            )
    return made
