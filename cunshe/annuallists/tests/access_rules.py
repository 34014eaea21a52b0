from datetime import date
from typing import Any

from django.utils import timezone

from conftest import TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World, no_text, pk, version
from cunshe.annuallists.models import AnnualList, ItemEntry, ListItem, RoundVisit, Status, VisitRound
from cunshe.annuallists.services import (
    goal_add,
    item_add,
    list_draft,
    list_pledge,
    list_review,
    list_submit,
    round_open,
    round_visit_record,
)
from cunshe.annuallists.tests.helpers import OPENED, photo
from cunshe.core.actors import SYSTEM
from cunshe.firstyear.tests.helpers import certified

# villages of their own: the lists' village, one without a round, one with a round under way
VILLAGES = {"a": "371681001218", "b": "371681002209"}  # 滕家村委会 (黛溪街道), 东杨堤村委会 (黄山街道)
FRESH = {"a": "371681001219", "b": "371681002210"}  # 马庄, 见埠
UNDERWAY = {"a": "371681001228", "b": "371681002211"}  # 南关, 惠杨
NAMES = {"a": "滕家", "b": "东杨堤"}
STATES = {2027: Status.DRAFT, 2028: Status.SUBMITTED, 2029: Status.APPROVED, 2030: Status.PUBLIC}


def _list_in(village: str, year: int, reached: date) -> AnnualList:
    a = list_draft(actor=SYSTEM, village_code=village, year=year, drafted_on=reached)
    item_add(
        actor=SYSTEM,
        annual_list=a,
        title=f"{year}年修缮文化广场",
        responsible="村委会主任",
        due_on=date(year, 10, 1),
        expected_version=a.version,
    )
    a.refresh_from_db()
    milestones = [{"year": year, "text": "完成规划"}]
    goal_add(
        actor=SYSTEM, annual_list=a, area="culture", goal="乡风文明", milestones=milestones, expected_version=a.version
    )
    a.refresh_from_db()
    if STATES[year] == Status.DRAFT:
        return a
    a = list_submit(actor=SYSTEM, annual_list=a, expected_version=a.version)
    if STATES[year] == Status.SUBMITTED:
        return a
    a = list_review(actor=SYSTEM, annual_list=a, approve=True, reviewed_on=reached, expected_version=a.version)
    if STATES[year] == Status.APPROVED:
        return a
    return list_pledge(
        actor=SYSTEM,
        annual_list=a,
        pledged_on=reached,
        place="党群服务中心",
        attendance=30,
        evidence=photo(),
        expected_version=a.version,
    )


def setup(world: World, make_person: Any, **_: Any) -> None:
    for side in ("a", "b"):
        village = VILLAGES[side]
        certified(village, make_person)
        r = round_open(actor=SYSTEM, village_code=village, opened_on=OPENED, households=1)
        round_visit_record(
            actor=SYSTEM, visit_round=r, household=f"{NAMES[side]}王五", visited_on=OPENED, visitors="书记"
        )
        world.extra[f"annuallists_round_{side}"] = r
        for year, status in STATES.items():
            world.extra[f"annuallists_{status}_{side}"] = _list_in(village, year, OPENED)
        world.extra[f"annuallists_item_{side}"] = ListItem.objects.get(
            annual_list=world.extra[f"annuallists_public_{side}"]
        )
        certified(FRESH[side], make_person)
        certified(UNDERWAY[side], make_person)
        world.extra[f"annuallists_underway_{side}"] = round_open(
            actor=SYSTEM, village_code=UNDERWAY[side], opened_on=OPENED, households=5
        )


def _code(villages: dict[str, str], side: str) -> Any:
    return lambda w: {"code": villages[side]}


def _town(code: str) -> Any:
    return lambda w: {"code": code}


def _with_version(key: str, fields: dict[str, Any]) -> Any:
    return lambda w: {**fields, **version(key)(w)}


def _status(key: str, status: str) -> Any:
    return lambda w: AnnualList.objects.get(pk=w.extra[key].pk).status == status


def _count(model: Any, key: str, n: int, field: str = "annual_list") -> Any:
    return lambda w: model.objects.filter(**{field: w.extra[key]}).count() == n


ROUND = {"opened_on": OPENED.isoformat(), "households": 10}
VISIT = {"household": "新走访户", "visited_on": OPENED.isoformat(), "visitors": "第一书记", "opinion": "修路灯"}
DRAFT = {"year": 2026, "drafted_on": OPENED.isoformat()}
ITEM = {"title": "安装路灯", "responsible": "村委会主任", "due_on": "2027-05-01"}
GOAL = {"area": "party", "goal": "支部过硬", "milestones": "2027：规范三会一课"}
GOAL_API = {"area": "party", "goal": "支部过硬", "milestones": [{"year": 2027, "text": "规范三会一课"}]}
RETURN = {"approve": "0", "reason": "请补充完成时限依据"}
RETURN_API = {"approve": False, "reason": "请补充完成时限依据"}


def _pledge(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        version = AnnualList.objects.get(pk=w.extra[f"annuallists_approved_{side}"].pk).version
        base = {"pledged_on": OPENED.isoformat(), "place": "党群服务中心", "attendance": 30}
        return {**base, "version": version, "evidence": photo()}

    return body


def _progress(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        item = ListItem.objects.get(pk=w.extra[f"annuallists_item_{side}"].pk)
        today = timezone.localdate().isoformat()
        return {"written_on": today, "note": "已开工", "status": "doing", "version": item.version}

    return body


def _no_round_b(w: World) -> bool:
    return not VisitRound.objects.filter(region_id=FRESH["b"]).exists()


def _no_visit_b(w: World) -> bool:
    return not RoundVisit.objects.filter(round=w.extra["annuallists_underway_b"]).exists()


def _no_draft_b(w: World) -> bool:
    return not AnnualList.objects.filter(region_id=VILLAGES["b"], year=2026).exists()


def _no_entry_b(w: World) -> bool:
    return not ItemEntry.objects.filter(item=w.extra["annuallists_item_b"]).exists()


def _rules(api: bool) -> dict[str, Rule]:
    goal, review = (GOAL_API, RETURN_API) if api else (GOAL, RETURN)
    return {
        "round_open": Rule(
            "scoped",
            method="POST",
            a=_code(FRESH, "a"),
            b=_code(FRESH, "b"),
            body_a=lambda w: ROUND,
            body_b=lambda w: ROUND,
            b_unchanged=_no_round_b,
        ),
        "draft": Rule(
            "scoped",
            method="POST",
            a=_code(VILLAGES, "a"),
            b=_code(VILLAGES, "b"),
            body_a=lambda w: DRAFT,
            body_b=lambda w: DRAFT,
            b_unchanged=_no_draft_b,
        ),
        "item_new": Rule(
            "scoped",
            method="POST",
            a=pk("annuallists_draft_a", "list_id" if api else "pk"),
            b=pk("annuallists_draft_b", "list_id" if api else "pk"),
            body_a=_with_version("annuallists_draft_a", ITEM),
            body_b=_with_version("annuallists_draft_b", ITEM),
            b_unchanged=_count(ListItem, "annuallists_draft_b", 1),
        ),
        "goal_new": Rule(
            "scoped",
            method="POST",
            a=pk("annuallists_draft_a", "list_id" if api else "pk"),
            b=pk("annuallists_draft_b", "list_id" if api else "pk"),
            body_a=_with_version("annuallists_draft_a", goal),
            body_b=_with_version("annuallists_draft_b", goal),
            b_unchanged=lambda w: AnnualList.objects.get(pk=w.extra["annuallists_draft_b"].pk).goals.count() == 1,
        ),
        "submit": Rule(
            "scoped",
            method="POST",
            a=pk("annuallists_draft_a", "list_id" if api else "pk"),
            b=pk("annuallists_draft_b", "list_id" if api else "pk"),
            body_a=version("annuallists_draft_a"),
            body_b=version("annuallists_draft_b"),
            b_unchanged=_status("annuallists_draft_b", Status.DRAFT),
        ),
        "review": Rule(
            "scoped",
            method="POST",
            a=pk("annuallists_submitted_a", "list_id" if api else "pk"),
            b=pk("annuallists_submitted_b", "list_id" if api else "pk"),
            body_a=_with_version("annuallists_submitted_a", review),
            body_b=_with_version("annuallists_submitted_b", review),
            b_unchanged=_status("annuallists_submitted_b", Status.SUBMITTED),
        ),
        "pledge": Rule(
            "scoped",
            method="POST",
            a=pk("annuallists_approved_a", "list_id" if api else "pk"),
            b=pk("annuallists_approved_b", "list_id" if api else "pk"),
            body_a=_pledge("a"),
            body_b=_pledge("b"),
            b_unchanged=_status("annuallists_approved_b", Status.APPROVED),
        ),
        "progress": Rule(
            "scoped",
            method="POST",
            a=pk("annuallists_item_a", "item_id" if api else "pk"),
            b=pk("annuallists_item_b", "item_id" if api else "pk"),
            body_a=_progress("a"),
            body_b=_progress("b"),
            b_unchanged=_no_entry_b,
        ),
        "list": Rule(
            "scoped",
            a=pk("annuallists_public_a", "list_id" if api else "pk"),
            b=pk("annuallists_public_b", "list_id" if api else "pk"),
        ),
        "list_pdf": Rule(
            "scoped",
            a=pk("annuallists_public_a", "list_id" if api else "pk"),
            b=pk("annuallists_public_b", "list_id" if api else "pk"),
            as_text=no_text,
        ),
        "village": Rule("scoped", a=_code(VILLAGES, "a"), b=_code(VILLAGES, "b")),
        "rollup": Rule(
            "scoped",
            a=_town(TOWN_A),
            b=_town(TOWN_B),
            marker_a=lambda w: NAMES["a"],
            marker_b=lambda w: NAMES["b"],
        ),
        "rollup_xlsx": Rule("scoped", a=_town(TOWN_A), b=_town(TOWN_B), as_text=no_text),
    }


_WEB = _rules(api=False)
_API = _rules(api=True)

WEB_RULES = {
    "annuallists:index": Rule("signed_in"),
    "annuallists:rollup": _WEB["rollup"],
    "annuallists:rollup_xlsx": _WEB["rollup_xlsx"],
    "annuallists:village": _WEB["village"],
    "annuallists:round_open": _WEB["round_open"],
    "annuallists:visit": Rule(
        "scoped",
        method="POST",
        a=_code(UNDERWAY, "a"),
        b=_code(UNDERWAY, "b"),
        body_a=lambda w: VISIT,
        body_b=lambda w: VISIT,
        b_unchanged=_no_visit_b,
    ),
    "annuallists:draft": _WEB["draft"],
    "annuallists:list": _WEB["list"],
    "annuallists:item_new": _WEB["item_new"],
    "annuallists:goal_new": _WEB["goal_new"],
    "annuallists:submit": _WEB["submit"],
    "annuallists:review": _WEB["review"],
    "annuallists:pledge": _WEB["pledge"],
    "annuallists:list_pdf": _WEB["list_pdf"],
    "annuallists:evidence": _WEB["list_pdf"],
    "annuallists:progress": _WEB["progress"],
}

_BASE = "/api/v1/annuallists"
API_RULES = {
    f"GET {_BASE}/village/{{code}}": _API["village"],
    f"POST {_BASE}/village/{{code}}/round": _API["round_open"],
    f"GET {_BASE}/round/{{round_id}}/visits": Rule(
        "scoped", a=pk("annuallists_round_a", "round_id"), b=pk("annuallists_round_b", "round_id")
    ),
    f"POST {_BASE}/round/{{round_id}}/visits": Rule(
        "scoped",
        method="POST",
        a=pk("annuallists_underway_a", "round_id"),
        b=pk("annuallists_underway_b", "round_id"),
        body_a=lambda w: VISIT,
        body_b=lambda w: VISIT,
        b_unchanged=_no_visit_b,
    ),
    f"POST {_BASE}/village/{{code}}/lists": _API["draft"],
    f"GET {_BASE}/list/{{list_id}}": _API["list"],
    f"POST {_BASE}/list/{{list_id}}/items": _API["item_new"],
    f"POST {_BASE}/list/{{list_id}}/goals": _API["goal_new"],
    f"POST {_BASE}/list/{{list_id}}/submit": _API["submit"],
    f"POST {_BASE}/list/{{list_id}}/review": _API["review"],
    f"POST {_BASE}/list/{{list_id}}/pledge": _API["pledge"],
    f"GET {_BASE}/list/{{list_id}}/list.pdf": _API["list_pdf"],
    f"POST {_BASE}/item/{{item_id}}/progress": _API["progress"],
    f"GET {_BASE}/rollup/{{code}}": _API["rollup"],
    f"GET {_BASE}/rollup/{{code}}/lists.xlsx": _API["rollup_xlsx"],
}
