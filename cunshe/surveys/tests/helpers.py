"""Surveys made through the services, for the tests and the access walk."""

from __future__ import annotations

from typing import Any

from cunshe.core.actors import SYSTEM, Actor
from cunshe.surveys.models import Choice, Question, Run, Survey
from cunshe.surveys.services import survey_close, survey_create, survey_open

OPINION_QUESTIONS: list[dict[str, Any]] = [
    {"kind": "single", "text": "您对现任村(社区)班子是否满意？", "choices": ["满意", "基本满意", "不满意"]},
    {"kind": "multiple", "text": "您希望新班子优先办好哪些事？", "choices": ["道路", "饮水", "养老", "环境"]},
    {"kind": "scale", "text": "您对本次换届工作的信心（1-5 分）", "scale_max": 5},
    {"kind": "text", "text": "您对换届和村里工作有什么意见建议？"},
]
SATISFACTION_QUESTIONS: list[dict[str, Any]] = [
    {"kind": "scale", "text": "您对其工作是否满意？", "scale_max": 5},
    {"kind": "scale", "text": "您对其作风是否满意？", "scale_max": 5},
    {"kind": "text", "text": "您对其工作有什么建议？"},
]


def opinion(
    region: str, *, actor: Actor = SYSTEM, title: str = "换届民意调查表", villages: list[str] | None = None
) -> Survey:
    s = survey_create(
        actor=actor, region_code=region, title=title, purpose="opinion", year=2026, questions=OPINION_QUESTIONS
    )
    return survey_open(actor=SYSTEM, survey=s, expected_version=s.version, villages=villages)


def satisfaction(
    region: str, *, year: int = 2026, post: str = "first_secretary", previous: Survey | None = None, open_: bool = True
) -> Survey:
    s = survey_create(
        actor=SYSTEM,
        region_code=region,
        title=f"{year}年三个全覆盖群众满意度调查（第一书记）",
        purpose="satisfaction",
        post=post,
        year=year,
        previous=previous,
        questions=SATISFACTION_QUESTIONS,
    )
    return survey_open(actor=SYSTEM, survey=s, expected_version=s.version) if open_ else s


def closed(s: Survey) -> Survey:
    s.refresh_from_db()
    return survey_close(actor=SYSTEM, survey=s, expected_version=s.version)


def q(s: Survey, position: int) -> Question:
    return Question.objects.get(survey=s, position=position)


def c(s: Survey, position: int, choice: int) -> Choice:
    return Choice.objects.get(question__survey=s, question__position=position, position=choice)


def run_of(s: Survey, village: str) -> Run:
    return Run.objects.select_related("survey", "village").get(survey=s, village_id=village)


def ids(s: Survey, position: int, choice: int) -> tuple[str, str]:
    """The (question id, choice id) keys of one choice, as the API takes them."""
    found = c(s, position, choice)
    return str(found.question_id), str(found.pk)
