"""Every write of 双评三考: open an appraisal for a village's key person, the self-assessment and the residents'
ratings (paper totals or one by one), the minister's inquiry, the law question bank (by hand or Excel, all rows or
none, a re-import changes nothing, an edited export corrects the questions no paper drew yet), papers drawn and
scored against the dated pass mark, the special inspection's report, and the problems found by kind (counted per
town and county; a serious one referred to the negative list). The record book is read in the village, so its
summaries say what was done, never what was found."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cunshe.appraisals.models import (
    Appraisal,
    Grade,
    Inquiry,
    InquiryGrade,
    Inspection,
    Paper,
    PaperItem,
    Post,
    Problem,
    ProblemKind,
    ProblemTally,
    Question,
    QuestionKind,
    RatingLevel,
    exam_rule_on,
)
from cunshe.appraisals.permissions import (
    appraisal_policy,
    paper_policy,
    problem_policy,
    question_policy,
)
from cunshe.core.actors import Actor
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.core.text import clean_text
from cunshe.people.models import Person
from cunshe.records.services import record
from cunshe.regions.models import Level, Region

LETTERS = "ABCDEFGH"
TRUE_FALSE = ("对", "错")
OPTION_BREAKS = ("\n", "\r", "|", "｜")


def _not_future(day: date, field: str, errors: dict[str, list[str]], label: str) -> None:
    if day > timezone.localdate():
        errors[field] = [f"{label}不能晚于今天。"]


@transaction.atomic
def appraisal_open(*, actor: Actor, person: Person, post: str, opened_on: date) -> Appraisal:
    appraisal_policy.check_in_region(actor, "change", person.region_id, missing="未找到该人员。")
    errors: dict[str, list[str]] = {}
    if post not in Post.values:
        errors["post"] = ["请选择考察对象类别。"]
    _not_future(opened_on, "opened_on", errors, "启动日期")
    if Appraisal.objects.filter(person=person, opened_on=opened_on).exists():
        errors["person"] = ["该人员在同一天已建立考察档案。"]
    if errors:
        raise DomainError("考察对象有误，未保存。", errors)
    a = Appraisal.objects.create(region_id=person.region_id, person=person, post=post, opened_on=opened_on)
    record(
        actor=actor,
        region_code=a.region_id,
        event="appraisals.opened",
        summary=f"为 {person.name} 建立双评三考档案（{a.get_post_display()}）",
        obj=a,
        after={"人员": person.name, "类别": a.get_post_display(), "启动日期": opened_on},
    )
    return a


@transaction.atomic
def self_assess(
    *, actor: Actor, appraisal: Appraisal, grade: str, summary: str, written_on: date, expected_version: int | None
) -> Appraisal:
    """自评: the short form the person fills in (entered by the town from the paper form)."""
    appraisal_policy.check(actor, "change", appraisal)
    summary = clean_text(summary)
    errors: dict[str, list[str]] = {}
    if grade not in Grade.values:
        errors["grade"] = ["请选择自评等次。"]
    if not summary or len(summary) > 2000:
        errors["summary"] = ["请填写自评情况（不超过 2000 字）。"]
    _not_future(written_on, "written_on", errors, "自评日期")
    a = Appraisal.objects.select_related("person").get(pk=appraisal.pk)
    if written_on < a.opened_on:
        errors["written_on"] = [f"自评日期不能早于启动日期（{a.opened_on:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("自评有误，未保存。", errors)
    bump_version(a, expected_version=expected_version)
    a.self_grade, a.self_summary, a.self_on = grade, summary, written_on
    a.save(update_fields=["self_grade", "self_summary", "self_on", "version"])
    record(
        actor=actor,
        region_code=a.region_id,
        event="appraisals.self_assessed",
        summary=f"{a.person.name} 完成自评（{written_on:%Y-%m-%d}）",
        obj=a,
    )
    return a


@transaction.atomic
def ratings_set(
    *, actor: Actor, appraisal: Appraisal, satisfied: int, basic: int, unsatisfied: int, expected_version: int | None
) -> Appraisal:
    """群众评 from paper: the totals per level replace what was entered."""
    appraisal_policy.check(actor, "change", appraisal)
    counts = {"satisfied": satisfied, "basic": basic, "unsatisfied": unsatisfied}
    errors = {k: ["请填写不小于 0 的整数。"] for k, v in counts.items() if not isinstance(v, int) or v < 0}
    if errors:
        raise DomainError("群众评价票数有误，未保存。", errors)
    a = Appraisal.objects.select_related("person").get(pk=appraisal.pk)
    before = {"满意": a.satisfied, "基本满意": a.basic, "不满意": a.unsatisfied}
    bump_version(a, expected_version=expected_version)
    a.satisfied, a.basic, a.unsatisfied = satisfied, basic, unsatisfied
    a.save(update_fields=["satisfied", "basic", "unsatisfied", "version"])
    record(
        actor=actor,
        region_code=a.region_id,
        event="appraisals.ratings_set",
        summary=f"录入 {a.person.name} 的群众评价票数（共 {a.ratings} 票）",
        obj=a,
        before=before,
        after={"满意": satisfied, "基本满意": basic, "不满意": unsatisfied},
    )
    return a


@transaction.atomic
def rating_add(*, actor: Actor, appraisal: Appraisal, level: str) -> Appraisal:
    """群众评 one by one: one resident's rating added to its level (no version: ratings only add up)."""
    appraisal_policy.check(actor, "change", appraisal)
    if level not in RatingLevel.values:
        raise DomainError("请选择评价等次。", {"level": ["须为满意、基本满意或不满意。"]})
    Appraisal.objects.filter(pk=appraisal.pk).update(**{level: F(level) + 1})
    a = Appraisal.objects.select_related("person").get(pk=appraisal.pk)
    record(
        actor=actor,
        region_code=a.region_id,
        event="appraisals.rating_added",
        summary=f"录入 {a.person.name} 的一张群众评价票",
        obj=a,
    )
    return a


@transaction.atomic
def inquiry_record(
    *,
    actor: Actor,
    appraisal: Appraisal,
    held_on: date,
    inquirer: str,
    questions: str,
    assessment: str,
    grade: str,
) -> Inquiry:
    """部长问询考: the interview, what was asked and the assessment."""
    appraisal_policy.check(actor, "change", appraisal)
    inquirer, questions, assessment = clean_text(inquirer), clean_text(questions), clean_text(assessment)
    errors: dict[str, list[str]] = {}
    if not inquirer or len(inquirer) > 50:
        errors["inquirer"] = ["请填写问询人（不超过 50 字）。"]
    if not questions:
        errors["questions"] = ["请填写问询内容。"]
    if not assessment:
        errors["assessment"] = ["请填写评价意见。"]
    if grade not in InquiryGrade.values:
        errors["grade"] = ["请选择评价等次。"]
    _not_future(held_on, "held_on", errors, "问询日期")
    if held_on < appraisal.opened_on:
        errors["held_on"] = [f"问询日期不能早于启动日期（{appraisal.opened_on:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("问询记录有误，未保存。", errors)
    inquiry = Inquiry.objects.create(
        appraisal=appraisal,
        region_id=appraisal.region_id,
        held_on=held_on,
        inquirer=inquirer,
        questions=questions,
        assessment=assessment,
        grade=grade,
    )
    record(
        actor=actor,
        region_code=appraisal.region_id,
        event="appraisals.inquired",
        summary=f"{appraisal.person.name} 参加部长问询考（{held_on:%Y-%m-%d}）",
        obj=inquiry,
    )
    return inquiry


def _question_errors(kind: str, text: str, options: list[str], answer: str) -> list[str]:
    if kind not in QuestionKind.values:
        return ["题型须为单选题、多选题或判断题。"]
    if not text or len(text) > 300:
        return ["请填写题目（不超过 300 字）。"]
    if kind == QuestionKind.TRUE_FALSE:
        return [] if answer in TRUE_FALSE else ["判断题的答案须为“对”或“错”。"]
    if not 2 <= len(options) <= len(LETTERS) or any(not o or len(o) > 100 for o in options):
        return [f"选择题须有 2 至 {len(LETTERS)} 个选项（每项不超过 100 字）。"]
    if any(mark in o for o in options for mark in OPTION_BREAKS):
        # the bank's Excel keeps the options in one cell split on these: an option holding one would come back as two
        return ["选项中不能有换行或“|”“｜”。"]
    letters = LETTERS[: len(options)]
    if not answer or any(c not in letters for c in answer) or len(set(answer)) != len(answer):
        return [f"答案须为选项字母（{letters[0]}-{letters[-1]}）。"]
    if kind == QuestionKind.SINGLE and len(answer) != 1:
        return ["单选题只有一个答案。"]
    if kind == QuestionKind.MULTIPLE and len(answer) < 2:
        return ["多选题至少两个答案。"]
    return []


def normalise_answer(kind: str, answer: str) -> str:
    answer = "".join((answer or "").split()).upper()
    return answer if kind == QuestionKind.TRUE_FALSE else "".join(sorted(set(answer)))


def _bank_region(region_code: str) -> Region:
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.TOWN)).first()
    if region is None:
        raise DomainError("题库属于县(市、区)或乡镇(街道)。", {"region": ["须为县(市、区)或乡镇(街道)。"]})
    return region


@transaction.atomic
def question_add(*, actor: Actor, region_code: str, kind: str, text: str, options: list[str], answer: str) -> Question:
    region = _bank_region(region_code)
    question_policy.check_in_region(actor, "change", region.code)
    text, options = clean_text(text), [clean_text(o) for o in options if clean_text(o)]
    if kind == QuestionKind.TRUE_FALSE:
        options = []
    answer = normalise_answer(kind, answer)
    if problems := _question_errors(kind, text, options, answer):
        raise DomainError("题目有误，未保存。", {"text" if "题目" in problems[0] else "answer": problems})
    if Question.objects.filter(region=region, text=text).exists():
        raise DomainError("题库中已有该题目。", {"text": ["题目重复。"]})
    q = Question.objects.create(region=region, kind=kind, text=text, options=options, answer=answer)
    record(
        actor=actor,
        region_code=region.code,
        event="appraisals.question_added",
        summary=f"{region.name}法律法规题库新增{q.get_kind_display()}",
        obj=q,
        after={"题目": text, "答案": answer},
    )
    return q


@transaction.atomic
def paper_draw(*, actor: Actor, appraisal: Appraisal, drawn_on: date, seed: int | None = None) -> Paper:
    """法律法规考: a paper of the rule's size drawn at random from the banks of the person's town and county."""
    appraisal_policy.check(actor, "change", appraisal)
    errors: dict[str, list[str]] = {}
    _not_future(drawn_on, "drawn_on", errors, "考试日期")
    if drawn_on < appraisal.opened_on:
        errors["drawn_on"] = [f"考试日期不能早于启动日期（{appraisal.opened_on:%Y-%m-%d}）。"]
    rule = exam_rule_on(appraisal.region_id, drawn_on)
    if rule is None:
        errors["drawn_on"] = ["该日期没有施行中的法律法规考规则。"]
    bank = list(Question.objects.filter(region__in=(appraisal.region_id[:6], appraisal.region_id[:9])).order_by("pk"))
    if rule is not None and len(bank) < rule.questions:
        errors["drawn_on"] = [f"题库只有 {len(bank)} 题，不足每卷 {rule.questions} 题。"]
    if errors:
        raise DomainError("不能组卷。", errors)
    assert rule is not None
    chooser = random.Random(seed) if seed is not None else random.SystemRandom()
    picked = chooser.sample(bank, rule.questions)
    paper = Paper.objects.create(
        appraisal=appraisal, region_id=appraisal.region_id, rule=rule, drawn_on=drawn_on, total=rule.questions
    )
    PaperItem.objects.bulk_create(PaperItem(paper=paper, question=q, position=i + 1) for i, q in enumerate(picked))
    record(
        actor=actor,
        region_code=appraisal.region_id,
        event="appraisals.paper_drawn",
        summary=f"{appraisal.person.name} 法律法规考组卷（{rule.questions} 题）",
        obj=paper,
    )
    return paper


@transaction.atomic
def paper_submit(*, actor: Actor, paper: Paper, answers: dict[int, str]) -> Paper:
    """Score the answers (keyed by question number): a question counts only when answered exactly; passed when
    the share right reaches the rule's pass mark (以上: the mark itself passes). A paper is scored once."""
    paper_policy.check(actor, "change", paper)
    paper = Paper.objects.select_related("rule", "appraisal__person").select_for_update().get(pk=paper.pk)
    if paper.submitted_at is not None:
        raise DomainError("该试卷已交卷评分，不能再次作答。")
    items = list(paper.items.select_related("question"))
    unknown = sorted(set(answers) - {i.position for i in items})
    if unknown:
        raise DomainError("作答有误，未保存。", {"answers": [f"试卷没有第 {', '.join(map(str, unknown))} 题。"]})
    score = 0
    for item in items:
        item.given = normalise_answer(item.question.kind, answers.get(item.position, ""))[:10]
        item.correct = item.given == item.question.answer
        score += item.correct
    PaperItem.objects.bulk_update(items, ["given", "correct"])
    paper.score, paper.submitted_at = score, timezone.now()
    paper.passed = paper.total > 0 and score * paper.rule.pass_mark.denominator >= (
        paper.rule.pass_mark.numerator * paper.total
    )
    paper.save(update_fields=["score", "submitted_at", "passed"])
    record(
        actor=actor,
        region_code=paper.region_id,
        event="appraisals.paper_scored",
        summary=f"{paper.appraisal.person.name} 法律法规考交卷评分",
        obj=paper,
    )
    return paper


@transaction.atomic
def inspection_write(
    *, actor: Actor, appraisal: Appraisal, inspected_on: date, inspectors: str, findings: str, conclusion: str
) -> Inspection:
    """专项考: the inspection's written report, one per appraisal, kept with the person and the village."""
    appraisal_policy.check(actor, "change", appraisal)
    inspectors, findings, conclusion = clean_text(inspectors), clean_text(findings), clean_text(conclusion)
    errors: dict[str, list[str]] = {}
    if not inspectors or len(inspectors) > 200:
        errors["inspectors"] = ["请填写考察组成员（不超过 200 字）。"]
    if not findings:
        errors["findings"] = ["请填写考察情况。"]
    if not conclusion:
        errors["conclusion"] = ["请填写考察结论。"]
    _not_future(inspected_on, "inspected_on", errors, "考察日期")
    if inspected_on < appraisal.opened_on:
        errors["inspected_on"] = [f"考察日期不能早于启动日期（{appraisal.opened_on:%Y-%m-%d}）。"]
    if Inspection.objects.filter(appraisal=appraisal).exists():
        errors["inspected_on"] = ["该对象的考察报告已形成。"]
    if errors:
        raise DomainError("考察报告有误，未保存。", errors)
    report = Inspection.objects.create(
        appraisal=appraisal,
        region_id=appraisal.region_id,
        inspected_on=inspected_on,
        inspectors=inspectors,
        findings=findings,
        conclusion=conclusion,
    )
    record(
        actor=actor,
        region_code=appraisal.region_id,
        event="appraisals.inspected",
        summary=f"形成 {appraisal.person.name} 的专项考察报告（{inspected_on:%Y-%m-%d}）",
        obj=report,
    )
    return report


def _tally(village: str, kind_id: int, n: int) -> None:
    for region in (village[:9], village[:6]):  # the town's row and the county's
        row, _ = ProblemTally.objects.get_or_create(region_id=region, kind_id=kind_id)
        ProblemTally.objects.filter(pk=row.pk).update(count=F("count") + n)


@transaction.atomic
def problem_add(
    *, actor: Actor, appraisal: Appraisal, kind_code: str, description: str, found_on: date, serious: bool = False
) -> Problem:
    appraisal_policy.check(actor, "change", appraisal)
    description = clean_text(description)
    errors: dict[str, list[str]] = {}
    kind = ProblemKind.objects.in_force(found_on).filter(code=kind_code).order_by("-effective_from").first()
    if kind is None:
        errors["kind"] = [f"请选择 {found_on:%Y-%m-%d} 有效的问题类别。"]
    if not description or len(description) > 300:
        errors["description"] = ["请填写具体问题（不超过 300 字）。"]
    _not_future(found_on, "found_on", errors, "发现日期")
    if found_on < appraisal.opened_on:
        errors["found_on"] = [f"发现日期不能早于启动日期（{appraisal.opened_on:%Y-%m-%d}）。"]
    if errors:
        raise DomainError("问题有误，未保存。", errors)
    assert kind is not None
    problem = Problem.objects.create(
        appraisal=appraisal,
        region_id=appraisal.region_id,
        kind=kind,
        found_on=found_on,
        description=description,
        serious=serious,
    )
    _tally(appraisal.region_id, kind.pk, 1)
    record(
        actor=actor,
        region_code=appraisal.region_id,
        event="appraisals.problem_found",
        summary=f"双评三考登记发现问题 1 个（{kind.name}）",
        obj=problem,
    )
    return problem


@transaction.atomic
def problem_refer(*, actor: Actor, problem: Problem, rule_id: int) -> Problem:
    """A serious problem goes to the negative list as a pending entry under a 十不选 rule, through the negative
    list's own service (which checks that the actor may enter one and that the rule is the county's and in force)."""
    from cunshe.eligibility.models import ExclusionRule
    from cunshe.negativelist.models import Source
    from cunshe.negativelist.permissions import entry_policy
    from cunshe.negativelist.services import entry_add

    # whoever reads the problem and may enter on the negative list (organizers, discipline supervisors) refers it
    problem_policy.check(actor, "view", problem)
    if not entry_policy.can_in_region(actor, "change", problem.region_id):
        # the town sees the problem but not the confidential list: a clear refusal, not the list's neutral 404
        raise NotPermitted("只有县委组织部或纪检监督人员可将问题转入负面清单。")
    problem = Problem.objects.select_related("appraisal__person", "kind").get(pk=problem.pk)
    if not problem.serious:
        raise DomainError("只有严重问题可以转入负面清单。")
    if problem.negative_entry_id is not None:
        raise DomainError("该问题已转入负面清单。")
    entry = entry_add(
        actor=actor,
        person=problem.appraisal.person,
        rule=ExclusionRule.objects.filter(pk=rule_id).first(),
        source=Source.OTHER,
        source_detail="双评三考发现问题",
        found_on=problem.found_on,
        details=f"{problem.kind.name}：{problem.description}",
    )
    problem.negative_entry = entry
    problem.save(update_fields=["negative_entry"])
    record(
        actor=actor,
        region_code=problem.region_id,
        event="appraisals.problem_referred",
        summary="双评三考发现的问题转入负面清单核实",
        obj=problem,
    )
    return problem
