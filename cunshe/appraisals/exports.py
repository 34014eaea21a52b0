"""双评三考 as Excel: the results table (one row per person appraised), a law question bank in the very layout its
import reads (download, edit, upload again), and the town and county roll-up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from django.db import transaction

from cunshe.appraisals.models import Appraisal, PaperItem, Question, QuestionKind
from cunshe.appraisals.permissions import question_policy
from cunshe.appraisals.selectors import Rollup, exact
from cunshe.appraisals.services import _bank_region, _question_errors, normalise_answer
from cunshe.core.actors import Actor
from cunshe.core.text import clean_text
from cunshe.records.services import record
from cunshe.spreadsheets.layout import Column, ImportReport, bad_rows_error, read_rows, write_workbook

RESULT_COLUMNS = [
    Column("村(社区)", "village", width=20),
    Column("姓名", "name", width=10),
    Column("考察对象类别", "post", width=14),
    Column("自评等次", "self_grade", width=10),
    Column("满意", "satisfied", width=8),
    Column("基本满意", "basic", width=8),
    Column("不满意", "unsatisfied", width=8),
    Column("群众满意率", "rate", width=12),
    Column("问询考", "inquiry", width=10),
    Column("法律法规考", "exam", width=12),
    Column("专项考察报告", "report", width=12),
    Column("发现问题数", "problems", width=10),
]


def results_rows(appraisals: Iterable[Appraisal]) -> Iterable[dict[str, object]]:
    for a in appraisals:
        rate = a.rate
        papers = [p for p in a.papers.all() if p.submitted_at]
        last = max(papers, key=lambda p: (p.drawn_on, p.pk), default=None)
        inquiries = list(a.inquiries.all())
        report = getattr(a, "inspection", None)
        yield {
            "village": a.region.name,
            "name": a.person.name,
            "post": a.get_post_display(),
            "self_grade": a.get_self_grade_display() or "未自评",
            "satisfied": a.satisfied,
            "basic": a.basic,
            "unsatisfied": a.unsatisfied,
            # exact as a fraction, and the percentage people read
            "rate": "" if rate is None else f"{exact(rate)}（{float(rate):.1%}）",
            "inquiry": inquiries[-1].get_grade_display() if inquiries else "未问询",
            "exam": "未考" if last is None else f"{last.score}/{last.total} {'及格' if last.passed else '不及格'}",
            "report": f"{report.inspected_on:%Y-%m-%d}" if report else "未形成",
            "problems": len(a.problems.all()),
        }


def results_export(appraisals: Iterable[Appraisal], target: BinaryIO) -> int:
    return write_workbook("双评三考结果", RESULT_COLUMNS, results_rows(appraisals), target)


def bank_rows(questions: Iterable[Question]) -> Iterable[dict[str, object]]:
    # the options one a line, as the import splits them (an option may not hold a line break: the service refuses it)
    for q in questions:
        yield {"kind": q.kind, "text": q.text, "options": "\n".join(q.options), "answer": q.answer}


def bank_export(questions: Iterable[Question], target: BinaryIO) -> int:
    """The bank in QUESTION_COLUMNS, the layout questions_import reads: exported, edited and imported again it gives
    the same questions (the kind written as its Chinese label, which the import takes back)."""
    return write_workbook("法律法规题库", QUESTION_COLUMNS, bank_rows(questions), target)


def rollup_rows(table: Rollup) -> Iterable[dict[str, object]]:
    for row in [*table.rows, table.total]:
        yield {
            **row.counts(),
            "satisfaction": row.satisfaction_text,
            "average": row.average_text,
            "pass_rate": row.pass_rate_text,
            **{f"kind_{k.pk}": n for k, n in zip(table.kinds, row.kind_counts, strict=True)},
        }


def rollup_export(table: Rollup, target: BinaryIO) -> int:
    """The roll-up page's table: a row per town (or village) and the total, the problems by kind as columns."""
    columns = [
        Column("区划代码", "code", width=14, as_text=True),
        Column("名称", "name", width=20),
        Column("考察对象（人）", "appraised", width=10),
        Column("满意（票）", "satisfied", width=10),
        Column("基本满意（票）", "basic", width=10),
        Column("不满意（票）", "unsatisfied", width=10),
        Column("群众满意率", "satisfaction", width=18),
        Column("参考试卷（份）", "papers", width=10),
        Column("平均分（百分制）", "average", width=10),
        Column("及格（份）", "passed", width=10),
        Column("及格率", "pass_rate", width=16),
        Column("专项考察报告（份）", "reports", width=12),
        Column("发现问题（个）", "problems", width=10),
        *[Column(f"其中：{k.name}", f"kind_{k.pk}", width=10) for k in table.kinds],
    ]
    return write_workbook("双评三考汇总", columns, rollup_rows(table), target)


def _options(value: Any) -> list[str]:
    # options in one cell, one per line (or separated by ｜ or |)
    text = str(value or "").replace("｜", "\n").replace("|", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


QUESTION_COLUMNS = [
    Column("题型", "kind", width=10, required=True, choices={label: value for value, label in QuestionKind.choices}),
    Column("题目", "text", width=50, required=True),
    Column("选项（每行一项，依次为 A、B、C…）", "options", width=40, parse=_options),
    Column("答案", "answer", width=10, required=True, parse=lambda v: str(v or "").strip()),
]


@transaction.atomic
def questions_import(*, actor: Actor, region_code: str, stream: BinaryIO) -> ImportReport:
    """A bank from Excel (the layout exports.bank_export writes): each row checked first; one bad row and nothing is
    saved. A question is known by its text: one already in the bank the same changes nothing; with another kind,
    options or answer it is corrected, unless a paper already drew it (the row is refused: a paper keeps the
    question it was scored on; write a new question instead)."""
    region = _bank_region(region_code)
    question_policy.check_in_region(actor, "change", region.code)
    existing = {q.text: q for q in Question.objects.filter(region=region)}
    drawn = set(PaperItem.objects.filter(question__region=region).values_list("question_id", flat=True))
    report = ImportReport(unit="题")
    new: list[Question] = []
    changed: list[Question] = []
    seen: set[str] = set()
    for row in read_rows(stream, QUESTION_COLUMNS):
        if not row.errors:
            kind = row.values["kind"]
            text = clean_text(row.values["text"])
            options = (
                [] if kind == QuestionKind.TRUE_FALSE else [clean_text(o) for o in row.values.get("options") or []]
            )
            answer = normalise_answer(kind, row.values["answer"])
            row.errors.extend(_question_errors(kind, text, options, answer))
            if not row.errors:
                if text in seen:
                    row.errors.append("与前面的行题目重复")
                elif text in existing:
                    old = existing[text]
                    if (old.kind, old.options, old.answer) == (kind, options, answer):
                        report.unchanged += 1
                    elif old.pk in drawn:
                        row.errors.append("该题已用于试卷，不能修改题型、选项或答案（可另出新题）")
                    else:
                        old.kind, old.options, old.answer = kind, options, answer
                        changed.append(old)
                else:
                    new.append(Question(region=region, kind=kind, text=text, options=options, answer=answer))
                seen.add(text)
        if row.errors:
            report.bad_rows.append(row)
    if report.bad_rows:
        raise bad_rows_error(report.bad_rows)
    Question.objects.bulk_create(new)
    Question.objects.bulk_update(changed, ["kind", "options", "answer"])
    report.created, report.updated = len(new), len(changed)
    if new or changed:
        record(
            actor=actor,
            region_code=region.code,
            event="appraisals.questions_imported",
            summary=f"{region.name}法律法规题库导入：{report.summary}",
            after={"新增题数": len(new), "修改题数": len(changed)},
        )
    report.saved = True
    return report
