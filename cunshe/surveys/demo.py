"""Surveys in the demo county's story (today: the build day): the three posts of 三个全覆盖 in the 24 demo villages of
黛溪街道 and 黄山街道 (first secretaries posted 2025-03, police since 2024-06, agents since 2025-01); the county's
三个全覆盖 satisfaction survey of September 2025 and of September 2026 per post (seed 002: the score up about 1.5
points on the year); and the county's 换届民意调查 during preparation (opened 2026-09-10, closed 2026-10-20, before
黛溪街道's party elections of 11-08): paper totals per village, answers entered by staff and through QR slips, free
text of which a few became issues on the board."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from cunshe.core.actors import SYSTEM
from cunshe.people import id_numbers
from cunshe.people.models import Person
from cunshe.people.services import person_create
from cunshe.regions.models import Level, Region
from cunshe.regions.slice import DEMO_COUNTY
from cunshe.surveys.models import Holder, Kind, Post, Question, Run, Survey, TextAnswer
from cunshe.surveys.services import (
    holder_assign,
    paper_enter,
    response_enter,
    response_submit,
    survey_close,
    survey_create,
    survey_open,
    text_raise,
    tokens_issue,
)

TOWNS = ("371681001", "371681002")  # 黛溪街道, 黄山街道
OPINION_TITLE = "邹平市2026年村(社区)组织换届民意调查表"
SATISFACTION_TITLE = "{year}年三个全覆盖群众满意度调查（{post}）"
OPINION_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "single",
        "text": "您对现任村(社区)两委班子的总体评价",
        "choices": ["满意", "基本满意", "不满意", "不了解"],
    },
    {
        "kind": "multiple",
        "text": "您希望新一届班子优先办好哪些事（可多选）",
        "choices": ["道路硬化和路灯", "饮水安全", "养老助餐", "人居环境", "增加集体收入"],
    },
    {"kind": "single", "text": "您是否支持村党组织书记、村委会主任“一肩挑”", "choices": ["支持", "不支持", "说不清"]},
    {"kind": "scale", "text": "您对本次换届工作公开公正的信心（1-5 分）", "scale_max": 5},
    {"kind": "text", "text": "您对换届和村里的工作还有什么意见建议？"},
]
SATISFACTION_QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "scale",
        "text": "您对其工作成效是否满意",
        "scale_max": 5,
        "choices": ["很不满意", "不满意", "基本满意", "满意", "非常满意"],
    },
    {
        "kind": "scale",
        "text": "您对其工作作风是否满意",
        "scale_max": 5,
        "choices": ["很不满意", "不满意", "基本满意", "满意", "非常满意"],
    },
    {"kind": "text", "text": "您对其工作有什么意见建议？"},
]
TEXTS = [
    "村东主路路灯坏了半年，希望尽快修好",
    "希望换届时把候选人情况公开得更详细",
    "老年人吃饭难，希望办个幸福食堂",
    "垃圾清运不及时，夏天气味大",
    "希望多公开集体土地承包收入",
]
RAISED = 3  # of the free-text opinions, the ones the towns turned into issues
POSTS = {
    Post.FIRST_SECRETARY: (
        date(2025, 3, 1),
        "市派第一书记（{unit}）",
        ["市农业农村局", "市住建局", "市财政局", "市卫健局"],
    ),
    Post.POLICE: (date(2024, 6, 1), "{unit}", ["黛溪派出所", "黄山派出所"]),
    Post.AGENT: (date(2025, 1, 1), "{unit}", ["村便民服务站"]),
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国志强海燕秀英立新文华明德玉兰春梅晓东"


def _villages() -> list[Region]:
    return [
        v for town in TOWNS for v in Region.objects.filter(parent_id=town, level=Level.VILLAGE).order_by("code")[:12]
    ]


def _outsider(village: Region, n: int, rng: random.Random, name: str = "") -> Person:
    """A first secretary or police officer, registered where they serve (the demo has no registry above)."""
    born = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 365 * 15))
    number = id_numbers.make(DEMO_COUNTY, born, 900 + n)
    found = Person.objects.filter(id_number=number).first()
    name = name or rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
    return found or person_create(actor=SYSTEM, region_code=village.code, id_number=number, name=name, birth_date=born)


def _holders(villages: list[Region], rng: random.Random) -> None:
    if Holder.objects.filter(village_id__in=[v.code for v in villages]).exists():
        return
    police: Person | None = None
    for i, village in enumerate(villages):
        since, unit, units = POSTS[Post.FIRST_SECRETARY]
        if i % 2 == 1:  # first secretaries in every other demo village (the demo account 陈晓东 in the second)
            person = _outsider(village, i, rng, name="陈晓东" if i == 1 else "")
            holder_assign(
                actor=SYSTEM,
                village_code=village.code,
                post=Post.FIRST_SECRETARY,
                person=person,
                since=since,
                unit=unit.format(unit=units[i % len(units)]),
            )
        since, unit, units = POSTS[Post.POLICE]
        if i % 3 == 0:  # one police officer serves three villages
            police = _outsider(village, 50 + i, rng)
        assert police is not None
        holder_assign(
            actor=SYSTEM,
            village_code=village.code,
            post=Post.POLICE,
            person=police,
            since=since,
            unit=units[0 if village.code.startswith(TOWNS[0]) else 1],
        )
        agent = Person.objects.filter(region=village).order_by("-id").first()
        if agent is not None:
            since, unit, units = POSTS[Post.AGENT]
            holder_assign(
                actor=SYSTEM, village_code=village.code, post=Post.AGENT, person=agent, since=since, unit=units[0]
            )


def _q(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").order_by("position"))


def _spread(n: int, weights: list[float], rng: random.Random) -> list[int]:
    """n papers over the options by weight (at most n together)."""
    counts = [0] * len(weights)
    for _ in range(n):
        counts[rng.choices(range(len(weights)), weights)[0]] += 1
    return counts


def _satisfaction(villages: list[Region], rng: random.Random) -> None:
    codes = [v.code for v in villages]
    for post in Post:
        previous: Survey | None = None
        for year, opened, closed, lean in (
            (2025, date(2025, 9, 5), date(2025, 9, 25), 0.0),
            (2026, date(2026, 9, 3), date(2026, 9, 24), 0.07),
        ):
            title = SATISFACTION_TITLE.format(year=year, post=post.label)
            if Survey.objects.filter(region_id=DEMO_COUNTY, title=title).exists():
                previous = Survey.objects.get(region_id=DEMO_COUNTY, title=title)
                continue
            s = survey_create(
                actor=SYSTEM,
                region_code=DEMO_COUNTY,
                title=title,
                purpose="satisfaction",
                post=post,
                year=year,
                previous=previous,
                questions=SATISFACTION_QUESTIONS,
            )
            s = survey_open(actor=SYSTEM, survey=s, expected_version=s.version, villages=codes, on=opened)
            questions = _q(s)
            weights = [0.01, 0.03, 0.12 - lean / 2, 0.34 - lean / 2, 0.50 + lean]
            for run in Run.objects.filter(survey=s).select_related("survey"):
                if run.subject_id is None:
                    continue  # no first secretary posted there: nobody to score
                papers = rng.randrange(30, 61)
                totals = {
                    str(q.pk): {
                        str(c.pk): n for c, n in zip(q.choices.all(), _spread(papers, weights, rng), strict=True)
                    }
                    for q in questions
                    if q.kind == Kind.SCALE
                }
                texts = {str(questions[2].pk): ["工作踏实，经常入户"]} if rng.random() < 0.3 else {}
                paper_enter(
                    actor=SYSTEM, run=run, papers=papers, totals=totals, texts=texts, expected_version=run.version
                )
            s.refresh_from_db()
            previous = survey_close(actor=SYSTEM, survey=s, expected_version=s.version, on=closed)


def _opinion(villages: list[Region], rng: random.Random) -> None:
    if Survey.objects.filter(region_id=DEMO_COUNTY, title=OPINION_TITLE).exists():
        return
    s = survey_create(
        actor=SYSTEM,
        region_code=DEMO_COUNTY,
        title=OPINION_TITLE,
        purpose="opinion",
        year=2026,
        intro="为做好村(社区)组织换届工作，听取您的意见建议。本问卷不记名。",
        questions=OPINION_QUESTIONS,
    )
    s = survey_open(actor=SYSTEM, survey=s, expected_version=s.version, on=date(2026, 9, 10))
    questions = _q(s)
    shapes = {0: [0.55, 0.3, 0.08, 0.07], 2: [0.7, 0.1, 0.2], 3: [0.02, 0.05, 0.18, 0.35, 0.4]}
    for i, village in enumerate(villages):
        run = Run.objects.select_related("survey", "village").get(survey=s, village=village)
        papers = rng.randrange(40, 81)
        totals: dict[str, dict[str, int]] = {}
        for n, q in enumerate(questions):
            choices = list(q.choices.all())
            if n in shapes:
                totals[str(q.pk)] = {
                    str(c.pk): k for c, k in zip(choices, _spread(papers, shapes[n], rng), strict=True)
                }
            elif q.kind == Kind.MULTIPLE:
                totals[str(q.pk)] = {str(c.pk): rng.randrange(papers // 5, papers) for c in choices}
        texts = {str(questions[4].pk): rng.sample(TEXTS, 2)}
        paper_enter(actor=SYSTEM, run=run, papers=papers, totals=totals, texts=texts, expected_version=run.version)
        answers = {
            str(questions[0].pk): questions[0].choices.all()[0].pk,
            str(questions[1].pk): [c.pk for c in questions[1].choices.all()[:2]],
            str(questions[2].pk): questions[2].choices.all()[0].pk,
            str(questions[3].pk): questions[3].choices.all()[4].pk,
        }
        if i < 4:  # staff at the door of those who could not write, and a batch of QR slips, some used
            response_enter(actor=SYSTEM, run=run, answers={**answers, str(questions[4].pk): "希望新班子多听群众意见"})
            for token in tokens_issue(actor=SYSTEM, run=run, count=20)[:6]:
                response_submit(code=token.code, answers=answers)
    for answer in TextAnswer.objects.filter(survey=s, text=TEXTS[0]).order_by("village_id")[:RAISED]:
        text_raise(actor=SYSTEM, answer=answer, owner="村党组织书记", due_on=date(2026, 11, 5))
    s.refresh_from_db()
    survey_close(actor=SYSTEM, survey=s, expected_version=s.version, on=date(2026, 10, 20))


def build_demo(*, seed: int) -> None:
    rng = random.Random(seed)
    villages = _villages()
    if not villages:
        return
    _holders(villages, rng)
    _satisfaction(villages, rng)
    _opinion(villages, rng)
