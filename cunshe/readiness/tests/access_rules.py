from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, code, xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.readiness.exports import INTENT_COLUMNS
from cunshe.readiness.models import Intent, PlanItem, ReadinessAssessment, Task, TemplateTask
from cunshe.readiness.services import assessment_file, plan_item_add, template_task_add, work_plan_make
from cunshe.spreadsheets.layout import write_workbook
from cunshe.teams.services import member_appoint
from cunshe.visits.tests.access_rules import ensure_term_changes, village_name

# Villages without a work plan yet, one in each town, for making one.
VILLAGE_A2 = "371681001214"
VILLAGE_B2 = "371681002202"


def setup(world: World, make_person: Any, **_: Any) -> None:
    ensure_term_changes()
    for key, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        assessment_file(
            actor=SYSTEM, village_code=village, assessed_on=date(2026, 10, 1), stability="fair", risk="yellow"
        )
        world.extra[f"plan_item_{key}"] = plan_item_add(
            actor=SYSTEM,
            village_code=village,
            problem="选民登记漏登",
            measure="逐户核对",
            owner="网格员",
            due_on=date(2026, 11, 1),
        )
        world.extra[f"task_{key}"] = work_plan_make(actor=SYSTEM, village_code=village, owner="驻村干部")[0]
        world.extra[f"cadre_{key}"] = member_appoint(
            actor=SYSTEM,
            village_code=village,
            person=make_person(village, name=f"排摸干部{key}"),
            committee="villagers",
            post="deputy_director",
            started_on=date(2021, 6, 1),
        )
    # Each county's own template, made after the villages' plans; the organizer's county has two tasks in use, so one
    # of them can be taken out.
    for key, county in (("a", COUNTY), ("a2", COUNTY), ("b", OTHER_COUNTY)):
        world.extra[f"template_task_{key}"] = template_task_add(
            actor=SYSTEM, county_code=county, title=f"模板事项{key}", offset_days=30
        )


def _task(key: str, name: str) -> Any:
    return lambda w: {name: w.extra[f"task_{key}"].pk}


def _task_b_untouched(w: World) -> bool:
    return Task.objects.get(pk=w.extra["task_b"].pk).status == "todo"


def _plan_item(key: str, name: str) -> Any:
    return lambda w: {name: w.extra[f"plan_item_{key}"].pk}


def _plan_b_untouched(w: World) -> bool:
    item = PlanItem.objects.get(pk=w.extra["plan_item_b"].pk)
    return (item.problem, item.owner, item.version) == ("选民登记漏登", "网格员", 1)


def _template_task(key: str, name: str) -> Any:
    return lambda w: {name: w.extra[f"template_task_{key}"].pk}


def _template_b_untouched(w: World) -> bool:
    task = TemplateTask.objects.get(pk=w.extra["template_task_b"].pk)
    return (task.title, task.retired_on, task.version) == ("模板事项b", None, 1)


def _intent(key: str) -> Any:
    # The page's form names the member "member", the API "member_id": one body serves both.
    return lambda w: {
        "member": w.extra[f"cadre_{key}"].pk,
        "member_id": w.extra[f"cadre_{key}"].pk,
        "intention": "stay",
        "surveyed_on": "2026-10-10",
    }


_ASSESS = {"assessed_on": "2026-11-01", "stability": "weak", "risk": "red", "petitions": 3, "note": "宗族矛盾突出"}
_PLAN = {"problem": "班子不团结", "measure": "镇党委书记约谈", "owner": "包村领导", "due_on": "2026-12-01"}
_TEMPLATE_TASK = {"title": "入户宣传“一肩挑”政策", "offset_days": 20}

# The same request on the page and through the API: one rule for both (the id's name differs by URL).
_ROLLUP = {
    "query_a": f"?under={TOWN_A}",
    "query_b": f"?under={TOWN_B}",
    "marker_a": village_name(VILLAGE_A),
    "marker_b": village_name(VILLAGE_B),
}
_VILLAGE = Rule("scoped", a=code(VILLAGE_A), b=code(VILLAGE_B))
_INTENTS_SHEET = Rule(
    "scoped",
    query_a=f"?under={TOWN_A}",
    query_b=f"?under={TOWN_B}",
    marker_a=lambda w: "排摸干部a",
    marker_b=lambda w: "排摸干部b",
    as_text=xlsx_text,
)


def _intents_file(key: str) -> Any:
    def upload(w: World) -> dict[str, Any]:
        row = {"member": w.extra[f"cadre_{key}"].pk, "intention": "stay", "surveyed_on": date(2026, 10, 10)}
        buffer = BytesIO()
        write_workbook("换届意愿排摸表", INTENT_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("intents.xlsx", buffer.getvalue())}

    return upload


def _intents_import(refused_status: int) -> Rule:
    """A sheet naming the other town's cadre: the page shows the refused row (200), the API answers 400."""
    return Rule(
        "scoped",
        method="POST",
        body_a=_intents_file("a"),
        body_b=_intents_file("b"),
        refused_status=refused_status,
        b_unchanged=lambda w: not Intent.objects.filter(member=w.extra["cadre_b"]).exists(),
    )


_TEMPLATE = Rule("scoped", actor="organizer_a", a=code(COUNTY), b=code(OTHER_COUNTY))
_ASSESS_RULE = Rule(
    "scoped",
    method="POST",
    a=code(VILLAGE_A),
    b=code(VILLAGE_B),
    body_a=lambda w: _ASSESS,
    body_b=lambda w: _ASSESS,
    b_unchanged=lambda w: ReadinessAssessment.objects.filter(region_id=VILLAGE_B).count() == 1,
)
_PLAN_ADD = Rule(
    "scoped",
    method="POST",
    a=code(VILLAGE_A),
    b=code(VILLAGE_B),
    body_a=lambda w: _PLAN,
    body_b=lambda w: _PLAN,
    b_unchanged=lambda w: PlanItem.objects.filter(region_id=VILLAGE_B).count() == 1,
)
_WORK_PLAN = Rule(
    "scoped",
    method="POST",
    a=code(VILLAGE_A2),
    b=code(VILLAGE_B2),
    body_a=lambda w: {"owner": "驻村干部"},
    body_b=lambda w: {"owner": "驻村干部"},
    b_unchanged=lambda w: not Task.objects.filter(region_id=VILLAGE_B2).exists(),
)
_INTENT = Rule(
    "scoped",
    method="POST",
    a=code(VILLAGE_A),
    b=code(VILLAGE_B),
    body_a=_intent("a"),
    body_b=_intent("b"),
    b_unchanged=lambda w: not Intent.objects.filter(member=w.extra["cadre_b"]).exists(),
)


def _task_move(name: str) -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=_task("a", name),
        b=_task("b", name),
        body_a=lambda w: {"to_status": "doing", "version": 1},
        body_b=lambda w: {"to_status": "doing", "version": 1},
        b_unchanged=_task_b_untouched,
    )


def _plan_done(name: str) -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=_plan_item("a", name),
        b=_plan_item("b", name),
        body_a=lambda w: {"done_on": "2026-10-30", "version": 1},
        body_b=lambda w: {"done_on": "2026-10-30", "version": 1},
        b_unchanged=lambda w: PlanItem.objects.get(pk=w.extra["plan_item_b"].pk).done_on is None,
    )


def _plan_edit(name: str) -> Rule:
    body = {**_PLAN, "version": 1}
    return Rule(
        "scoped",
        method="POST" if name == "pk" else "PUT",
        a=_plan_item("a", name),
        b=_plan_item("b", name),
        body_a=lambda w: body,
        body_b=lambda w: body,
        b_unchanged=_plan_b_untouched,
    )


def _template_task_edit(name: str) -> Rule:
    body = {"title": "入户宣传“一肩挑”政策和换届纪律", "offset_days": 25, "position": 1, "version": 1}
    return Rule(
        "scoped",
        actor="organizer_a",
        method="POST" if name == "pk" else "PUT",
        a=_template_task("a", name),
        b=_template_task("b", name),
        body_a=lambda w: body,
        body_b=lambda w: body,
        b_unchanged=_template_b_untouched,
    )


def _template_task_active(name: str) -> Rule:
    # False reads as "False" in a form post and false in JSON: one body serves the page and the API.
    body = {"active": False, "version": 1}
    return Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=_template_task("a", name),
        b=_template_task("b", name),
        body_a=lambda w: body,
        body_b=lambda w: body,
        b_unchanged=_template_b_untouched,
    )


WEB_RULES = {
    "readiness:overview": Rule("scoped", **_ROLLUP),
    "readiness:export": Rule("scoped", **_ROLLUP, as_text=xlsx_text),
    "readiness:template": _TEMPLATE,
    "readiness:task_status": _task_move("pk"),
    "readiness:village": _VILLAGE,
    "readiness:assess": _ASSESS_RULE,
    "readiness:plan": _PLAN_ADD,
    "readiness:plan_done": _plan_done("pk"),
    "readiness:plan_edit": _plan_edit("pk"),
    "readiness:template_task_edit": _template_task_edit("pk"),
    "readiness:template_task_active": _template_task_active("pk"),
    "readiness:work_plan": _WORK_PLAN,
    "readiness:intent": _INTENT,
    "readiness:rehearsal": _VILLAGE,
    "readiness:village_file": _VILLAGE,
    "readiness:intents_export": _INTENTS_SHEET,
    "readiness:intents_import": _intents_import(refused_status=200),
}

API_RULES = {
    "GET /api/v1/readiness/table": Rule("scoped", **_ROLLUP),
    "GET /api/v1/readiness/table.xlsx": Rule("scoped", **_ROLLUP, as_text=xlsx_text),
    "GET /api/v1/readiness/{code}/rehearsal": _VILLAGE,
    "GET /api/v1/readiness/{code}/file.pdf": _VILLAGE,
    "GET /api/v1/readiness/intents.xlsx": _INTENTS_SHEET,
    "POST /api/v1/readiness/intents/import": _intents_import(refused_status=400),
    "GET /api/v1/readiness/{code}/assessments": _VILLAGE,
    "POST /api/v1/readiness/{code}/assessments": _ASSESS_RULE,
    "GET /api/v1/readiness/{code}/tasks": _VILLAGE,
    "POST /api/v1/readiness/tasks/{task_id}/status": _task_move("task_id"),
    "POST /api/v1/readiness/{code}/workplan": _WORK_PLAN,
    "GET /api/v1/readiness/{code}/plan": _VILLAGE,
    "POST /api/v1/readiness/{code}/plan": _PLAN_ADD,
    "POST /api/v1/readiness/plan/{item_id}/done": _plan_done("item_id"),
    "PUT /api/v1/readiness/plan/{item_id}": _plan_edit("item_id"),
    "PUT /api/v1/readiness/template/tasks/{task_id}": _template_task_edit("task_id"),
    "POST /api/v1/readiness/template/tasks/{task_id}/active": _template_task_active("task_id"),
    "GET /api/v1/readiness/{code}/intents": _VILLAGE,
    "POST /api/v1/readiness/{code}/intents": _INTENT,
    "GET /api/v1/readiness/template/{code}": _TEMPLATE,
    "POST /api/v1/readiness/template/{code}": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=code(COUNTY),
        b=code(OTHER_COUNTY),
        body_a=lambda w: _TEMPLATE_TASK,
        body_b=lambda w: _TEMPLATE_TASK,
        b_unchanged=lambda w: TemplateTask.objects.filter(county_id=OTHER_COUNTY).count() == 1,
    ),
}
