from io import BytesIO
from typing import Any

from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, pk, xlsx_text
from cunshe.liaison.models import Assignment, LiaisonTalk, Rating, ServiceDay
from cunshe.liaison.tests.helpers import assign, matter_for


def _pdf(content: bytes) -> str:
    return pdf_text(content)[0]


NAMES = {"a": "黛溪联系干部", "b": "黄山联系干部"}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
OTHER = {"a": "371681001233", "b": "371681002202"}


def setup(world: World, **_: Any) -> None:
    for side, village in VILLAGES.items():
        a = assign(village, name=NAMES[side])
        world.extra[f"liaison_{side}"] = a
        world.extra[f"liaison_matter_{side}"] = matter_for(a)


def _b_unchanged(w: World) -> bool:
    a = Assignment.objects.get(pk=w.extra["liaison_b"].pk)
    return (
        a.version == 1
        and a.ended_on is None
        and not ServiceDay.objects.filter(assignment=a).exists()
        and not LiaisonTalk.objects.filter(assignment=a).exists()
        and a.matters.count() == 1
        and a.matters.get().issue.status == "open"
        and Assignment.objects.filter(name=NAMES["b"]).count() == 1
        and not Assignment.objects.filter(name="新联系干部", village_id=VILLAGE_B).exists()
        and not Rating.objects.filter(village_id=VILLAGE_B).exists()
    )


def _today() -> str:
    return timezone.localdate().isoformat()


def _new(side: str) -> Any:
    return lambda w: {
        "village": VILLAGES[side],
        "name": "新联系干部",
        "unit": "邹平市财政局",
        "level": "county",
        "started_on": _today(),
    }


def _end(side: str) -> Any:
    return lambda w: {"ended_on": _today(), "reason": "工作调动", "version": w.extra[f"liaison_{side}"].version}


def _reassign(side: str) -> Any:
    return lambda w: {
        "village": OTHER[side],
        "moved_on": _today(),
        "unit": "",
        "version": w.extra[f"liaison_{side}"].version,
    }


def _day(w: World) -> dict[str, Any]:
    return {"held_on": _today(), "work": "入户走访，宣传换届政策", "households": 6}


def _talk(w: World) -> dict[str, Any]:
    return {"held_on": _today(), "group": "member", "talked_with": "老党员王建国", "topic": "听取对换届的意见"}


def _matter(w: World) -> dict[str, Any]:
    return {"raised_on": _today(), "title": "协调安装路灯", "detail": "", "owner": "", "due_on": ""}


def _matter_api(w: World) -> dict[str, Any]:
    return {"raised_on": _today(), "title": "协调安装路灯"}


def _resolve(side: str) -> Any:
    return lambda w: {
        "resolution": "已协调修复",
        "resolved_on": _today(),
        "version": w.extra[f"liaison_matter_{side}"].issue.version,
    }


def _rating(side: str) -> Any:
    return lambda w: {
        "village": VILLAGES[side],
        "year": 2026,
        "round": 1,
        "kind": "competence",
        "score": 4,
        "rated_on": _today(),
        "rated_by": "街道组织委员",
        "note": "",
    }


def _upload(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        from cunshe.liaison.exports import IMPORT_COLUMNS
        from cunshe.spreadsheets.layout import write_workbook

        buffer = BytesIO()
        row = {"village": VILLAGES[side], "name": "导入干部", "unit": "邹平市财政局", "level": "县直部门干部"}
        write_workbook("t", IMPORT_COLUMNS, [row | {"started_on": _today()}], buffer)
        buffer.seek(0)
        buffer.name = "liaison.xlsx"
        return {"file": buffer}

    return body


def _region(side: str) -> Any:
    return lambda w: {"code": TOWNS[side]}


def _post(a: Any, b: Any, body_a: Any, body_b: Any) -> Rule:
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_b_unchanged)


A, B = pk("liaison_a"), pk("liaison_b")
MA, MB = pk("liaison_matter_a"), pk("liaison_matter_b")

WEB_RULES = {
    "liaison:index": Rule("signed_in"),
    "liaison:region": Rule("scoped", a=_region("a"), b=_region("b")),
    "liaison:counts_xlsx": Rule("scoped", a=_region("a"), b=_region("b"), as_text=xlsx_text),
    "liaison:assignments_xlsx": Rule("scoped", a=_region("a"), b=_region("b"), as_text=xlsx_text),
    "liaison:service_pdf": Rule("scoped", a=_region("a"), b=_region("b"), as_text=_pdf),
    "liaison:import": _post(_region("a"), _region("b"), _upload("a"), _upload("b")),
    "liaison:ratings": Rule("scoped", a=_region("a"), b=_region("b")),
    "liaison:rating_new": _post(None, None, _rating("a"), _rating("b")),
    "liaison:assignment_new": _post(None, None, _new("a"), _new("b")),
    "liaison:assignment": Rule("scoped", a=A, b=B),
    "liaison:end": _post(A, B, _end("a"), _end("b")),
    "liaison:reassign": _post(A, B, _reassign("a"), _reassign("b")),
    "liaison:service_day": _post(A, B, _day, _day),
    "liaison:talk": _post(A, B, _talk, _talk),
    "liaison:matter": _post(A, B, _matter, _matter),
    "liaison:resolve": _post(MA, MB, _resolve("a"), _resolve("b")),
}


def _api(key: str) -> tuple[Any, Any]:
    return pk(f"{key}_a", "assignment_id"), pk(f"{key}_b", "assignment_id")


AA, AB = _api("liaison")
API = "/api/v1/liaison"
API_RULES = {
    f"GET {API}/assignments": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    f"POST {API}/assignments": _post(None, None, _new("a"), _new("b")),
    f"GET {API}/assignments/{{assignment_id}}": Rule("scoped", a=AA, b=AB),
    f"GET {API}/assignments/{{assignment_id}}/service-days": Rule("scoped", a=AA, b=AB),
    f"GET {API}/assignments/{{assignment_id}}/talks": Rule("scoped", a=AA, b=AB),
    f"GET {API}/assignments/{{assignment_id}}/matters": Rule("scoped", a=AA, b=AB),
    f"POST {API}/assignments/{{assignment_id}}/end": _post(AA, AB, _end("a"), _end("b")),
    f"POST {API}/assignments/{{assignment_id}}/reassign": _post(AA, AB, _reassign("a"), _reassign("b")),
    f"POST {API}/assignments/{{assignment_id}}/service-days": _post(AA, AB, _day, _day),
    f"POST {API}/assignments/{{assignment_id}}/talks": _post(AA, AB, _talk, _talk),
    f"POST {API}/assignments/{{assignment_id}}/matters": _post(AA, AB, _matter_api, _matter_api),
    f"POST {API}/matters/{{matter_id}}/resolve": _post(
        pk("liaison_matter_a", "matter_id"), pk("liaison_matter_b", "matter_id"), _resolve("a"), _resolve("b")
    ),
    f"POST {API}/ratings": _post(None, None, _rating("a"), _rating("b")),
    f"GET {API}/ratings/{{code}}": Rule("scoped", a=_region("a"), b=_region("b")),
    f"GET {API}/counts/{{code}}": Rule("scoped", a=_region("a"), b=_region("b")),
    f"GET {API}/counts/{{code}}/counts.xlsx": Rule("scoped", a=_region("a"), b=_region("b"), as_text=xlsx_text),
    f"GET {API}/service/{{code}}": Rule("scoped", a=_region("a"), b=_region("b")),
    f"GET {API}/service/{{code}}/service.pdf": Rule("scoped", a=_region("a"), b=_region("b"), as_text=_pdf),
    f"GET {API}/regions/{{code}}/assignments.xlsx": Rule("scoped", a=_region("a"), b=_region("b"), as_text=xlsx_text),
    f"POST {API}/regions/{{code}}/import": _post(_region("a"), _region("b"), _upload("a"), _upload("b")),
}
