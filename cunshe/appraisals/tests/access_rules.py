"""双评三考 in the access walk: town A's officer appraises town A's people and never town B's; the negative list's
referral is walked by a town-A discipline supervisor (the town officer may not enter on the list)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, code, pk, xlsx_text
from cunshe.appraisals.exports import QUESTION_COLUMNS
from cunshe.appraisals.models import Appraisal, Paper, Problem, Question
from cunshe.appraisals.services import appraisal_open, inspection_write, paper_draw, problem_add
from cunshe.appraisals.tests.helpers import bank
from cunshe.core.actors import SYSTEM
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open

VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
NAMES = {"a": "考察对象甲", "b": "考察对象乙"}
DAY = date(2026, 10, 20)


def setup(world: World, make_user: Any, make_person: Any, **_: Any) -> None:
    world.extra.setdefault("supervisor_a", make_user("discipline_supervisor", TOWN_A, name="甲镇纪检"))
    if current_term_change(COUNTY) is None:
        term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    world.extra["appraisals_rule"] = ExclusionRule.objects.get(county_id=COUNTY, code="9")
    for side, village in VILLAGES.items():
        opened = date(2026, 10, 8)
        a = appraisal_open(
            actor=SYSTEM, person=make_person(village, name=NAMES[side]), post="secretary", opened_on=opened
        )
        other = appraisal_open(actor=SYSTEM, person=make_person(village), post="candidate", opened_on=opened)
        bank(TOWNS[side], 10, prefix=f"{side}镇题")
        inspection_write(
            actor=SYSTEM, appraisal=a, inspected_on=DAY, inspectors="考察组", findings="群众公认", conclusion="建议提名"
        )
        world.extra[f"appraisals_{side}"] = a
        world.extra[f"appraisals_other_{side}"] = other
        world.extra[f"appraisals_paper_{side}"] = paper_draw(actor=SYSTEM, appraisal=a, drawn_on=DAY, seed=1)
        world.extra[f"appraisals_problem_{side}"] = problem_add(
            actor=SYSTEM, appraisal=a, kind_code="conduct", description="长期不在岗", found_on=DAY, serious=True
        )
    world.extra["appraisals_b_state"] = _state_b()


def _state_b() -> tuple[Any, ...]:
    a = Appraisal.objects.get(person__name=NAMES["b"])
    return (
        a.version,
        a.ratings,
        a.inquiries.count(),
        a.papers.count(),
        Paper.objects.filter(appraisal=a, submitted_at__isnull=False).count(),
        a.problems.count(),
        Problem.objects.filter(appraisal=a, negative_entry__isnull=False).count(),
        Appraisal.objects.filter(region_id=VILLAGE_B).count(),
        hasattr(Appraisal.objects.get(pk=a.pk), "inspection"),
        Appraisal.objects.filter(region_id=VILLAGE_B, inspection__isnull=False).count(),
        Question.objects.filter(region_id=TOWN_B).count(),
    )


def _b_unchanged(w: World) -> bool:
    return bool(_state_b() == w.extra["appraisals_b_state"])


def _side(key: str, name: str = "pk") -> tuple[Any, Any]:
    return pk(f"appraisals_{key}a" if key else "appraisals_a", name), pk(
        f"appraisals_{key}b" if key else "appraisals_b", name
    )


def _version(side: str) -> Any:
    return lambda w: Appraisal.objects.get(pk=w.extra[f"appraisals_{side}"].pk).version


def _self(side: str) -> Any:
    return lambda w: {
        "grade": "competent",
        "summary": "认真履职",
        "written_on": "2026-10-21",
        "version": _version(side)(w),
    }


def _ratings(side: str) -> Any:
    return lambda w: {"satisfied": 80, "basic": 10, "unsatisfied": 10, "version": _version(side)(w)}


INQUIRY = {
    "held_on": "2026-10-22",
    "inquirer": "组织部长",
    "questions": "发展思路？",
    "assessment": "清晰",
    "grade": "good",
}
INSPECTION = {"inspected_on": "2026-10-25", "inspectors": "考察组", "findings": "群众公认", "conclusion": "建议提名"}
PROBLEM = {"kind": "ability", "description": "带富能力弱", "found_on": "2026-10-23"}
DRAW = {"drawn_on": "2026-10-24"}


def _open(side: str) -> Any:
    return lambda w: {"person": w.extra[f"appraisals_{side}"].person_id, "post": "member", "opened_on": "2026-10-09"}


def _open_api(side: str) -> Any:
    return lambda w: {"person_id": w.extra[f"appraisals_{side}"].person_id, "post": "member", "opened_on": "2026-10-09"}


def _question(side: str) -> Any:
    return lambda w: {"region": TOWNS[side], "kind": "true_false", "text": f"新题{side}", "options": "", "answer": "对"}


def _question_api(side: str) -> Any:
    return lambda w: {"region": TOWNS[side], "kind": "true_false", "text": f"新题{side}", "options": [], "answer": "对"}


def _upload(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        buffer = BytesIO()
        row = {"kind": "true_false", "text": f"导入题{side}", "options": "", "answer": "对"}
        write_workbook("题库", QUESTION_COLUMNS, [row], buffer)
        return {"region": TOWNS[side], "file": SimpleUploadedFile("题库.xlsx", buffer.getvalue())}

    return body


def _refer(w: World) -> dict[str, Any]:
    return {"rule": w.extra["appraisals_rule"].pk}


def _refer_api(w: World) -> dict[str, Any]:
    return {"rule_id": w.extra["appraisals_rule"].pk}


def _answers_web(w: World) -> dict[str, Any]:
    return {"q1": "对"}


def _answers_api(w: World) -> dict[str, Any]:
    return {"answers": {"1": "对"}}


A, B = _side("")
OTHER_A, OTHER_B = _side("other_")
PAPER_A, PAPER_B = _side("paper_")
PROBLEM_A, PROBLEM_B = _side("problem_")
API_A, API_B = _side("", "appraisal_id")
API_OTHER_A, API_OTHER_B = _side("other_", "appraisal_id")
API_PAPER_A, API_PAPER_B = _side("paper_", "paper_id")
API_PROBLEM_A, API_PROBLEM_B = _side("problem_", "problem_id")


def _post(a: Any, b: Any, body_a: Any, body_b: Any, **more: Any) -> Rule:
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_b_unchanged, **more)


def _village_name(side: str) -> Any:
    return lambda w: Region.objects.get(code=VILLAGES[side]).name


# a town's roll-up names its villages; another town's is the actor's own page (web) or a 404 (downloads, API)
ROLLUP = Rule("scoped", a=code(TOWN_A), b=code(TOWN_B), marker_a=_village_name("a"), marker_b=_village_name("b"))
ROLLUP_XLSX = replace(ROLLUP, as_text=xlsx_text)
BANK_XLSX = replace(ROLLUP, marker_a=lambda w: "a镇题0", marker_b=lambda w: "b镇题0", as_text=xlsx_text)

WEB_RULES = {
    "appraisals:list": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    "appraisals:new": _post(None, None, _open("a"), _open("b")),
    "appraisals:export": Rule(
        "scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"], as_text=xlsx_text
    ),
    "appraisals:rollup": ROLLUP,
    "appraisals:rollup_export": ROLLUP_XLSX,
    "appraisals:detail": Rule("scoped", a=A, b=B),
    "appraisals:self": _post(A, B, _self("a"), _self("b")),
    "appraisals:ratings": _post(A, B, _ratings("a"), _ratings("b")),
    "appraisals:rating": _post(A, B, lambda w: {"level": "satisfied"}, lambda w: {"level": "satisfied"}),
    "appraisals:inquiry": _post(A, B, lambda w: INQUIRY, lambda w: INQUIRY),
    "appraisals:paper_new": _post(A, B, lambda w: DRAW, lambda w: DRAW),
    "appraisals:inspection": _post(OTHER_A, OTHER_B, lambda w: INSPECTION, lambda w: INSPECTION),
    "appraisals:report": Rule("scoped", a=A, b=B, as_text=lambda c: ""),
    "appraisals:problem_new": _post(A, B, lambda w: PROBLEM, lambda w: PROBLEM),
    "appraisals:paper": Rule("scoped", a=PAPER_A, b=PAPER_B),
    "appraisals:paper_submit": _post(PAPER_A, PAPER_B, _answers_web, _answers_web),
    "appraisals:problem_refer": _post(PROBLEM_A, PROBLEM_B, _refer, _refer, actor="supervisor_a"),
    "appraisals:bank": Rule("scoped", marker_a=lambda w: "a镇题0", marker_b=lambda w: "b镇题0"),
    "appraisals:question_new": _post(None, None, _question("a"), _question("b"), refused_status=400),
    "appraisals:bank_import": _post(None, None, _upload("a"), _upload("b"), refused_status=400),
    "appraisals:bank_export": BANK_XLSX,
}

API_RULES = {
    "GET /api/v1/appraisals/": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    "POST /api/v1/appraisals/": _post(None, None, _open_api("a"), _open_api("b")),
    "GET /api/v1/appraisals/problem-counts": Rule(
        "scoped", marker_a=lambda w: "黛溪街道", marker_b=lambda w: "黄山街道"
    ),
    "GET /api/v1/appraisals/rollup/{code}": ROLLUP,
    "GET /api/v1/appraisals/rollup/{code}/rollup.xlsx": ROLLUP_XLSX,
    "GET /api/v1/appraisals/results.xlsx": Rule(
        "scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"], as_text=xlsx_text
    ),
    "GET /api/v1/appraisals/questions": Rule("scoped", marker_a=lambda w: "a镇题0", marker_b=lambda w: "b镇题0"),
    "POST /api/v1/appraisals/questions": _post(None, None, _question_api("a"), _question_api("b")),
    "POST /api/v1/appraisals/questions/import": _post(None, None, _upload("a"), _upload("b")),
    "GET /api/v1/appraisals/questions/{code}/bank.xlsx": BANK_XLSX,
    "GET /api/v1/appraisals/{appraisal_id}": Rule("scoped", a=API_A, b=API_B),
    "POST /api/v1/appraisals/{appraisal_id}/self": _post(API_A, API_B, _self("a"), _self("b")),
    "POST /api/v1/appraisals/{appraisal_id}/ratings": _post(API_A, API_B, _ratings("a"), _ratings("b")),
    "POST /api/v1/appraisals/{appraisal_id}/rating": _post(
        API_A, API_B, lambda w: {"level": "basic"}, lambda w: {"level": "basic"}
    ),
    "POST /api/v1/appraisals/{appraisal_id}/inquiries": _post(API_A, API_B, lambda w: INQUIRY, lambda w: INQUIRY),
    "POST /api/v1/appraisals/{appraisal_id}/papers": _post(API_A, API_B, lambda w: DRAW, lambda w: DRAW),
    "POST /api/v1/appraisals/{appraisal_id}/inspection": _post(
        API_OTHER_A, API_OTHER_B, lambda w: INSPECTION, lambda w: INSPECTION
    ),
    "GET /api/v1/appraisals/{appraisal_id}/report.pdf": Rule("scoped", a=API_A, b=API_B, as_text=lambda c: ""),
    "POST /api/v1/appraisals/{appraisal_id}/problems": _post(API_A, API_B, lambda w: PROBLEM, lambda w: PROBLEM),
    "GET /api/v1/appraisals/papers/{paper_id}": Rule("scoped", a=API_PAPER_A, b=API_PAPER_B),
    "POST /api/v1/appraisals/papers/{paper_id}/submit": _post(API_PAPER_A, API_PAPER_B, _answers_api, _answers_api),
    "POST /api/v1/appraisals/problems/{problem_id}/refer": _post(
        API_PROBLEM_A, API_PROBLEM_B, _refer_api, _refer_api, actor="supervisor_a"
    ),
}
