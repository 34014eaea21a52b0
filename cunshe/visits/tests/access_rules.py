from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open
from cunshe.visits.exports import PLAN_COLUMNS
from cunshe.visits.models import CoverageTarget, GroupMember, VisitTarget
from cunshe.visits.services import group_member_add, visit_plan_generate


def ensure_term_changes() -> None:
    """The walk's counties need a term change in progress; the termchanges module's setup usually opened them."""
    for county in (COUNTY, OTHER_COUNTY):
        if current_term_change(county) is None:
            term_change_open(actor=SYSTEM, county_code=county, year=2026, opened_on=date(2026, 9, 1))


def setup(world: World, make_person: Any, **_: Any) -> None:
    ensure_term_changes()
    for key, village in (("a", VILLAGE_A), ("b", VILLAGE_B)):
        member = make_person(
            village,
            name=f"走访党员{key}",
            is_party_member=True,
            birth_date=date(1965, 3, 1),
            party_joined_on=date(1990, 7, 1),
        )
        notable = make_person(village, name=f"乡贤{key}")
        group_member_add(actor=SYSTEM, person=notable, group="notable")
        visit_plan_generate(
            actor=SYSTEM, village_code=village, groups=["party_member"], visitor="驻村干部", due_on=date(2026, 10, 15)
        )
        world.extra[f"visit_target_{key}"] = VisitTarget.objects.get(person=member)


def village_name(code: str) -> Any:
    return lambda w: Region.objects.get(code=code).name


def plan_upload(which: str) -> Any:
    def upload(w: World) -> dict[str, Any]:
        person = getattr(w, which)
        buffer = BytesIO()
        row = {"id_number": person.id_number, "group": "household", "visitor": "网格员", "due_on": date(2026, 10, 20)}
        write_workbook("走访计划", PLAN_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("plan.xlsx", buffer.getvalue())}

    return upload


def _no_notable_plan_in_b(w: World) -> bool:
    return not VisitTarget.objects.filter(region_id=VILLAGE_B, group="notable").exists()


def _target_b_unvisited(w: World) -> bool:
    return VisitTarget.objects.get(pk=w.extra["visit_target_b"].pk).visited_on is None


def _target(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[f"visit_target_{key}"].pk}


_GENERATE = {"groups": ["notable"], "visitor": "包村干部", "due_on": "2026-10-20"}
_VISIT = {"mode": "phone", "visited_on": "2026-10-08", "visitors": "驻村干部", "summary": "身体健康，支持换届工作"}

WEB_RULES = {
    "visits:overview": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=village_name(VILLAGE_A),
        marker_b=village_name(VILLAGE_B),
    ),
    "visits:export": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=village_name(VILLAGE_A),
        marker_b=village_name(VILLAGE_B),
        as_text=xlsx_text,
    ),
    "visits:target_set": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": COUNTY, "group": "household", "percent": 90, "version_household": 0},
        body_b=lambda w: {"county": OTHER_COUNTY, "group": "household", "percent": 90, "version_household": 0},
        b_unchanged=lambda w: not CoverageTarget.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "visits:import": Rule(
        "scoped",
        method="POST",
        body_a=plan_upload("person_a"),
        body_b=plan_upload("person_b"),
        refused_status=200,
        b_unchanged=lambda w: not VisitTarget.objects.filter(person=w.person_b).exists(),
    ),
    "visits:plan_export": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "visits:task_sheet": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "visits:target": Rule("scoped", a=_target("a"), b=_target("b")),
    "visits:village": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "visits:generate": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: _GENERATE,
        body_b=lambda w: _GENERATE,
        b_unchanged=_no_notable_plan_in_b,
    ),
    "visits:group_member": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {"person": w.person_a.pk, "group": "villager_rep"},
        body_b=lambda w: {"person": w.person_b.pk, "group": "villager_rep"},
        b_unchanged=lambda w: not GroupMember.objects.filter(person=w.person_b).exists(),
    ),
}

API_RULES = {
    "GET /api/v1/visits/coverage.xlsx": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=village_name(VILLAGE_A),
        marker_b=village_name(VILLAGE_B),
        as_text=xlsx_text,
    ),
    "GET /api/v1/visits/{code}/plan.xlsx": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/visits/import": Rule(
        "scoped",
        method="POST",
        body_a=plan_upload("person_a"),
        body_b=plan_upload("person_b"),
        refused_status=400,
        b_unchanged=lambda w: not VisitTarget.objects.filter(person=w.person_b).exists(),
    ),
    "GET /api/v1/visits/coverage": Rule(
        "scoped",
        query_a=f"?under={TOWN_A}",
        query_b=f"?under={TOWN_B}",
        marker_a=village_name(VILLAGE_A),
        marker_b=village_name(VILLAGE_B),
    ),
    "GET /api/v1/visits/{code}/plan": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "GET /api/v1/visits/{code}/tasks.pdf": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/visits/{code}/plan": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: _GENERATE,
        body_b=lambda w: _GENERATE,
        b_unchanged=_no_notable_plan_in_b,
    ),
    "POST /api/v1/visits/plan/{target_id}/visits": Rule(
        "scoped",
        method="POST",
        a=_target("a", "target_id"),
        b=_target("b", "target_id"),
        body_a=lambda w: _VISIT,
        body_b=lambda w: _VISIT,
        b_unchanged=_target_b_unvisited,
    ),
    "GET /api/v1/visits/{code}/groups": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/visits/{code}/groups": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {"person_id": w.person_a.pk, "group": "villager_rep"},
        body_b=lambda w: {"person_id": w.person_b.pk, "group": "villager_rep"},
        b_unchanged=lambda w: not GroupMember.objects.filter(person=w.person_b).exists(),
    ),
    # A town's officer reads the county's targets; only the county's organizers set them.
    "GET /api/v1/visits/targets/{county}": Rule(
        "scoped", a=lambda w: {"county": COUNTY}, b=lambda w: {"county": OTHER_COUNTY}
    ),
    "PUT /api/v1/visits/targets/{county}/{group}": Rule(
        "scoped",
        actor="organizer_a",
        method="PUT",
        a=lambda w: {"county": COUNTY, "group": "household"},
        b=lambda w: {"county": OTHER_COUNTY, "group": "household"},
        body_a=lambda w: {"percent": 90, "version": 0},
        body_b=lambda w: {"percent": 90, "version": 0},
        b_unchanged=lambda w: not CoverageTarget.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
}
