"""Every write of the survey module. Forms: made as drafts, fixed when opened (a change is a new version), closed.
Answers: paper totals per village (checked against the papers counted; re-entering replaces them), one by one by
staff, or by a resident through a single-use QR link. Free text becomes an issue by a staff action. The three posts
of 三个全覆盖 per village. Each service checks the access rule, validates everything first, keeps the roll-up rows
(Run, Tally) and records."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError
from cunshe.core.text import clean_text
from cunshe.core.transitions import move
from cunshe.issueboard.models import Issue
from cunshe.issueboard.services import issue_raise
from cunshe.people.models import Person
from cunshe.records.services import Pending, record, record_many
from cunshe.regions.models import Level, Region
from cunshe.surveys.models import (
    TRANSITIONS,
    Channel,
    Choice,
    Holder,
    Kind,
    Post,
    Purpose,
    Question,
    Response,
    Run,
    Status,
    Survey,
    Tally,
    TextAnswer,
    Token,
)
from cunshe.surveys.permissions import holder_policy, run_policy, survey_policy, text_policy

MAX_QUESTIONS = 40
MAX_CHOICES = 12
MAX_SCALE = 10
MAX_TOKENS = 500  # one batch of QR slips: a village's households, not a flood
MAX_PAPERS = 100_000
MAX_TEXT = 500
SURVEY_ISSUE_DAYS = 30


@dataclass
class QuestionSpec:
    """A question as given: for a choice question its options, for a scale its top score (optional labels per
    point, lowest first), nothing more for free text."""

    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    scale_max: int | None = None


def _specs(questions: Sequence[Mapping[str, Any] | QuestionSpec]) -> tuple[list[QuestionSpec], list[str]]:
    specs: list[QuestionSpec] = []
    problems: list[str] = []
    if not questions:
        return [], ["请至少设置一道题目。"]
    if len(questions) > MAX_QUESTIONS:
        return [], [f"题目不超过 {MAX_QUESTIONS} 道。"]
    for n, q in enumerate(questions, start=1):
        if isinstance(q, QuestionSpec):
            spec = q
        else:
            raw_max = q.get("scale_max")
            spec = QuestionSpec(
                kind=str(q.get("kind") or ""),
                text=str(q.get("text") or ""),
                choices=[str(c) for c in q.get("choices") or []],
                scale_max=int(str(raw_max)) if str(raw_max or "").isdigit() else None,
            )
        spec.text = clean_text(spec.text)
        spec.choices = [clean_text(c) for c in spec.choices if clean_text(c)]
        if spec.kind not in Kind.values:
            problems.append(f"第 {n} 题：请选择题型。")
        if not spec.text or len(spec.text) > 200:
            problems.append(f"第 {n} 题：请填写题目（不超过 200 字）。")
        if spec.kind in (Kind.SINGLE, Kind.MULTIPLE):
            if not 2 <= len(spec.choices) <= MAX_CHOICES:
                problems.append(f"第 {n} 题：选择题须有 2 至 {MAX_CHOICES} 个选项。")
            elif len(set(spec.choices)) != len(spec.choices) or any(len(c) > 100 for c in spec.choices):
                problems.append(f"第 {n} 题：选项不能重复，每项不超过 100 字。")
        if spec.kind == Kind.SCALE:
            if spec.scale_max is None or not 2 <= spec.scale_max <= MAX_SCALE:
                problems.append(f"第 {n} 题：打分题的最高分须为 2 至 {MAX_SCALE}。")
            elif spec.choices and len(spec.choices) != spec.scale_max:
                problems.append(f"第 {n} 题：打分题的说明须逐分填写（共 {spec.scale_max} 项），或不填。")
        specs.append(spec)
    return specs, problems


def _save_questions(survey: Survey, specs: list[QuestionSpec]) -> None:
    for n, spec in enumerate(specs, start=1):
        question = Question.objects.create(
            survey=survey,
            position=n,
            kind=spec.kind,
            text=spec.text,
            scale_max=spec.scale_max if spec.kind == Kind.SCALE else None,
        )
        if spec.kind == Kind.SCALE:
            assert spec.scale_max is not None
            labels = spec.choices or [f"{i} 分" for i in range(1, spec.scale_max + 1)]
            rows = [
                Choice(question=question, position=i, label=labels[i - 1], score=i) for i in range(1, len(labels) + 1)
            ]
        else:
            rows = [Choice(question=question, position=i, label=c) for i, c in enumerate(spec.choices, start=1)]
        Choice.objects.bulk_create(rows)


def _spec_of(question: Question) -> QuestionSpec:
    return QuestionSpec(
        kind=question.kind,
        text=question.text,
        choices=[c.label for c in question.choices.all()],
        scale_max=question.scale_max,
    )


def _check_header(
    *, region: Region | None, title: str, purpose: str, post: str, year: int, intro: str, previous: Survey | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title or len(title) > 100:
        errors["title"] = ["请填写问卷名称（不超过 100 字）。"]
    if purpose not in Purpose.values:
        errors["purpose"] = ["请选择类型。"]
    elif purpose == Purpose.SATISFACTION and post not in Post.values:
        errors["post"] = ["满意度测评须选择测评对象（第一书记、联村民警或民生代办员）。"]
    elif purpose == Purpose.OPINION and post:
        errors["post"] = ["民意调查没有测评对象。"]
    if not 2000 <= year <= 2100:
        errors["year"] = ["请填写年度。"]
    if len(intro) > 300:
        errors["intro"] = ["说明不超过 300 字。"]
    if previous is not None and region is not None:
        if (previous.purpose, previous.post, previous.region_id) != (purpose, post, region.code):
            errors["previous"] = ["对比的上年度测评须为同一单位、同一测评对象的满意度测评。"]
        elif previous.year >= year:
            errors["previous"] = ["对比的测评须早于本年度。"]
        elif previous.status != Status.CLOSED:
            errors["previous"] = ["对比的测评须已结束。"]
    return errors


@transaction.atomic
def survey_create(
    *,
    actor: Actor,
    region_code: str,
    title: str,
    purpose: str,
    year: int,
    questions: Sequence[Mapping[str, Any] | QuestionSpec],
    post: str = "",
    intro: str = "",
    previous: Survey | None = None,
) -> Survey:
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.TOWN)).first()
    if region is None:
        raise DomainError("问卷由县(市、区)或乡镇(街道)发起。", {"region": ["须为县(市、区)或乡镇(街道)。"]})
    survey_policy.check_in_region(actor, "change", region.code)
    title, intro, post = clean_text(title), clean_text(intro), clean_text(post)
    errors = _check_header(
        region=region, title=title, purpose=purpose, post=post, year=year, intro=intro, previous=previous
    )
    specs, problems = _specs(questions)
    if problems:
        errors["questions"] = problems
    if purpose == Purpose.SATISFACTION and not problems and not any(s.kind == Kind.SCALE for s in specs):
        errors["questions"] = ["满意度测评须至少有一道打分题（得分由打分题计算）。"]
    if errors:
        raise DomainError("问卷有误，未保存。", errors)
    survey = Survey.objects.create(
        region=region,
        series=uuid.uuid4().hex,
        title=title,
        purpose=purpose,
        post=post,
        year=year,
        intro=intro,
        previous=previous,
    )
    _save_questions(survey, specs)
    record(
        actor=actor,
        region_code=region.code,
        event="surveys.created",
        summary=f"{region.name}拟定问卷：{title}（{survey.get_purpose_display()}，{len(specs)} 题）",
        obj=survey,
        after={
            "问卷名称": title,
            "类型": survey.get_purpose_display(),
            "测评对象": survey.get_post_display(),
            "题数": len(specs),
        },
    )
    return survey


@transaction.atomic
def survey_edit(
    *,
    actor: Actor,
    survey: Survey,
    title: str,
    intro: str,
    questions: Sequence[Mapping[str, Any] | QuestionSpec],
    expected_version: int | None,
) -> Survey:
    """A draft's title, note and questions; an opened form is fixed (a change is survey_revise)."""
    survey_policy.check(actor, "change", survey)
    if survey.status != Status.DRAFT:
        raise DomainError("问卷已开始调查，不能修改；如需调整请另起新版本。")
    title, intro = clean_text(title), clean_text(intro)
    errors = _check_header(
        region=survey.region,
        title=title,
        purpose=survey.purpose,
        post=survey.post,
        year=survey.year,
        intro=intro,
        previous=survey.previous,
    )
    specs, problems = _specs(questions)
    if problems:
        errors["questions"] = problems
    if errors:
        raise DomainError("问卷有误，未保存。", errors)
    bump_version(survey, expected_version=expected_version)
    before = {"问卷名称": survey.title, "题数": survey.questions.count()}
    survey.title, survey.intro = title, intro
    survey.save(update_fields=["title", "intro"])
    Choice.objects.filter(question__survey=survey).delete()
    survey.questions.all().delete()
    _save_questions(survey, specs)
    record(
        actor=actor,
        region_code=survey.region_id,
        event="surveys.edited",
        summary=f"修改问卷草稿：{title}",
        obj=survey,
        before=before,
        after={"问卷名称": title, "题数": len(specs)},
    )
    return survey


@transaction.atomic
def survey_revise(*, actor: Actor, survey: Survey) -> Survey:
    """A new version of the form (a draft with the same questions to change); the old one keeps its answers."""
    survey_policy.check(actor, "change", survey)
    if survey.status == Status.DRAFT:
        raise DomainError("草稿可以直接修改，无需另起新版本。")
    latest = Survey.objects.filter(series=survey.series).order_by("-number").first()
    assert latest is not None
    if latest.status == Status.DRAFT:
        raise DomainError(f"该问卷已有未开始的新版本（第{latest.number}版），请修改它。")
    new = Survey.objects.create(
        region_id=survey.region_id,
        series=survey.series,
        number=latest.number + 1,
        title=survey.title,
        purpose=survey.purpose,
        post=survey.post,
        year=survey.year,
        intro=survey.intro,
        previous=survey.previous,
    )
    _save_questions(new, [_spec_of(q) for q in survey.questions.prefetch_related("choices")])
    record(
        actor=actor,
        region_code=survey.region_id,
        event="surveys.revised",
        summary=f"问卷另起新版本：{survey.title}（第{new.number}版）",
        obj=new,
        after={"版本": new.number, "来自版本": survey.number},
    )
    return new


def current_holders(village_codes: Sequence[str], post: str, on: date) -> dict[str, int]:
    """Village → person id of who held `post` there on the day (the satisfaction survey's subject).

    The police officer and the agent are read from this module's Holder rows. The first secretary of a village with
    a first-secretary posting (app `firstsecretaries`) current on the day is the person that posting is linked to
    (`Posting.person`, chosen on the posting's form); a posting not linked scores nobody there rather than someone
    else (a name is never matched). Villages without a posting keep their Holder row."""
    rows = Holder.objects.filter(village_id__in=village_codes, post=post, since__lte=on).exclude(until__lt=on)
    found = dict(rows.values_list("village_id", "person_id"))
    if post != Post.FIRST_SECRETARY:
        return found
    from cunshe.firstsecretaries.models import Posting

    postings = (
        Posting.objects.filter(village_id__in=village_codes, started_on__lte=on)
        .exclude(ended_on__lt=on)
        .order_by("village_id", "started_on", "id")
        .values_list("village_id", "person_id")
    )
    for village, person_id in dict(postings).items():  # the latest posting of a village wins
        if person_id is None:
            found.pop(village, None)
        else:
            found[village] = person_id
    return found


def _move(actor: Actor, survey: Survey, to: str, expected_version: int | None) -> str:
    survey_policy.check(actor, "change", survey)
    return move(survey, to, table=TRANSITIONS, labels=Status, what="问卷", expected_version=expected_version)


@transaction.atomic
def survey_open(
    *,
    actor: Actor,
    survey: Survey,
    expected_version: int | None,
    villages: Sequence[str] | None = None,
    on: date | None = None,
) -> Survey:
    """Open the form in the villages under its region (or the ones named); a satisfaction survey takes each
    village's holder of the post on the opening day as the one it scores. An earlier open version of the form
    closes. `on`: the opening day when it is recorded afterwards (never later than today)."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise DomainError("开始日期不能晚于今天。", {"on": ["开始日期不能晚于今天。"]})
    under = survey.region_id
    chosen = Region.objects.filter(code__startswith=under, level=Level.VILLAGE)
    if villages:
        wanted = sorted(set(villages))
        chosen = chosen.filter(code__in=wanted)
        if chosen.count() != len(wanted):
            raise DomainError("所选村(社区)须在发起单位辖区内。", {"villages": ["有村(社区)不在辖区内。"]})
    codes = list(chosen.order_by("code").values_list("code", flat=True))
    if not codes:
        raise DomainError("辖区内没有村(社区)。")
    before = _move(actor, survey, Status.OPEN, expected_version)
    survey.opened_on = on
    survey.save(update_fields=["status", "opened_on"])
    subjects = current_holders(codes, survey.post, on) if survey.purpose == Purpose.SATISFACTION else {}
    Run.objects.bulk_create(Run(survey=survey, village_id=c, subject_id=subjects.get(c)) for c in codes)
    record(
        actor=actor,
        region_code=survey.region_id,
        event="surveys.opened",
        summary=f"问卷开始调查：{survey}，{len(codes)} 个村(社区)",
        obj=survey,
        before={"状态": before},
        after={"状态": survey.get_status_display(), "村(社区)数": len(codes), "开始日期": on},
    )
    for older in Survey.objects.filter(series=survey.series, status=Status.OPEN).exclude(pk=survey.pk):
        survey_close(actor=actor, survey=older, expected_version=older.version, on=on)
    return survey


@transaction.atomic
def survey_close(*, actor: Actor, survey: Survey, expected_version: int | None, on: date | None = None) -> Survey:
    on = on or timezone.localdate()
    if on > timezone.localdate() or (survey.opened_on and on < survey.opened_on):
        raise DomainError("结束日期须在开始日期和今天之间。", {"on": ["结束日期须在开始日期和今天之间。"]})
    before = _move(actor, survey, Status.CLOSED, expected_version)
    survey.closed_on = on
    survey.save(update_fields=["status", "closed_on"])
    record(
        actor=actor,
        region_code=survey.region_id,
        event="surveys.closed",
        summary=f"问卷结束调查：{survey}",
        obj=survey,
        before={"状态": before},
        after={"状态": survey.get_status_display(), "结束日期": survey.closed_on},
    )
    return survey


def _check_enter(actor: Actor, run: Run) -> None:
    """Entering answers: the village's staff for an opinion survey; a satisfaction survey's from the town up, since
    the village's cadres and first secretary would be entering scores of their own colleagues or themselves."""
    action = "manage" if run.survey.purpose == Purpose.SATISFACTION else "enter"
    run_policy.check(
        actor,
        action,
        run,
        message="满意度测评由乡镇(街道)以上录入，村(社区)不能代录。"
        if action == "manage"
        else "您的角色无权执行此操作。",
    )
    if run.survey.status != Status.OPEN:
        raise DomainError(f"问卷{run.survey.get_status_display()}，不能录入。")


def _questions(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").order_by("position"))


def _set_tallies(run: Run, counts: Mapping[int, tuple[int, int]], *, column: str) -> None:
    """counts: choice id → (question id, n). `single` adds n (one-by-one answers); `paper` sets it (the latest
    paper totals replace the earlier ones)."""
    rows = Tally.objects.filter(survey_id=run.survey_id, village_id=run.village_id)
    existing = set(rows.filter(choice_id__in=counts).values_list("choice_id", flat=True))
    Tally.objects.bulk_create(
        Tally(survey_id=run.survey_id, village_id=run.village_id, question_id=q, choice_id=c)
        for c, (q, _) in counts.items()
        if c not in existing
    )
    for c, (_, n) in counts.items():
        rows.filter(choice_id=c).update(**{column: F(column) + n if column == "single" else n})


def check_answers(
    questions: list[Question], answers: Mapping[str, Any]
) -> tuple[list[tuple[Question, Choice]], list[tuple[Question, str]], dict[str, list[str]]]:
    """One answered form: every choice and scale question answered (a multiple choice at least once), choices of
    that question only, free text optional and short. Keys are question ids (as text, the way JSON and forms give
    them); values a choice id, a list of choice ids, or text."""
    chosen: list[tuple[Question, Choice]] = []
    texts: list[tuple[Question, str]] = []
    errors: dict[str, list[str]] = {}
    known = {str(q.pk) for q in questions}
    if unknown := [k for k in answers if str(k) not in known]:
        errors["answers"] = [f"题目 {', '.join(map(str, unknown))} 不在本问卷中。"]
    for q in questions:
        value = answers.get(str(q.pk), answers.get(q.pk))  # type: ignore[call-overload]
        key = f"q{q.pk}"
        if q.kind == Kind.TEXT:
            text = clean_text(value if isinstance(value, str) else "")
            if len(text) > MAX_TEXT:
                errors[key] = [f"第 {q.position} 题：意见不超过 {MAX_TEXT} 字。"]
            elif text:
                texts.append((q, text))
            continue
        ids = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        try:
            picked = {int(i) for i in ids}
        except (TypeError, ValueError):
            errors[key] = [f"第 {q.position} 题：选项无效。"]
            continue
        by_id = {c.pk: c for c in q.choices.all()}
        if not picked:
            errors[key] = [f"第 {q.position} 题：请作答。"]
        elif not picked <= by_id.keys():
            errors[key] = [f"第 {q.position} 题：选项不属于本题。"]
        elif q.kind != Kind.MULTIPLE and len(picked) > 1:
            errors[key] = [f"第 {q.position} 题：只能选一项。"]
        else:
            chosen += [(q, by_id[i]) for i in sorted(picked)]
    return chosen, texts, errors


def _save_response(
    *, actor: Actor, run: Run, channel: str, answers: Mapping[str, Any], token: Token | None = None
) -> Response:
    chosen, texts, errors = check_answers(_questions(run.survey), answers)
    if errors:
        raise DomainError("问卷未填写完整，未提交。", errors)
    response = Response.objects.create(
        run=run,
        village_id=run.village_id,
        channel=channel,
        token=token,
        choices=[c.pk for _, c in chosen],
        entered_by=user_of(actor),
    )
    counts: dict[int, tuple[int, int]] = {}
    for q, c in chosen:
        counts[c.pk] = (q.pk, counts.get(c.pk, (q.pk, 0))[1] + 1)
    _set_tallies(run, counts, column="single")
    TextAnswer.objects.bulk_create(
        TextAnswer(survey_id=run.survey_id, run=run, village_id=run.village_id, question=q, text=t, channel=channel)
        for q, t in texts
    )
    Run.objects.filter(pk=run.pk).update(responses=F("responses") + 1)
    record(
        actor=actor,
        region_code=run.village_id,
        event="surveys.answered",
        summary=f"{run.survey.title}：{run.village.name}答卷 1 份（{response.get_channel_display()}）",
        obj=response,
        after={"方式": response.get_channel_display(), "选项数": len(chosen), "文字意见": len(texts)},
    )
    return response


@transaction.atomic
def response_enter(*, actor: Actor, run: Run, answers: Mapping[str, Any]) -> Response:
    """A form answered to a staff member (a visit, a phone call), entered by them."""
    run = Run.objects.select_related("survey", "village").get(pk=run.pk)
    _check_enter(actor, run)
    return _save_response(actor=actor, run=run, channel=Channel.STAFF, answers=answers)


def token_open(code: str) -> Token:
    """The token behind a public link, for the page: unknown, used or closed links are one neutral 404."""
    token = (
        Token.objects.select_related("run__survey", "run__village")
        .filter(code=code, used_at__isnull=True, run__survey__status=Status.OPEN)
        .first()
    )
    if token is None:
        raise Http404("链接无效、已使用或调查已结束。")
    return token


@transaction.atomic
def response_submit(*, code: str, answers: Mapping[str, Any]) -> Response:
    """A resident's own answer through their QR link, without an account: one answer per link. The claim on the
    token row is the guard — of two submissions of one link exactly one gets it. Recorded as the system (the
    resident is anonymous by design)."""
    token = token_open(code)
    claimed = Token.objects.filter(pk=token.pk, used_at__isnull=True).update(used_at=timezone.now())
    if claimed != 1:
        raise Http404("链接无效、已使用或调查已结束。")
    return _save_response(actor=SYSTEM, run=token.run, channel=Channel.QR, answers=answers, token=token)


@transaction.atomic
def tokens_issue(*, actor: Actor, run: Run, count: int) -> list[Token]:
    """A batch of single-use links for the village, printed as QR slips and handed to households."""
    run = Run.objects.select_related("survey", "village").get(pk=run.pk)
    _check_enter(actor, run)
    if not 1 <= count <= MAX_TOKENS:
        raise DomainError("份数有误。", {"count": [f"每批 1 至 {MAX_TOKENS} 份。"]})
    batch = (Token.objects.filter(run=run).order_by("-batch").values_list("batch", flat=True).first() or 0) + 1
    tokens = Token.objects.bulk_create(
        Token(run=run, batch=batch, code=secrets.token_urlsafe(18)) for _ in range(count)
    )
    record(
        actor=actor,
        region_code=run.village_id,
        event="surveys.tokens_issued",
        summary=f"{run.survey.title}：{run.village.name}发放扫码问卷第 {batch} 批 {count} 份",
        obj=run,
        after={"批次": batch, "份数": count},
    )
    return tokens


def check_paper(
    questions: list[Question], papers: int, totals: Mapping[str, Mapping[str, int]], texts: Mapping[str, Sequence[str]]
) -> tuple[dict[int, tuple[int, int]], list[tuple[Question, str]], dict[str, list[str]]]:
    """Paper totals of one village: `totals` question id → choice id → count, `texts` question id → the free-text
    opinions copied from the papers. No count below zero; a single choice's or a scale's counts together, each of
    a multiple choice's, and the texts of a question at most the papers counted."""
    errors: dict[str, list[str]] = {}
    counts: dict[int, tuple[int, int]] = {}
    kept: list[tuple[Question, str]] = []
    if not 0 <= papers <= MAX_PAPERS:
        errors["papers"] = [f"纸质问卷份数须为 0 至 {MAX_PAPERS}。"]
        return counts, kept, errors
    by_id = {str(q.pk): q for q in questions}
    if unknown := [k for k in [*totals, *texts] if str(k) not in by_id]:
        errors["totals"] = [f"题目 {', '.join(map(str, unknown))} 不在本问卷中。"]
    for key, given in totals.items():
        q = by_id.get(str(key))
        if q is None:
            continue
        if q.kind == Kind.TEXT:
            errors[f"q{q.pk}"] = [f"第 {q.position} 题是文字题，请录入意见原文。"]
            continue
        choices = {str(c.pk): c for c in q.choices.all()}
        problems = []
        n_sum = 0
        for cid, n in given.items():
            if str(cid) not in choices:
                problems.append(f"选项 {cid} 不属于本题")
            elif not isinstance(n, int) or n < 0:
                problems.append(f"“{choices[str(cid)].label}”的份数须为不小于 0 的整数")
            elif q.kind == Kind.MULTIPLE and n > papers:
                problems.append(f"“{choices[str(cid)].label}”选了 {n} 份，超过问卷 {papers} 份")
            else:
                n_sum += n
                if n:
                    counts[choices[str(cid)].pk] = (q.pk, n)
        if not problems and q.kind != Kind.MULTIPLE and n_sum > papers:
            problems.append(f"各选项合计 {n_sum} 份，超过问卷 {papers} 份")
        if problems:
            errors[f"q{q.pk}"] = [f"第 {q.position} 题：{'；'.join(problems)}。"]
    for key, lines in texts.items():
        q = by_id.get(str(key))
        if q is None:
            continue
        cleaned = [clean_text(t) for t in lines if clean_text(t)]
        if q.kind != Kind.TEXT:
            errors[f"q{q.pk}"] = [f"第 {q.position} 题不是文字题。"]
        elif len(cleaned) > papers:
            errors[f"q{q.pk}"] = [f"第 {q.position} 题：意见 {len(cleaned)} 条，超过问卷 {papers} 份。"]
        elif any(len(t) > MAX_TEXT for t in cleaned):
            errors[f"q{q.pk}"] = [f"第 {q.position} 题：每条意见不超过 {MAX_TEXT} 字。"]
        else:
            kept += [(q, t) for t in cleaned]
    return counts, kept, errors


@transaction.atomic
def paper_enter(
    *,
    actor: Actor,
    run: Run,
    papers: int,
    totals: Mapping[str, Mapping[str, int]],
    texts: Mapping[str, Sequence[str]] | None = None,
    expected_version: int | None,
) -> Run:
    """The village's paper totals, entered as a whole: they replace what was entered before (a recount corrects,
    never adds twice). Paper opinions already turned into issues stay."""
    run = Run.objects.select_related("survey", "village").get(pk=run.pk)
    _check_enter(actor, run)
    counts, kept, errors = check_paper(_questions(run.survey), papers, totals, texts or {})
    if errors:
        raise DomainError("纸质问卷汇总有误，未保存。", errors)
    bump_version(run, expected_version=expected_version)
    before = {"纸质问卷份数": run.papers}
    Tally.objects.filter(survey_id=run.survey_id, village_id=run.village_id).update(paper=0)
    _set_tallies(run, counts, column="paper")
    TextAnswer.objects.filter(run=run, channel=Channel.PAPER, issue__isnull=True).delete()
    raised = {(t.question_id, t.text) for t in TextAnswer.objects.filter(run=run, channel=Channel.PAPER)}
    TextAnswer.objects.bulk_create(
        TextAnswer(
            survey_id=run.survey_id, run=run, village_id=run.village_id, question=q, text=t, channel=Channel.PAPER
        )
        for q, t in kept
        if (q.pk, t) not in raised
    )
    run.papers = papers
    run.save(update_fields=["papers"])
    record(
        actor=actor,
        region_code=run.village_id,
        event="surveys.paper_entered",
        summary=f"{run.survey.title}：{run.village.name}纸质问卷 {papers} 份汇总录入",
        obj=run,
        before=before,
        after={"纸质问卷份数": papers, "选项计数": sum(n for _, n in counts.values()), "文字意见": len(kept)},
    )
    return run


@transaction.atomic
def text_raise(*, actor: Actor, answer: TextAnswer, title: str = "", owner: str, due_on: date | None = None) -> Issue:
    """Turn a free-text opinion into an issue on the village's board (once), by a staff member's decision."""
    text_policy.check(actor, "raise", answer)
    answer = TextAnswer.objects.select_related("survey", "village").get(pk=answer.pk)
    if answer.issue_id is not None:
        raise DomainError("该意见已转为问题清单。")
    title = clean_text(title) or answer.text[:200]
    issue = issue_raise(
        actor=actor,
        village_code=answer.village_id,
        title=title,
        owner=clean_text(owner),
        due_on=due_on or timezone.localdate() + timedelta(days=SURVEY_ISSUE_DAYS),
        detail=f"来自{answer.survey.get_purpose_display()}《{answer.survey.title}》（{answer.get_channel_display()}）：{answer.text}",
    )
    claimed = TextAnswer.objects.filter(pk=answer.pk, issue__isnull=True).update(issue=issue)
    if claimed != 1:
        raise DomainError("该意见已转为问题清单。")
    record(
        actor=actor,
        region_code=answer.village_id,
        event="surveys.text_raised",
        summary=f"{answer.survey.title}：{answer.village.name}的文字意见转为问题：{issue.title}",
        obj=answer,
        after={"问题": issue.title, "责任人": issue.owner, "办结时限": issue.due_on},
    )
    return issue


@transaction.atomic
def holder_assign(*, actor: Actor, village_code: str, post: str, person: Person, since: date, unit: str = "") -> Holder:
    """Who holds one of the three posts in a village from `since`; the previous holder's row ends that day."""
    holder_policy.check_in_region(actor, "change", village_code, missing="未找到该村(社区)。")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise DomainError("须为村(社区)。", {"village": ["须为村(社区)。"]})
    unit = clean_text(unit)
    errors: dict[str, list[str]] = {}
    if post not in Post.values:
        errors["post"] = ["请选择岗位（第一书记、联村民警或民生代办员）。"]
    if since > timezone.localdate():
        errors["since"] = ["到岗日期不能晚于今天。"]
    if len(unit) > 100:
        errors["unit"] = ["单位不超过 100 字。"]
    current = (
        Holder.objects.filter(village_id=village_code, post=post, until__isnull=True).select_related("person").first()
    )
    if current is not None and not errors:
        if current.person_id == person.pk:
            errors["person"] = [f"{person.name} 已是该村(社区)的{current.get_post_display()}。"]
        elif since <= current.since:
            errors["since"] = [f"到岗日期须晚于前任到岗日期（{current.since:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("三个全覆盖人员有误，未保存。", errors)
    entries: list[Pending] = []
    if current is not None:
        current.until = since
        current.save(update_fields=["until"])
        entries.append(
            Pending(
                region_code=village_code,
                event="surveys.holder_ended",
                summary=f"{village.name}{current.get_post_display()} {current.person.name} 离岗（{since:%Y-%m-%d}）",
                obj=current,
                after={"离岗日期": since},
            )
        )
    holder = Holder.objects.create(village=village, post=post, person=person, unit=unit, since=since)
    entries.append(
        Pending(
            region_code=village_code,
            event="surveys.holder_assigned",
            summary=f"{village.name}{holder.get_post_display()}：{person.name}（{since:%Y-%m-%d} 起）",
            obj=holder,
            after={"岗位": holder.get_post_display(), "人员": person.name, "单位": unit, "到岗日期": since},
        )
    )
    record_many(actor=actor, entries=entries)
    return holder
