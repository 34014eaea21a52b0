"""The joint review's candidate sheet in Excel, the module's one Excel home: the blank sheet a town fills in and
the import that submits it as a batch. (The round's report, PDF and Excel together, stays in report.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from django.http import HttpResponse

from cunshe.core.actors import Actor
from cunshe.core.errors import DomainError
from cunshe.people.models import Person
from cunshe.reviews.models import ReviewBatch, ReviewRound
from cunshe.reviews.services import MAX_BATCH, CandidateRow, _check_rows, batch_submit
from cunshe.spreadsheets.layout import Column, ImportReport, read_rows, write_workbook, xlsx_response

CANDIDATE_COLUMNS = [
    Column("姓名", "name", required=True, width=10),
    Column("身份证号码", "id_number", required=True, width=22, as_text=True),
    Column("村(社区)代码", "village", required=True, width=16, as_text=True),
    Column("拟任职务", "post", width=16),
]


def template_response(review_round: ReviewRound) -> HttpResponse:
    """The blank candidate sheet (the page and the API hand out the same file)."""
    buffer = BytesIO()
    write_workbook("联审人选", CANDIDATE_COLUMNS, [], buffer)
    return xlsx_response(buffer.getvalue(), f"{review_round.title}联审人选（模板）.xlsx")


@dataclass
class BatchImportReport(ImportReport):
    """The import's report like every other (created: the candidates submitted), with the batch it submitted, which
    the page opens next."""

    batch: ReviewBatch | None = None


def batch_import(
    *, actor: Actor, review_round: ReviewRound, town_code: str, stream: BinaryIO, title: str = ""
) -> BatchImportReport:
    """Submit a batch from an Excel sheet in CANDIDATE_COLUMNS; every bad cell is named with its line, together with
    the rule problems of the other rows (batch_submit's checks), so the sheet is fixed in one go."""
    rows: list[CandidateRow] = []
    cell_errors: dict[str, list[str]] = {}
    for row in read_rows(stream, CANDIDATE_COLUMNS, max_rows=MAX_BATCH):
        if row.errors:
            cell_errors[f"第{row.line}行"] = row.errors
        values = {k: str(v or "") for k, v in row.values.items()}
        rows.append(
            CandidateRow(
                line=row.line,
                name=values.get("name", ""),
                id_number=values.get("id_number", ""),
                village=values.get("village", ""),
                post=values.get("post", ""),
            )
        )
    if cell_errors:
        # Report the rule problems of the other rows too, so the sheet is fixed in one go.
        more = _check_rows(review_round, town_code, [r for r in rows if f"第{r.line}行" not in cell_errors])
        raise DomainError(f"有 {len(cell_errors) + len(more)} 行需要修改，本批未报送。", {**cell_errors, **more})
    people = {p.id_number: p for p in Person.objects.filter(id_number__in=[r.id_number.upper() for r in rows])}
    for r in rows:
        r.person = people.get(r.id_number.strip().upper())
    batch = batch_submit(actor=actor, review_round=review_round, town_code=town_code, rows=rows, title=title)
    return BatchImportReport(unit="人", created=batch.candidate_count, saved=True, batch=batch)
