"""Every write of the commitments module, one file per kind (issue 16 item 6): the county's rules (rules.py), the
per-village summary (summaries.py), the ledger and its progress (ledger.py), the target letter (letters.py), the
ledger in Excel out and back in (spreadsheets.py) and the random inspections (inspections.py). Each service checks
the access rule, validates everything before saving, keeps the per-village summary in the same transaction and
appends to the record book. The public names are here, so callers import `cunshe.commitments.services` as before."""

from cunshe.commitments.services.common import EDITABLE, LABELS, PHOTO_MAX_BYTES, PHOTO_TYPES, clean
from cunshe.commitments.services.inspections import finding_add, finding_rectify, inspection_draw
from cunshe.commitments.services.ledger import (
    commitment_create,
    commitment_link_visits,
    commitment_move,
    commitment_showcase,
    commitment_update,
    commitments_mark_overdue,
    next_ledger_no,
    progress_add,
)
from cunshe.commitments.services.letters import target_letter_sign
from cunshe.commitments.services.rules import county_rules_set, rules_of
from cunshe.commitments.services.spreadsheets import (
    CASE_COLUMNS,
    LEDGER_COLUMNS,
    ROW_FIELDS,
    cases_export,
    ledger_export,
    ledger_import,
    ledger_rows,
    parse_flag,
    parse_year,
    three_level_export,
)
from cunshe.commitments.services.summaries import summaries_rebuild

__all__ = [
    "CASE_COLUMNS",
    "EDITABLE",
    "LABELS",
    "LEDGER_COLUMNS",
    "PHOTO_MAX_BYTES",
    "PHOTO_TYPES",
    "ROW_FIELDS",
    "cases_export",
    "clean",
    "commitment_create",
    "commitment_link_visits",
    "commitment_move",
    "commitment_showcase",
    "commitment_update",
    "commitments_mark_overdue",
    "county_rules_set",
    "finding_add",
    "finding_rectify",
    "inspection_draw",
    "ledger_export",
    "ledger_import",
    "ledger_rows",
    "next_ledger_no",
    "parse_flag",
    "parse_year",
    "progress_add",
    "rules_of",
    "summaries_rebuild",
    "target_letter_sign",
    "three_level_export",
]
