from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, TOWN_B, pdf_text
from cunshe.access.tests.walk import Rule, World, code, no_text, pk
from cunshe.core.actors import SYSTEM
from cunshe.dailychecks.models import Checklist, CheckResult, DailyCheck, Measure, MeasureProgress
from cunshe.dailychecks.selectors import last_working_day
from cunshe.dailychecks.services import DEFAULT_GUIDANCE, measure_add
from cunshe.dailychecks.tests.helpers import cadre, checked, checklist, month_ago, with_problem
from cunshe.regions.models import Region

# villages of their own: one in 黛溪街道 (side a), one in 黄山街道 (side b)
VILLAGES = {"a": "371681001235", "b": "371681002215"}


def setup(world: World, make_person: Any, **_: Any) -> None:
    today = timezone.localdate()
    day = last_working_day(today)
    since = month_ago(today)
    checklist(COUNTY, since)
    checklist(OTHER_COUNTY, since)
    for side, village in VILLAGES.items():
        done = cadre(village, make_person, since=since, name=f"必查{side}甲")
        world.extra[f"dailychecks_fresh_{side}"] = cadre(village, make_person, since=since, name=f"必查{side}乙")
        check = checked(village, done, day, with_problem())
        world.extra[f"dailychecks_check_{side}"] = check
        world.extra[f"dailychecks_problem_{side}"] = check.results.get(ok=False)
    for county, side in ((COUNTY, "a"), (OTHER_COUNTY, "b")):
        world.extra[f"dailychecks_measure_{side}"] = measure_add(
            actor=SYSTEM,
            county_code=county,
            number=1,
            area="routine",
            title="每日四个必查",
            target="村两委干部每天必查",
            unit="县委组织部",
        )


def _village_name(side: str) -> Any:
    return lambda w: Region.objects.get(code=VILLAGES[side]).name


def _check_form(side: str) -> Any:
    return lambda w: {"code": VILLAGES[side], "person_id": w.extra[f"dailychecks_fresh_{side}"].pk}


def _check_body(w: World) -> dict[str, Any]:
    day = last_working_day(timezone.localdate())
    return {"day": day.isoformat(), **{k: "ok" for k in DEFAULT_GUIDANCE}}


def _check_api_body(side: str) -> Any:
    return lambda w: {
        "person_id": w.extra[f"dailychecks_fresh_{side}"].pk,
        "day": last_working_day(timezone.localdate()).isoformat(),
        "answers": [{"key": k, "ok": True} for k in DEFAULT_GUIDANCE],
    }


def _no_check_b(w: World) -> bool:
    return not DailyCheck.objects.filter(person=w.extra["dailychecks_fresh_b"]).exists()


def _close(w: World) -> dict[str, Any]:
    return {"closed_on": timezone.localdate().isoformat(), "note": "已清运"}


def _open_b(w: World) -> bool:
    return CheckResult.objects.get(pk=w.extra["dailychecks_problem_b"].pk).closed_on is None


def _publish(w: World) -> dict[str, Any]:
    latest = Checklist.objects.filter(county_id=COUNTY).order_by("-valid_from").first()
    start = max(timezone.localdate(), latest.valid_from) if latest else timezone.localdate()
    return {"valid_from": (start + timedelta(days=1)).isoformat(), **DEFAULT_GUIDANCE}


def _publish_api(w: World) -> dict[str, Any]:
    body = _publish(w)
    return {"valid_from": body.pop("valid_from"), "guidance": body}


def _one_list_b(w: World) -> bool:
    return Checklist.objects.filter(county_id=OTHER_COUNTY).count() == 1


MEASURE = {"number": 2, "area": "duty", "title": "书记抓村社运行", "target": "每月点评", "unit": "各街道"}


def _no_measure_b(w: World) -> bool:
    return not Measure.objects.filter(county_id=OTHER_COUNTY, number__in=(2, 3)).exists()


def _progress(w: World) -> dict[str, Any]:
    return {"reported_on": timezone.localdate().isoformat(), "text": "已部署"}


def _no_progress_b(w: World) -> bool:
    return not MeasureProgress.objects.filter(measure=w.extra["dailychecks_measure_b"]).exists()


def _move(side: str) -> Any:
    return lambda w: {
        "to": "ongoing",
        "version": Measure.objects.get(pk=w.extra[f"dailychecks_measure_{side}"].pk).version,
    }


def _planned_b(w: World) -> bool:
    return Measure.objects.get(pk=w.extra["dailychecks_measure_b"].pk).status == "planned"


ORGANIZER = "organizer_a"


def _pdf(content: bytes) -> str:
    return pdf_text(content)[0]


def _cadre(side: str, name: str) -> Any:
    """The village of the side and its cadre who checked (in office this month whichever day the walk runs)."""
    return lambda w: {"code": VILLAGES[side], name: w.extra[f"dailychecks_check_{side}"].person_id}


WEB_RULES = {
    "dailychecks:index": Rule("signed_in"),
    "dailychecks:rollup": Rule(
        "scoped", a=code(TOWN_A), b=code(TOWN_B), marker_a=_village_name("a"), marker_b=_village_name("b")
    ),
    "dailychecks:indicators_xlsx": Rule("scoped", a=code(TOWN_A), b=code(TOWN_B), as_text=no_text),
    "dailychecks:village": Rule("scoped", a=code(VILLAGES["a"]), b=code(VILLAGES["b"])),
    "dailychecks:region_month_pdf": Rule(
        "scoped",
        a=code(TOWN_A),
        b=code(TOWN_B),
        marker_a=_village_name("a"),
        marker_b=_village_name("b"),
        as_text=_pdf,
    ),
    "dailychecks:cadre_month_pdf": Rule(
        "scoped",
        a=_cadre("a", "person_id"),
        b=_cadre("b", "person_id"),
        marker_a=lambda w: "必查a甲",
        marker_b=lambda w: "必查b甲",
        as_text=_pdf,
    ),
    "dailychecks:check_form": Rule(
        "scoped",
        method="POST",
        a=_check_form("a"),
        b=_check_form("b"),
        body_a=_check_body,
        body_b=_check_body,
        b_unchanged=_no_check_b,
    ),
    "dailychecks:check": Rule("scoped", a=pk("dailychecks_check_a"), b=pk("dailychecks_check_b")),
    "dailychecks:close": Rule(
        "scoped",
        method="POST",
        a=pk("dailychecks_problem_a"),
        b=pk("dailychecks_problem_b"),
        body_a=_close,
        body_b=_close,
        b_unchanged=_open_b,
    ),
    "dailychecks:checklist": Rule("scoped", a=code(COUNTY), b=code(OTHER_COUNTY)),
    "dailychecks:checklist_new": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=code(COUNTY),
        b=code(OTHER_COUNTY),
        body_a=_publish,
        body_b=_publish,
        b_unchanged=_one_list_b,
    ),
    "dailychecks:measures": Rule("scoped", a=code(COUNTY), b=code(OTHER_COUNTY)),
    "dailychecks:measure_new": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=code(COUNTY),
        b=code(OTHER_COUNTY),
        body_a=lambda w: {**MEASURE, "number": 3},
        body_b=lambda w: {**MEASURE, "number": 3},
        b_unchanged=_no_measure_b,
    ),
    "dailychecks:measure": Rule("scoped", a=pk("dailychecks_measure_a"), b=pk("dailychecks_measure_b")),
    "dailychecks:measure_progress": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=pk("dailychecks_measure_a"),
        b=pk("dailychecks_measure_b"),
        body_a=_progress,
        body_b=_progress,
        b_unchanged=_no_progress_b,
    ),
    "dailychecks:move": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=pk("dailychecks_measure_a"),
        b=pk("dailychecks_measure_b"),
        body_a=_move("a"),
        body_b=_move("b"),
        b_unchanged=_planned_b,
    ),
}

API_RULES = {
    "GET /api/v1/dailychecks/checklist/{code}": Rule("scoped", a=code(COUNTY), b=code(OTHER_COUNTY)),
    "POST /api/v1/dailychecks/checklist/{code}": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=code(COUNTY),
        b=code(OTHER_COUNTY),
        body_a=_publish_api,
        body_b=_publish_api,
        b_unchanged=_one_list_b,
    ),
    "GET /api/v1/dailychecks/village/{code}": Rule("scoped", a=code(VILLAGES["a"]), b=code(VILLAGES["b"])),
    "POST /api/v1/dailychecks/village/{code}/checks": Rule(
        "scoped",
        method="POST",
        a=code(VILLAGES["a"]),
        b=code(VILLAGES["b"]),
        body_a=_check_api_body("a"),
        body_b=_check_api_body("b"),
        b_unchanged=_no_check_b,
    ),
    "GET /api/v1/dailychecks/checks/{check_id}": Rule(
        "scoped", a=pk("dailychecks_check_a", "check_id"), b=pk("dailychecks_check_b", "check_id")
    ),
    "POST /api/v1/dailychecks/results/{result_id}/close": Rule(
        "scoped",
        method="POST",
        a=pk("dailychecks_problem_a", "result_id"),
        b=pk("dailychecks_problem_b", "result_id"),
        body_a=_close,
        body_b=_close,
        b_unchanged=_open_b,
    ),
    "GET /api/v1/dailychecks/rollup/{code}": Rule(
        "scoped", a=code(TOWN_A), b=code(TOWN_B), marker_a=_village_name("a"), marker_b=_village_name("b")
    ),
    "GET /api/v1/dailychecks/rollup/{code}/cadres": Rule(
        "scoped", a=code(TOWN_A), b=code(TOWN_B), marker_a=lambda w: "必查a甲", marker_b=lambda w: "必查b甲"
    ),
    "GET /api/v1/dailychecks/rollup/{code}/indicators.xlsx": Rule(
        "scoped", a=code(TOWN_A), b=code(TOWN_B), as_text=no_text
    ),
    "GET /api/v1/dailychecks/rollup/{code}/month.pdf": Rule(
        "scoped",
        a=code(TOWN_A),
        b=code(TOWN_B),
        marker_a=_village_name("a"),
        marker_b=_village_name("b"),
        as_text=_pdf,
    ),
    "GET /api/v1/dailychecks/village/{code}/cadres/{person_id}/month.pdf": Rule(
        "scoped",
        a=_cadre("a", "person_id"),
        b=_cadre("b", "person_id"),
        marker_a=lambda w: "必查a甲",
        marker_b=lambda w: "必查b甲",
        as_text=_pdf,
    ),
    "GET /api/v1/dailychecks/missed/{code}": Rule("scoped", a=code(TOWN_A), b=code(TOWN_B)),
    "GET /api/v1/dailychecks/measures/{code}": Rule("scoped", a=code(COUNTY), b=code(OTHER_COUNTY)),
    "POST /api/v1/dailychecks/measures/{code}": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=code(COUNTY),
        b=code(OTHER_COUNTY),
        body_a=lambda w: MEASURE,
        body_b=lambda w: MEASURE,
        b_unchanged=_no_measure_b,
    ),
    "GET /api/v1/dailychecks/measure/{measure_id}": Rule(
        "scoped", a=pk("dailychecks_measure_a", "measure_id"), b=pk("dailychecks_measure_b", "measure_id")
    ),
    "POST /api/v1/dailychecks/measure/{measure_id}/progress": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=pk("dailychecks_measure_a", "measure_id"),
        b=pk("dailychecks_measure_b", "measure_id"),
        body_a=_progress,
        body_b=_progress,
        b_unchanged=_no_progress_b,
    ),
    "POST /api/v1/dailychecks/measure/{measure_id}/move": Rule(
        "scoped",
        actor=ORGANIZER,
        method="POST",
        a=pk("dailychecks_measure_a", "measure_id"),
        b=pk("dailychecks_measure_b", "measure_id"),
        body_a=_move("a"),
        body_b=_move("b"),
        b_unchanged=_planned_b,
    ),
}
