"""Excel of a survey's results: one row per region and choice (counts and shares), and for a satisfaction survey
the scores per region and per person beside last year's, as a second layout written to its own file."""

from __future__ import annotations

from typing import Any, BinaryIO

from cunshe.spreadsheets.layout import Column, write_workbook
from cunshe.surveys.models import Kind
from cunshe.surveys.selectors import Results, Scores, shown

RESULT_COLUMNS = [
    Column("区划代码", "code", width=14, as_text=True),
    Column("区域", "name", width=20),
    Column("收回问卷", "forms", width=10),
    Column("题号", "position", width=6),
    Column("题目", "question", width=36),
    Column("选项", "choice", width=20),
    Column("份数", "count", width=8),
    Column("占比(%)", "share", width=10),
]

SCORE_COLUMNS = [
    Column("区域/被测评人", "name", width=20),
    Column("得分", "score", width=10),
    Column("打分答案数", "answers", width=12),
    Column("上年得分", "last_year", width=10),
    Column("变化", "change", width=10),
]


def results_export(res: Results, target: BinaryIO) -> int:
    def rows() -> Any:
        for row in [*res.rows, res.total]:
            for q in res.questions:
                if q.kind == Kind.TEXT:
                    continue
                for c in q.choices.all():
                    share = res.share(row, c.pk)
                    yield {
                        "code": row.code,
                        "name": row.name,
                        "forms": row.forms,
                        "position": q.position,
                        "question": q.text,
                        "choice": c.label,
                        "count": row.by_choice.get(c.pk, 0),
                        "share": shown(share) if share is not None else "",
                    }

    return write_workbook("调查结果", RESULT_COLUMNS, rows(), target)


def scores_export(sc: Scores, target: BinaryIO) -> int:
    rows = [
        {
            "name": r.name,
            "score": shown(r.score),
            "answers": r.answers,
            "last_year": shown(r.last_year),
            "change": shown(r.change),
        }
        for r in [*sc.rows, sc.total, *sc.people]
    ]
    return write_workbook("满意度得分", SCORE_COLUMNS, rows, target)
