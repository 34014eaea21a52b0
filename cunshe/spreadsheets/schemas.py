"""The one answer of every Excel import in the API (ImportReport.answer)."""

from __future__ import annotations

from cunshe.core.schema import Schema


class ImportRowOut(Schema):
    line: int
    errors: list[str]


class ImportReportOut(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: int  # rows read and left alone on purpose (e.g. a cadre not yet surveyed)
    bad_rows: list[ImportRowOut]  # rows left out when only the good rows were asked for
    summary: str
