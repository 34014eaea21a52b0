from typing import Any

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, pk, version, xlsx_text
from cunshe.investigations.models import ClearingItem, Coverage, InvestigationTeam, ItemIssue, WorkLog
from cunshe.investigations.tests.helpers import items_of, logged, started, team_covering
from cunshe.visits.tests.access_rules import ensure_term_changes, village_name

TOWNS = {"a": TOWN_A, "b": TOWN_B}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
NAMES = {"a": "黛溪清底调查队", "b": "黄山清底调查队"}


def setup(world: World, **_: Any) -> None:
    ensure_term_changes()
    for side in ("a", "b"):
        team, coverage = team_covering(TOWNS[side], VILLAGES[side], name=NAMES[side])
        logged(team, VILLAGES[side])
        items = items_of(VILLAGES[side])
        world.extra |= {
            f"inv_team_{side}": team,
            f"inv_coverage_{side}": coverage,
            f"inv_new_{side}": items[0],
            f"inv_prog_{side}": started(items[1]),
        }


def _item_b(key: str, status: str) -> Any:
    def unchanged(w: World) -> bool:
        item = ClearingItem.objects.get(pk=w.extra[f"inv_{key}_b"].pk)
        return item.status == status and not ItemIssue.objects.filter(item=item).exists()

    return unchanged


def _team_b(w: World) -> bool:
    team = InvestigationTeam.objects.get(pk=w.extra["inv_team_b"].pk)
    return (
        team.members.count() == 2
        and team.coverages.count() == 1
        and WorkLog.objects.filter(team=team).count() == 1
        and not InvestigationTeam.objects.filter(name="新调研组").exists()
    )


def _coverage_b(w: World) -> bool:
    return Coverage.objects.get(pk=w.extra["inv_coverage_b"].pk).to_on is None


def _by_town(**reading: Any) -> Rule:
    return Rule(
        "scoped",
        marker_a=village_name(VILLAGE_A),
        marker_b=village_name(VILLAGE_B),
        **reading,
    )


MEMBER = {"name": "新成员", "role": "resident", "post": "驻村干部", "phone": "", "joined_on": "2026-10-01"}
LOG = {"worked_on": "2026-10-10", "talks": 5, "households": 9, "note": "走访老党员"}
FIND = {
    "title": "村集体账目未公开",
    "owner": "驻村干部",
    "due_on": "2026-11-10",
    "detail": "",
    "found_on": "2026-10-10",
}
CLEAR = {"cleared_on": "2026-10-20", "cleared_by": "驻村干部", "evidence": "已核对账目并公开"}
TEAM = {"name": "新调研组", "formed_on": "2026-09-25"}


def _village(side: str, body: dict[str, Any]) -> Any:
    return lambda w: {**body, "village": VILLAGES[side]}


WEB_RULES = {
    "investigations:index": _by_town(query_a=f"?region={TOWN_A}", query_b=f"?region={TOWN_B}"),
    "investigations:export": _by_town(query_a=f"?region={TOWN_A}", query_b=f"?region={TOWN_B}", as_text=xlsx_text),
    "investigations:team_new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**TEAM, "town": TOWN_A},
        body_b=lambda w: {**TEAM, "town": TOWN_B},
        refused_status=400,
        b_unchanged=_team_b,
    ),
    "investigations:team": Rule("scoped", a=pk("inv_team_a"), b=pk("inv_team_b")),
    "investigations:member_new": Rule(
        "scoped",
        method="POST",
        a=pk("inv_team_a"),
        b=pk("inv_team_b"),
        body_a=lambda w: MEMBER,
        body_b=lambda w: MEMBER,
        b_unchanged=_team_b,
    ),
    "investigations:coverage_new": Rule(
        "scoped",
        method="POST",
        a=pk("inv_team_a"),
        b=pk("inv_team_b"),
        body_a=lambda w: {"village": "371681001214", "from_on": "2026-10-01"},
        body_b=lambda w: {"village": "371681002202", "from_on": "2026-10-01"},
        b_unchanged=_team_b,
    ),
    "investigations:log_new": Rule(
        "scoped",
        method="POST",
        a=pk("inv_team_a"),
        b=pk("inv_team_b"),
        body_a=_village("a", LOG),
        body_b=_village("b", LOG),
        b_unchanged=_team_b,
    ),
    "investigations:coverage_end": Rule(
        "scoped",
        method="POST",
        a=pk("inv_coverage_a"),
        b=pk("inv_coverage_b"),
        body_a=lambda w: {"to_on": "2026-11-30"},
        body_b=lambda w: {"to_on": "2026-11-30"},
        b_unchanged=_coverage_b,
    ),
    "investigations:village": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "investigations:village_print": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}, as_text=lambda c: pdf_text(c)[0]
    ),
    "investigations:item_start": Rule(
        "scoped",
        method="POST",
        a=pk("inv_new_a"),
        b=pk("inv_new_b"),
        body_a=version("inv_new_a", started_on="2026-10-10"),
        body_b=version("inv_new_b", started_on="2026-10-10"),
        b_unchanged=_item_b("new", "not_started"),
    ),
    "investigations:item_find": Rule(
        "scoped",
        method="POST",
        a=pk("inv_new_a"),
        b=pk("inv_new_b"),
        body_a=lambda w: FIND,
        body_b=lambda w: FIND,
        b_unchanged=_item_b("new", "not_started"),
    ),
    "investigations:item_clear": Rule(
        "scoped",
        method="POST",
        a=pk("inv_prog_a"),
        b=pk("inv_prog_b"),
        body_a=version("inv_prog_a", **CLEAR),
        body_b=version("inv_prog_b", **CLEAR),
        b_unchanged=_item_b("prog", "in_progress"),
    ),
}

_API = "/api/v1/investigations"
API_RULES = {
    f"GET {_API}/table": _by_town(query_a=f"?under={TOWN_A}", query_b=f"?under={TOWN_B}"),
    f"GET {_API}/table.xlsx": _by_town(query_a=f"?under={TOWN_A}", query_b=f"?under={TOWN_B}", as_text=xlsx_text),
    f"GET {_API}/teams": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    f"POST {_API}/teams": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**TEAM, "town": TOWN_A},
        body_b=lambda w: {**TEAM, "town": TOWN_B},
        b_unchanged=_team_b,
    ),
    f"GET {_API}/teams/{{team_id}}": Rule("scoped", a=pk("inv_team_a", "team_id"), b=pk("inv_team_b", "team_id")),
    f"GET {_API}/teams/{{team_id}}/logs": Rule("scoped", a=pk("inv_team_a", "team_id"), b=pk("inv_team_b", "team_id")),
    f"POST {_API}/teams/{{team_id}}/members": Rule(
        "scoped",
        method="POST",
        a=pk("inv_team_a", "team_id"),
        b=pk("inv_team_b", "team_id"),
        body_a=lambda w: MEMBER,
        body_b=lambda w: MEMBER,
        b_unchanged=_team_b,
    ),
    f"POST {_API}/teams/{{team_id}}/villages": Rule(
        "scoped",
        method="POST",
        a=pk("inv_team_a", "team_id"),
        b=pk("inv_team_b", "team_id"),
        body_a=lambda w: {"village": "371681001214", "from_on": "2026-10-01"},
        body_b=lambda w: {"village": "371681002202", "from_on": "2026-10-01"},
        b_unchanged=_team_b,
    ),
    f"POST {_API}/teams/{{team_id}}/logs": Rule(
        "scoped",
        method="POST",
        a=pk("inv_team_a", "team_id"),
        b=pk("inv_team_b", "team_id"),
        body_a=_village("a", LOG),
        body_b=_village("b", LOG),
        b_unchanged=_team_b,
    ),
    f"POST {_API}/coverages/{{coverage_id}}/end": Rule(
        "scoped",
        method="POST",
        a=pk("inv_coverage_a", "coverage_id"),
        b=pk("inv_coverage_b", "coverage_id"),
        body_a=lambda w: {"to_on": "2026-11-30"},
        body_b=lambda w: {"to_on": "2026-11-30"},
        b_unchanged=_coverage_b,
    ),
    f"GET {_API}/villages/{{code}}": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    f"GET {_API}/villages/{{code}}/checklist.pdf": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}, as_text=lambda c: pdf_text(c)[0]
    ),
    f"POST {_API}/items/{{item_id}}/start": Rule(
        "scoped",
        method="POST",
        a=pk("inv_new_a", "item_id"),
        b=pk("inv_new_b", "item_id"),
        body_a=version("inv_new_a", started_on="2026-10-10"),
        body_b=version("inv_new_b", started_on="2026-10-10"),
        b_unchanged=_item_b("new", "not_started"),
    ),
    f"POST {_API}/items/{{item_id}}/find": Rule(
        "scoped",
        method="POST",
        a=pk("inv_new_a", "item_id"),
        b=pk("inv_new_b", "item_id"),
        body_a=lambda w: FIND,
        body_b=lambda w: FIND,
        b_unchanged=_item_b("new", "not_started"),
    ),
    f"POST {_API}/items/{{item_id}}/clear": Rule(
        "scoped",
        method="POST",
        a=pk("inv_prog_a", "item_id"),
        b=pk("inv_prog_b", "item_id"),
        body_a=version("inv_prog_a", **CLEAR),
        body_b=version("inv_prog_b", **CLEAR),
        b_unchanged=_item_b("prog", "in_progress"),
    ),
}
