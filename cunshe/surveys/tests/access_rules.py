from datetime import date
from typing import Any

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.surveys.models import Holder, Run, Survey, TextAnswer, Token
from cunshe.surveys.services import holder_assign, paper_enter, survey_create, survey_open, tokens_issue
from cunshe.surveys.tests.helpers import SATISFACTION_QUESTIONS, c, q
from cunshe.visits.tests.access_rules import ensure_term_changes

TOWNS = {"a": TOWN_A, "b": TOWN_B}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
TITLES = {"a": "黛溪街道三个全覆盖满意度调查", "b": "黄山街道三个全覆盖满意度调查"}


def setup(world: World, **_: Any) -> None:
    ensure_term_changes()
    for side, town in TOWNS.items():
        village = VILLAGES[side]
        person = world.person_a if side == "a" else world.person_b
        holder_assign(actor=SYSTEM, village_code=village, post="agent", person=person, since=date(2026, 3, 1))
        s = survey_create(
            actor=SYSTEM,
            region_code=town,
            title=TITLES[side],
            purpose="satisfaction",
            post="agent",
            year=2026,
            questions=SATISFACTION_QUESTIONS,
        )
        s = survey_open(actor=SYSTEM, survey=s, expected_version=s.version, villages=[village])
        run = Run.objects.get(survey=s, village_id=village)
        paper_enter(
            actor=SYSTEM,
            run=run,
            papers=2,
            totals={str(q(s, 1).pk): {str(c(s, 1, 5).pk): 2}},
            texts={str(q(s, 3).pk): [f"{side}村代办员服务周到"]},
            expected_version=1,
        )
        draft = survey_create(
            actor=SYSTEM,
            region_code=town,
            title=f"{TITLES[side]}（草稿）",
            purpose="opinion",
            year=2026,
            questions=SATISFACTION_QUESTIONS,
        )
        world.extra[f"surveys_survey_{side}"] = s
        world.extra[f"surveys_draft_{side}"] = draft
        world.extra[f"surveys_run_{side}"] = Run.objects.get(pk=run.pk)
        world.extra[f"surveys_text_{side}"] = TextAnswer.objects.get(run=run)
        world.extra[f"surveys_token_{side}"] = tokens_issue(actor=SYSTEM, run=run, count=2)[0]


def _pk(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _pair(key: str, name: str = "pk") -> dict[str, Any]:
    return {"a": _pk(f"surveys_{key}_a", name), "b": _pk(f"surveys_{key}_b", name)}


def _code(side: str) -> Any:
    return lambda w: {"code": w.extra[f"surveys_token_{side}"].code}


def _b_run_unchanged(w: World) -> bool:
    run = Run.objects.get(pk=w.extra["surveys_run_b"].pk)
    return (run.papers, run.responses, run.version) == (2, 0, 2) and Token.objects.filter(run=run).count() == 2


def _b_survey_unchanged(w: World) -> bool:
    s = Survey.objects.get(pk=w.extra["surveys_survey_b"].pk)
    d = Survey.objects.get(pk=w.extra["surveys_draft_b"].pk)
    return (s.status, d.status, d.title) == ("open", "draft", TITLES["b"] + "（草稿）") and Survey.objects.filter(
        series=s.series
    ).count() == 1


def _no_new_b(w: World) -> bool:
    return not Survey.objects.filter(region_id=TOWN_B, title="新问卷").exists()


def _text_b_unraised(w: World) -> bool:
    return TextAnswer.objects.get(pk=w.extra["surveys_text_b"].pk).issue_id is None


def _holders_b_unchanged(w: World) -> bool:
    return Holder.objects.filter(village_id=VILLAGE_B).count() == 1


def _version(key: str) -> Any:
    return lambda w: {"version": w.extra[key].version}


def _edit(side: str) -> Any:
    return lambda w: {"title": "改后的草稿", "questions": SATISFACTION_QUESTIONS, "version": 1}


def _answers(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        s = w.extra[f"surveys_survey_{side}"]
        return {"answers": {str(q(s, 1).pk): c(s, 1, 4).pk, str(q(s, 2).pk): c(s, 2, 5).pk}}

    return body


def _web_answers(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        s = w.extra[f"surveys_survey_{side}"]
        return {f"q{q(s, 1).pk}": c(s, 1, 4).pk, f"q{q(s, 2).pk}": c(s, 2, 5).pk}

    return body


def _paper(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        s = w.extra[f"surveys_survey_{side}"]
        return {"papers": 3, "totals": {str(q(s, 1).pk): {str(c(s, 1, 4).pk): 3}}, "version": 2}

    return body


def _web_paper(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        s = w.extra[f"surveys_survey_{side}"]
        return {"papers": "3", f"c{c(s, 1, 4).pk}": "3", "version": "2"}

    return body


def _holder(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        person = w.person_a if side == "a" else w.person_b
        return {
            "village": VILLAGES[side],
            "post": "police",
            "person_id": person.pk,
            "since": "2026-10-01",
            "unit": "派出所",
        }

    return body


NEW = {"title": "新问卷", "purpose": "opinion", "year": 2026}
RAISE = {"owner": "村主任", "title": ""}
NO_TEXT: dict[str, Any] = {"as_text": lambda content: ""}
_by_town_holders: dict[str, Any] = {
    "query_a": f"?under={TOWN_A}",
    "query_b": f"?under={TOWN_B}",
    "marker_a": lambda w: w.person_a.name,
    "marker_b": lambda w: w.person_b.name,
}
_titles: dict[str, Any] = {"marker_a": lambda w: TITLES["a"], "marker_b": lambda w: TITLES["b"]}


def _get(key: str, name: str = "pk", **more: Any) -> Rule:
    return Rule("scoped", **_pair(key, name), **more)


def _post(key: str, name: str, body_a: Any, body_b: Any, unchanged: Any, **more: Any) -> Rule:
    return Rule(
        "scoped", method="POST", **_pair(key, name), body_a=body_a, body_b=body_b, b_unchanged=unchanged, **more
    )


WEB_RULES = {
    "surveys:list": Rule("scoped", **_titles),
    "surveys:new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**NEW, "region": TOWN_A, "questions": "单选｜满意吗｜满意｜不满意"},
        body_b=lambda w: {**NEW, "region": TOWN_B, "questions": "单选｜满意吗｜满意｜不满意"},
        refused_status=400,
        b_unchanged=_no_new_b,
    ),
    "surveys:survey": _get("survey"),
    "surveys:open": _post("draft", "pk", _version("surveys_draft_a"), _version("surveys_draft_b"), _b_survey_unchanged),
    "surveys:close": _post(
        "survey", "pk", _version("surveys_survey_a"), _version("surveys_survey_b"), _b_survey_unchanged
    ),
    "surveys:revise": _post(
        "survey", "pk", _version("surveys_survey_a"), _version("surveys_survey_b"), _b_survey_unchanged
    ),
    "surveys:results_xlsx": _get("survey", **NO_TEXT),
    "surveys:scores_xlsx": _get("survey", **NO_TEXT),
    "surveys:form_pdf": _get("survey", **NO_TEXT),
    "surveys:results_pdf": _get("survey", **NO_TEXT),
    "surveys:run": _get("run"),
    "surveys:paper": _post("run", "pk", _web_paper("a"), _web_paper("b"), _b_run_unchanged),
    "surveys:answer": _post("run", "pk", _web_answers("a"), _web_answers("b"), _b_run_unchanged),
    "surveys:tokens": _post("run", "pk", lambda w: {"count": 2}, lambda w: {"count": 2}, _b_run_unchanged),
    "surveys:slips": _get("run", **NO_TEXT),
    "surveys:raise": _post("text", "pk", lambda w: RAISE, lambda w: RAISE, _text_b_unraised),
    "surveys:holders": Rule("scoped", **_by_town_holders),
    "surveys:holder_new": Rule(
        "scoped", method="POST", body_a=_holder("a"), body_b=_holder("b"), b_unchanged=_holders_b_unchanged
    ),
    "surveys_public:answer": Rule("public", a=_code("a"), b=_code("b")),
}

API = "/api/v1/surveys"
API_RULES = {
    f"GET {API}": Rule("scoped", **_titles),
    f"POST {API}": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**NEW, "region": TOWN_A, "questions": SATISFACTION_QUESTIONS},
        body_b=lambda w: {**NEW, "region": TOWN_B, "questions": SATISFACTION_QUESTIONS},
        b_unchanged=_no_new_b,
    ),
    f"GET {API}/{{survey_id}}": _get("survey", "survey_id"),
    f"POST {API}/{{survey_id}}/edit": _post("draft", "survey_id", _edit("a"), _edit("b"), _b_survey_unchanged),
    f"POST {API}/{{survey_id}}/open": _post(
        "draft", "survey_id", _version("surveys_draft_a"), _version("surveys_draft_b"), _b_survey_unchanged
    ),
    f"POST {API}/{{survey_id}}/close": _post(
        "survey", "survey_id", _version("surveys_survey_a"), _version("surveys_survey_b"), _b_survey_unchanged
    ),
    f"POST {API}/{{survey_id}}/revise": _post("survey", "survey_id", None, None, _b_survey_unchanged),
    f"GET {API}/{{survey_id}}/results": _get("survey", "survey_id"),
    f"GET {API}/{{survey_id}}/scores": _get("survey", "survey_id"),
    f"GET {API}/{{survey_id}}/results.xlsx": _get("survey", "survey_id", **NO_TEXT),
    f"GET {API}/{{survey_id}}/scores.xlsx": _get("survey", "survey_id", **NO_TEXT),
    f"GET {API}/{{survey_id}}/form.pdf": _get("survey", "survey_id", **NO_TEXT),
    f"GET {API}/{{survey_id}}/results.pdf": _get("survey", "survey_id", **NO_TEXT),
    f"GET {API}/runs/{{run_id}}": _get("run", "run_id"),
    f"POST {API}/runs/{{run_id}}/paper": _post("run", "run_id", _paper("a"), _paper("b"), _b_run_unchanged),
    f"POST {API}/runs/{{run_id}}/responses": _post("run", "run_id", _answers("a"), _answers("b"), _b_run_unchanged),
    f"POST {API}/runs/{{run_id}}/tokens": _post(
        "run", "run_id", lambda w: {"count": 2}, lambda w: {"count": 2}, _b_run_unchanged
    ),
    f"GET {API}/runs/{{run_id}}/slips.pdf": _get("run", "run_id", **NO_TEXT),
    f"POST {API}/texts/{{text_id}}/issue": _post("text", "text_id", lambda w: RAISE, lambda w: RAISE, _text_b_unraised),
    f"GET {API}/holders": Rule("scoped", **_by_town_holders),
    f"POST {API}/holders": Rule(
        "scoped", method="POST", body_a=_holder("a"), body_b=_holder("b"), b_unchanged=_holders_b_unchanged
    ),
    f"GET {API}/public/{{code}}": Rule("public", a=_code("a"), b=_code("b")),
    f"POST {API}/public/{{code}}": Rule("public", method="POST", a=_code("a"), b=_code("b")),
}
