from datetime import date
from typing import Any

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.issueboard.models import Issue, IssueTally
from cunshe.issueboard.services import issue_raise
from cunshe.visits.tests.access_rules import ensure_term_changes, village_name


def setup(world: World, **_: Any) -> None:
    ensure_term_changes()
    for key, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        world.extra[f"issue_{key}"] = issue_raise(
            actor=SYSTEM,
            village_code=village,
            title=f"问题{key}：灌溉渠年久失修",
            owner="村主任",
            due_on=date(2026, 12, 1),
        )


def _issue(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[f"issue_{key}"].pk}


def _b_untouched(w: World) -> bool:
    b = Issue.objects.get(pk=w.extra["issue_b"].pk)
    # other modules' walk data may raise issues in village B too (六清, liaison matters): the refused raise is the
    # one that would carry this rule's title
    raised = Issue.objects.filter(region_id=VILLAGE_B, title=_NEW["title"]).exists()
    return b.status == "open" and b.owner == "村主任" and not raised


_NEW = {"title": "道路破损", "owner": "网格员", "due_on": "2026-12-10"}
_MOVE = {"to_status": "in_progress", "version": 1}
_CLOSE = {"to_status": "closed", "version": 1, "resolution": "已修复", "closed_on": "2026-11-01"}


def _by_town(**reading: Any) -> Rule:
    """A town table: town A's shows village A, and asking for town B does not show village B."""
    return Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=village_name(VILLAGE_A),
        marker_b=village_name(VILLAGE_B),
        **reading,
    )


WEB_RULES = {
    "issueboard:board": _by_town(),
    "issueboard:export": _by_town(as_text=xlsx_text),
    "issueboard:wall_chart": _by_town(as_text=lambda content: pdf_text(content)[0]),
    "issueboard:issue": Rule("scoped", a=_issue("a"), b=_issue("b")),
    "issueboard:assign": Rule(
        "scoped",
        method="POST",
        a=_issue("a"),
        b=_issue("b"),
        body_a=lambda w: {"owner": "副书记", "due_on": "2026-12-20", "version": 1},
        body_b=lambda w: {"owner": "副书记", "due_on": "2026-12-20", "version": 1},
        b_unchanged=_b_untouched,
    ),
    "issueboard:move": Rule(
        "scoped",
        method="POST",
        a=_issue("a"),
        b=_issue("b"),
        body_a=lambda w: _CLOSE,
        body_b=lambda w: _CLOSE,
        b_unchanged=_b_untouched,
    ),
    "issueboard:village": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "issueboard:raise": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: _NEW,
        body_b=lambda w: _NEW,
        b_unchanged=_b_untouched,
    ),
    "issueboard:flag": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {"is_difficult": "on", "difficulty": "信访频发", "version": _tally_version(VILLAGE_A)},
        body_b=lambda w: {"is_difficult": "on", "difficulty": "信访频发", "version": _tally_version(VILLAGE_B)},
        b_unchanged=lambda w: not IssueTally.objects.filter(region_id=VILLAGE_B, is_difficult=True).exists(),
    ),
}

API_RULES = {
    "GET /api/v1/issueboard/board.pdf": _by_town(as_text=lambda content: pdf_text(content)[0]),
    "GET /api/v1/issueboard/board": _by_town(),
    "GET /api/v1/issueboard/board.xlsx": _by_town(as_text=xlsx_text),
    "GET /api/v1/issueboard/{code}/issues": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/issueboard/{code}/issues": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: _NEW,
        body_b=lambda w: _NEW,
        b_unchanged=_b_untouched,
    ),
    "POST /api/v1/issueboard/issues/{issue_id}/status": Rule(
        "scoped",
        method="POST",
        a=_issue("a", "issue_id"),
        b=_issue("b", "issue_id"),
        body_a=lambda w: _MOVE,
        body_b=lambda w: _MOVE,
        b_unchanged=_b_untouched,
    ),
    # issue 14, item 22: the pages' assignment and difficult-village flag, under the same rules
    "POST /api/v1/issueboard/issues/{issue_id}/assign": Rule(
        "scoped",
        method="POST",
        a=_issue("a", "issue_id"),
        b=_issue("b", "issue_id"),
        body_a=lambda w: {"owner": "副书记", "due_on": "2026-12-20", "version": 1},
        body_b=lambda w: {"owner": "副书记", "due_on": "2026-12-20", "version": 1},
        b_unchanged=_b_untouched,
    ),
    "GET /api/v1/issueboard/{code}/flag": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "PUT /api/v1/issueboard/{code}/flag": Rule(
        "scoped",
        method="PUT",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {"is_difficult": True, "difficulty": "信访频发", "version": _tally_version(VILLAGE_A)},
        body_b=lambda w: {"is_difficult": True, "difficulty": "信访频发", "version": _tally_version(VILLAGE_B)},
        b_unchanged=lambda w: not IssueTally.objects.filter(region_id=VILLAGE_B, is_difficult=True).exists(),
    ),
}


def _tally_version(code: str) -> int:
    tally = IssueTally.objects.filter(region_id=code).first()
    return tally.version if tally else 1
