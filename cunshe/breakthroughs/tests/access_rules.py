from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World, no_text, pk
from cunshe.breakthroughs.models import Milestone, Project, Task
from cunshe.breakthroughs.services import project_approve, project_finish, project_propose, report_add, task_add
from cunshe.breakthroughs.tests.helpers import with_secretary
from cunshe.core.actors import SYSTEM

# villages of their own, per side: a project proposed, one approved, one finished (each village has one project)
VILLAGES = {"a": "371681001238", "b": "371681002235"}  # 鄢家村委会 (黛溪街道), 鲁西村委会 (黄山街道)
APPROVED = {"a": "371681001220", "b": "371681002205"}
FINISHED = {"a": "371681001221", "b": "371681002206"}
READY = {"a": "371681001222", "b": "371681002207"}  # approved, every milestone reached: to be finished
FRESH = {"a": "371681001223", "b": "371681002208"}  # a secretary without a project: to propose one
TASK_TITLE = "发展壮大村级集体经济"


def setup(world: World, make_person: Any, **_: Any) -> None:
    task = task_add(actor=SYSTEM, county_code=COUNTY, title=TASK_TITLE)
    world.extra["breakthroughs_task_other"] = task_add(actor=SYSTEM, county_code=OTHER_COUNTY, title=TASK_TITLE)
    day = timezone.localdate()
    for side in ("a", "b"):
        with_secretary(FRESH[side], make_person, since=date(2026, 1, 1))
        made = {}
        states = (
            ("proposed", VILLAGES[side]),
            ("approved", APPROVED[side]),
            ("ready", READY[side]),
            ("finished", FINISHED[side]),
        )
        for state, village in states:
            with_secretary(village, make_person, since=date(2026, 1, 1))
            p = project_propose(
                actor=SYSTEM,
                village_code=village,
                task=task,
                title=f"{side}合作社",
                goal="集体增收",
                milestones=[("章程", day)],
                proposed_on=day,
            )
            if state != "proposed":
                p = project_approve(actor=SYSTEM, project=p, approved_on=day, expected_version=p.version)
            if state in ("ready", "finished"):
                Milestone.objects.filter(project=p).update(done_on=day)
            if state == "finished":
                p = project_finish(actor=SYSTEM, project=p, finished_on=day, result="增收", expected_version=p.version)
            made[state] = p
            world.extra[f"breakthroughs_{state}_{side}"] = p
        world.extra[f"breakthroughs_milestone_{side}"] = Milestone.objects.get(project=made["approved"])
        photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
        world.extra[f"breakthroughs_photo_{side}"] = report_add(
            actor=SYSTEM, project=made["ready"], reported_on=day, text="动员会", photo=photo
        )
    world.extra["breakthroughs_task"] = task


def _v(side: str) -> Any:
    return lambda w: {"code": VILLAGES[side]}


def _town(code: str) -> Any:
    return lambda w: {"code": code}


def _today() -> str:
    return timezone.localdate().isoformat()


def _current(w: World, key: str) -> Project:
    return Project.objects.get(pk=w.extra[key].pk)


def _version(side: str) -> Any:
    return lambda w: {"day": _today(), "version": _current(w, f"breakthroughs_proposed_{side}").version}


def _b_status(state: str) -> Any:
    return lambda w: _current(w, f"breakthroughs_{state}_b").status == ("approved" if state == "ready" else state)


def _no_task_b(w: World) -> bool:
    return not Task.objects.filter(county_id=OTHER_COUNTY, title="新任务").exists()


def _milestone_open_b(w: World) -> bool:
    return Milestone.objects.get(pk=w.extra["breakthroughs_milestone_b"].pk).done_on is None


def _propose_body(w: World) -> dict[str, Any]:
    return {
        "task": w.extra["breakthroughs_task"].pk,
        "title": "再申报",
        "goal": "x",
        "milestones": f"{_today()} 节点",
        "proposed_on": _today(),
    }


def _propose_api(w: World) -> dict[str, Any]:
    return {
        "task_id": w.extra["breakthroughs_task"].pk,
        "title": "再申报",
        "goal": "x",
        "milestones": [{"title": "节点", "due_on": _today()}],
        "proposed_on": _today(),
    }


def _no_project_b(w: World) -> bool:
    return not Project.objects.filter(region_id=FRESH["b"]).exists()


def _fresh(side: str) -> Any:
    return lambda w: {"code": FRESH[side]}


def _report(w: World) -> dict[str, Any]:
    return {"reported_on": _today(), "text": "召开动员会"}


def _report_photo(w: World) -> dict[str, Any]:
    # multipart, as the operation takes it
    return {**_report(w), "photo": SimpleUploadedFile("p.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")}


def _finish(side: str) -> Any:
    return lambda w: {
        "finished_on": _today(),
        "result": "增收 10 万元",
        "version": _current(w, f"breakthroughs_ready_{side}").version,
    }


def _rate(side: str) -> Any:
    return lambda w: {
        "rating": "excellent",
        "note": "成效明显",
        "rated_on": _today(),
        "version": _current(w, f"breakthroughs_finished_{side}").version,
    }


def _no_report_b(w: World) -> bool:
    return not _current(w, "breakthroughs_approved_b").reports.exists()


WEB_RULES = {
    "breakthroughs:index": Rule("signed_in"),
    # a page falls back to the user's own town: the other town's projects stay out of it
    "breakthroughs:region": Rule(
        "scoped", a=_town(TOWN_A), b=_town(TOWN_B), marker_a=lambda w: "a合作社", marker_b=lambda w: "b合作社"
    ),
    "breakthroughs:ledger": Rule("scoped", a=_town(TOWN_A), b=_town(TOWN_B), as_text=no_text),
    "breakthroughs:tasks": Rule("scoped", a=lambda w: {"code": COUNTY}, b=lambda w: {"code": OTHER_COUNTY}),
    "breakthroughs:task_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=lambda w: {"code": COUNTY},
        b=lambda w: {"code": OTHER_COUNTY},
        body_a=lambda w: {"title": "新任务", "description": ""},
        body_b=lambda w: {"title": "新任务", "description": ""},
        b_unchanged=_no_task_b,
    ),
    "breakthroughs:village": Rule("scoped", a=_v("a"), b=_v("b")),
    "breakthroughs:propose": Rule(
        "scoped",
        method="POST",
        a=_fresh("a"),
        b=_fresh("b"),
        body_a=_propose_body,
        body_b=_propose_body,
        b_unchanged=_no_project_b,
    ),
    "breakthroughs:project": Rule("scoped", a=pk("breakthroughs_proposed_a"), b=pk("breakthroughs_proposed_b")),
    "breakthroughs:project_sheet": Rule(
        "scoped", a=pk("breakthroughs_finished_a"), b=pk("breakthroughs_finished_b"), as_text=no_text
    ),
    "breakthroughs:approve": Rule(
        "scoped",
        method="POST",
        a=pk("breakthroughs_proposed_a"),
        b=pk("breakthroughs_proposed_b"),
        body_a=_version("a"),
        body_b=_version("b"),
        b_unchanged=_b_status("proposed"),
    ),
    "breakthroughs:report": Rule(
        "scoped",
        method="POST",
        a=pk("breakthroughs_approved_a"),
        b=pk("breakthroughs_approved_b"),
        body_a=_report,
        body_b=_report,
        b_unchanged=_no_report_b,
    ),
    "breakthroughs:finish": Rule(
        "scoped",
        method="POST",
        a=pk("breakthroughs_ready_a"),
        b=pk("breakthroughs_ready_b"),
        body_a=_finish("a"),
        body_b=_finish("b"),
        b_unchanged=_b_status("ready"),
    ),
    "breakthroughs:rate": Rule(
        "scoped",
        method="POST",
        a=pk("breakthroughs_finished_a"),
        b=pk("breakthroughs_finished_b"),
        body_a=_rate("a"),
        body_b=_rate("b"),
        b_unchanged=_b_status("finished"),
    ),
    "breakthroughs:milestone": Rule(
        "scoped",
        method="POST",
        a=pk("breakthroughs_milestone_a"),
        b=pk("breakthroughs_milestone_b"),
        body_a=lambda w: {"day": _today()},
        body_b=lambda w: {"day": _today()},
        b_unchanged=_milestone_open_b,
    ),
    "breakthroughs:photo": Rule(
        "scoped", a=pk("breakthroughs_photo_a"), b=pk("breakthroughs_photo_b"), as_text=no_text
    ),
}


def _api(rule: Rule, **names: str) -> Rule:
    """The page's rule for the API operation: the same records under the API's parameter names."""
    a, b = rule.a, rule.b
    assert a is not None and b is not None
    (name, new), *_ = names.items() if names else (("", ""),)

    def rename(probe: Any) -> Any:
        return (lambda w: {new: next(iter(probe(w).values()))}) if name else probe

    return Rule(
        rule.kind,
        actor=rule.actor,
        method=rule.method,
        a=rename(a),
        b=rename(b),
        body_a=rule.body_a,
        body_b=rule.body_b,
        b_unchanged=rule.b_unchanged,
        marker_a=rule.marker_a,
        marker_b=rule.marker_b,
        as_text=rule.as_text,
    )


W = WEB_RULES
API_RULES = {
    "GET /api/v1/breakthroughs/tasks/{code}": _api(W["breakthroughs:tasks"]),
    "POST /api/v1/breakthroughs/tasks/{code}": _api(W["breakthroughs:task_new"]),
    "GET /api/v1/breakthroughs/region/{code}": _api(W["breakthroughs:region"]),
    "GET /api/v1/breakthroughs/region/{code}/ledger.xlsx": _api(W["breakthroughs:ledger"]),
    "POST /api/v1/breakthroughs/village/{code}/propose": Rule(
        "scoped",
        method="POST",
        a=_fresh("a"),
        b=_fresh("b"),
        body_a=_propose_api,
        body_b=_propose_api,
        b_unchanged=_no_project_b,
    ),
    "GET /api/v1/breakthroughs/project/{project_id}": _api(W["breakthroughs:project"], pk="project_id"),
    "GET /api/v1/breakthroughs/project/{project_id}/sheet.pdf": _api(W["breakthroughs:project_sheet"], pk="project_id"),
    "POST /api/v1/breakthroughs/project/{project_id}/approve": _api(W["breakthroughs:approve"], pk="project_id"),
    "POST /api/v1/breakthroughs/milestone/{milestone_id}/done": _api(W["breakthroughs:milestone"], pk="milestone_id"),
    "POST /api/v1/breakthroughs/project/{project_id}/reports": Rule(
        "scoped",
        method="POST",
        a=pk("breakthroughs_approved_a", "project_id"),
        b=pk("breakthroughs_approved_b", "project_id"),
        body_a=_report_photo,
        body_b=_report_photo,
        b_unchanged=_no_report_b,
    ),
    "GET /api/v1/breakthroughs/photo/{report_id}": _api(W["breakthroughs:photo"], pk="report_id"),
    "POST /api/v1/breakthroughs/project/{project_id}/finish": _api(W["breakthroughs:finish"], pk="project_id"),
    "POST /api/v1/breakthroughs/project/{project_id}/rate": _api(W["breakthroughs:rate"], pk="project_id"),
}
