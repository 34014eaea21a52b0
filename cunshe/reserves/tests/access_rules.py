from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import COUNTY, OTHER_COUNTY, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, xlsx_text
from cunshe.access.tests.walk import pk as _pk
from cunshe.core.actors import SYSTEM
from cunshe.reserves.exports import RESERVE_COLUMNS
from cunshe.reserves.models import CandidateEntry, ReserveCadre
from cunshe.reserves.services import (
    candidate_add,
    evaluation_add,
    meeting_record,
    notice_record,
    reserve_add,
    trial_start,
)
from cunshe.spreadsheets.layout import write_workbook
from cunshe.termchanges.selectors import current_term_change
from cunshe.termchanges.services import term_change_open


def _reserve_at(stage: str, village: str, person: Any, mentor: Any) -> ReserveCadre:
    """A reserve cadre walked through the services up to `stage`."""
    reserve = reserve_add(
        actor=SYSTEM, village_code=village, person=person, source="veteran", added_on=date(2026, 7, 1)
    )
    evaluation_add(actor=SYSTEM, reserve=reserve, evaluator="镇党委书记", loyalty=90, satisfaction=85, competence=80)
    if stage == "pooled":
        return reserve
    meeting_record(
        actor=SYSTEM,
        reserve=reserve,
        held_on=date(2026, 7, 5),
        place="村党群服务中心",
        expected_version=reserve.version,
    )
    if stage == "evaluated":
        return reserve
    notice_record(
        actor=SYSTEM,
        reserve=reserve,
        starts_on=date(2026, 7, 6),
        ends_on=date(2026, 7, 12),
        expected_version=reserve.version,
    )
    if stage == "noticed":
        return reserve
    trial_start(
        actor=SYSTEM,
        reserve=reserve,
        post="村委会文书",
        mentor=mentor,
        starts_on=date(2026, 7, 15),
        expected_version=reserve.version,
    )
    return reserve


def setup(world: World, make_person: Any, **_: Any) -> None:
    for county in (COUNTY, OTHER_COUNTY):
        if current_term_change(county) is None:
            term_change_open(actor=SYSTEM, county_code=county, year=2026, opened_on=date(2026, 9, 1))
    for side, village, person in (("a", VILLAGE_A, world.person_a), ("b", VILLAGE_B, world.person_b)):
        mentor = make_person(village, name=f"导师{side}")
        for stage in ("pooled", "evaluated", "noticed", "on_trial"):
            world.extra[f"{stage}_{side}"] = _reserve_at(
                stage, village, make_person(village, name=f"后备{stage}{side}"), mentor
            )
        world.extra[f"mentor_{side}"] = mentor
        world.extra[f"fresh_{side}"] = make_person(village, name=f"新人{side}")
        candidate_add(actor=SYSTEM, village_code=village, person=person, origin="incumbent", added_on=date(2026, 9, 1))


def _b_unchanged(w: World) -> bool:
    stages = {
        k: ReserveCadre.objects.get(pk=w.extra[f"{k}_b"].pk).stage
        for k in ("pooled", "evaluated", "noticed", "on_trial")
    }
    return (
        stages == {"pooled": "pooled", "evaluated": "evaluated", "noticed": "noticed", "on_trial": "on_trial"}
        and ReserveCadre.objects.filter(region_id=VILLAGE_B).count() == 4
        and ReserveCadre.objects.get(pk=w.extra["pooled_b"].pk).evaluations.count() == 1
        and CandidateEntry.objects.filter(region_id=VILLAGE_B).count() == 1
    )


def _v(key: str, **body: Any) -> Any:
    return lambda w: {**body, "version": ReserveCadre.objects.get(pk=w.extra[key].pk).version}


EVALUATION = {"evaluator": "包村干部", "loyalty": 88, "satisfaction": 80, "competence": 75, "comment": "踏实肯干"}
MEETING = {"held_on": "2026-07-05", "place": "村党群服务中心"}
NOTICE = {"starts_on": "2026-07-06", "ends_on": "2026-07-12", "feedback": ""}
CONCLUSION = {"concluded_on": "2026-10-01", "note": "试岗期间表现良好"}
WITHDRAW = {"reason": "外出务工"}


def _trial_json(side: str) -> Any:
    return lambda w: {
        "post": "村委会文书",
        "mentor_id": w.extra[f"mentor_{side}"].pk,
        "starts_on": "2026-07-15",
        "version": ReserveCadre.objects.get(pk=w.extra[f"noticed_{side}"].pk).version,
    }


def _step(stage: str, step: str, body_a: Any, body_b: Any) -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=_pk(f"{stage}_a", step=step),
        b=_pk(f"{stage}_b", step=step),
        body_a=body_a,
        body_b=body_b,
        b_unchanged=_b_unchanged,
    )


def _api(stage: str, body_a: Any, body_b: Any) -> Rule:
    return Rule(
        "scoped",
        method="POST",
        a=_pk(f"{stage}_a", "reserve_id"),
        b=_pk(f"{stage}_b", "reserve_id"),
        body_a=body_a,
        body_b=body_b,
        b_unchanged=_b_unchanged,
    )


def _add_form(side: str, key: str = "source", value: str = "returning_graduate") -> Any:
    return lambda w: {"person": w.extra[f"fresh_{side}"].pk, key: value, "added_on": "2026-10-01", "note": "本科"}


def _upload(side: str, village: str) -> Any:
    def upload(w: World) -> dict[str, Any]:
        person = w.extra[f"fresh_{side}"]
        row = {"region": village, "id_number": person.id_number, "source": "veteran", "added_on": date(2026, 10, 1)}
        buffer = BytesIO()
        write_workbook("后备干部名册", RESERVE_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("reserves.xlsx", buffer.getvalue())}

    return upload


def _import_rule(*, refused_status: int) -> Rule:
    """A file naming the other town's village: the page re-renders with the refused row (200), the API answers
    it as an error (400); either way nothing of town B changes."""
    return Rule(
        "scoped",
        method="POST",
        body_a=_upload("a", VILLAGE_A),
        body_b=_upload("b", VILLAGE_B),
        refused_status=refused_status,
        b_unchanged=_b_unchanged,
    )


def _reserve_name(key: str) -> Any:
    return lambda w: w.extra[key].person.name


WEB_RULES = {
    "reserves:notice_print": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "reserves:evaluation_form_print": Rule("scoped", a=_pk("pooled_a"), b=_pk("pooled_b")),
    "reserves:list": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=_reserve_name("pooled_a"), marker_b=_reserve_name("pooled_b")
    ),
    "reserves:export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=_reserve_name("pooled_a"),
        marker_b=_reserve_name("pooled_b"),
        as_text=xlsx_text,
    ),
    # Headers only: nothing of any region's reserves.
    "reserves:import_template": Rule(
        "scoped", marker_a=lambda w: "身份证号码", marker_b=_reserve_name("pooled_b"), as_text=xlsx_text
    ),
    "reserves:import": _import_rule(refused_status=200),
    "reserves:pool": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=lambda w: w.person_a.name, marker_b=lambda w: w.person_b.name
    ),
    "reserves:pool_export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: w.person_a.name,
        marker_b=lambda w: w.person_b.name,
        as_text=xlsx_text,
    ),
    "reserves:village": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "reserves:add": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=_add_form("a"),
        body_b=_add_form("b"),
        b_unchanged=_b_unchanged,
    ),
    "reserves:pool_add": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=_add_form("a", "origin", "recommended"),
        body_b=_add_form("b", "origin", "recommended"),
        b_unchanged=_b_unchanged,
    ),
    "reserves:detail": Rule("scoped", a=_pk("pooled_a"), b=_pk("pooled_b")),
    "reserves:step": _step("pooled", "meeting", _v("pooled_a", **MEETING), _v("pooled_b", **MEETING)),
}

API_RULES = {
    "GET /api/v1/reserves/village/{code}/notice.pdf": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "GET /api/v1/reserves/{reserve_id}/evaluation-form.pdf": Rule(
        "scoped", a=_pk("pooled_a", "reserve_id"), b=_pk("pooled_b", "reserve_id")
    ),
    "GET /api/v1/reserves": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=_reserve_name("pooled_a"), marker_b=_reserve_name("pooled_b")
    ),
    "POST /api/v1/reserves/import": _import_rule(refused_status=400),
    "GET /api/v1/reserves/export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=_reserve_name("pooled_a"),
        marker_b=_reserve_name("pooled_b"),
        as_text=xlsx_text,
    ),
    "GET /api/v1/reserves/import/template": Rule(
        "scoped", marker_a=lambda w: "身份证号码", marker_b=_reserve_name("pooled_b"), as_text=xlsx_text
    ),
    "GET /api/v1/reserves/pool/export": Rule(
        "scoped",
        query_b=f"?under={TOWN_B}",
        marker_a=lambda w: w.person_a.name,
        marker_b=lambda w: w.person_b.name,
        as_text=xlsx_text,
    ),
    "POST /api/v1/reserves/village/{code}/pool": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {"person_id": w.extra["fresh_a"].pk, "origin": "recommended", "added_on": "2026-10-01"},
        body_b=lambda w: {"person_id": w.extra["fresh_b"].pk, "origin": "recommended", "added_on": "2026-10-01"},
        b_unchanged=_b_unchanged,
    ),
    "GET /api/v1/reserves/pool": Rule(
        "scoped", query_b=f"?under={TOWN_B}", marker_a=lambda w: w.person_a.name, marker_b=lambda w: w.person_b.name
    ),
    "GET /api/v1/reserves/village/{code}": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/reserves/village/{code}": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": VILLAGE_A},
        b=lambda w: {"code": VILLAGE_B},
        body_a=lambda w: {"person_id": w.extra["fresh_a"].pk, "source": "veteran", "added_on": "2026-10-01"},
        body_b=lambda w: {"person_id": w.extra["fresh_b"].pk, "source": "veteran", "added_on": "2026-10-01"},
        b_unchanged=_b_unchanged,
    ),
    "GET /api/v1/reserves/{reserve_id}": Rule(
        "scoped", a=_pk("pooled_a", "reserve_id"), b=_pk("pooled_b", "reserve_id")
    ),
    "POST /api/v1/reserves/{reserve_id}/evaluations": _api("pooled", lambda w: EVALUATION, lambda w: EVALUATION),
    "POST /api/v1/reserves/{reserve_id}/meeting": _api("pooled", _v("pooled_a", **MEETING), _v("pooled_b", **MEETING)),
    "POST /api/v1/reserves/{reserve_id}/notice": _api(
        "evaluated", _v("evaluated_a", **NOTICE), _v("evaluated_b", **NOTICE)
    ),
    "POST /api/v1/reserves/{reserve_id}/trial": _api("noticed", _trial_json("a"), _trial_json("b")),
    "POST /api/v1/reserves/{reserve_id}/conclusion": _api(
        "on_trial", _v("on_trial_a", passed=True, **CONCLUSION), _v("on_trial_b", passed=True, **CONCLUSION)
    ),
    "POST /api/v1/reserves/{reserve_id}/withdraw": _api(
        "pooled", _v("pooled_a", **WITHDRAW), _v("pooled_b", **WITHDRAW)
    ),
}
