from typing import Any

from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, pk
from cunshe.firstsecretaries.models import LogEntry, Posting, Report, Status
from cunshe.firstsecretaries.tests.helpers import owed, posting_for, submitted

NAMES = {"a": "黛溪第一书记", "b": "黄山第一书记"}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}


def setup(world: World, make_person: Any, **_: Any) -> None:
    for side, village in VILLAGES.items():
        posting = posting_for(village, name=NAMES[side])
        # the registry row of the posted cadre, for linking the posting to it
        world.extra[f"fs_person_{side}"] = make_person(village, name=NAMES[side])
        months = owed(posting)
        world.extra[f"fs_posting_{side}"] = posting
        world.extra[f"fs_ack_{side}"] = submitted(months[0], lectures=2)
        world.extra[f"fs_back_{side}"] = submitted(months[1], lectures=1)
        world.extra[f"fs_due_{side}"] = months[2]


def _b_posting_unchanged(w: World) -> bool:
    p = Posting.objects.get(pk=w.extra["fs_posting_b"].pk)
    return p.version == 1 and p.ended_on is None and not LogEntry.objects.filter(posting=p).exists()


def _b_reports_unchanged(w: World) -> bool:
    def status(key: str) -> str:
        return Report.objects.get(pk=w.extra[key].pk).status

    return (status("fs_ack_b"), status("fs_back_b"), status("fs_due_b")) == (
        Status.SUBMITTED,
        Status.SUBMITTED,
        Status.DUE,
    )


def _no_new_b(w: World) -> bool:
    return not Posting.objects.filter(village_id=VILLAGE_B, name="新派驻").exists()


def _new(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "village": VILLAGES[side],
            "name": "新派驻",
            "sending_unit": "邹平市财政局",
            "started_on": today.isoformat(),
            "ends_on": today.replace(year=today.year + 2).isoformat(),
            "team_members": "",
        }

    return body


def _change(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        p = w.extra[f"fs_posting_{side}"]
        return {"team_members": "李伟", "ends_on": p.ends_on.isoformat(), "version": p.version}

    return body


def _end(side: str) -> Any:
    return lambda w: {"ended_on": timezone.localdate().isoformat(), "version": w.extra[f"fs_posting_{side}"].version}


def _person(side: str, key: str) -> Any:
    return lambda w: {key: w.extra[f"fs_person_{side}"].pk, "version": w.extra[f"fs_posting_{side}"].version}


def _b_unlinked(w: World) -> bool:
    return Posting.objects.get(pk=w.extra["fs_posting_b"].pk).person_id is None and _b_posting_unchanged(w)


def _log(w: World) -> dict[str, Any]:
    return {"written_on": timezone.localdate().isoformat(), "content": "入户走访 5 户"}


def _submit(side: str) -> Any:
    return lambda w: {"text": "月报", "version": w.extra[f"fs_due_{side}"].version, "lectures": 1}


def _version(key: str) -> Any:
    return lambda w: {"version": w.extra[key].version}


def _return(key: str) -> Any:
    return lambda w: {"reason": "请补充走访情况", "version": w.extra[key].version}


def _region(code: str) -> Any:
    return lambda w: {"code": code}


def _post(a: Any, b: Any, body_a: Any, body_b: Any, unchanged: Any) -> Rule:
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=unchanged)


P = ("fs_posting_a", "fs_posting_b")

WEB_RULES = {
    "firstsecretaries:index": Rule("signed_in"),
    "firstsecretaries:region": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B)),
    "firstsecretaries:statistics_xlsx": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: ""),
    "firstsecretaries:posting_new": _post(None, None, _new("a"), _new("b"), _no_new_b),
    "firstsecretaries:posting": Rule("scoped", a=pk(P[0]), b=pk(P[1])),
    "firstsecretaries:posting_change": _post(pk(P[0]), pk(P[1]), _change("a"), _change("b"), _b_posting_unchanged),
    "firstsecretaries:posting_end": _post(pk(P[0]), pk(P[1]), _end("a"), _end("b"), _b_posting_unchanged),
    "firstsecretaries:posting_person": _post(
        pk(P[0]), pk(P[1]), _person("a", "person"), _person("b", "person"), _b_unlinked
    ),
    "firstsecretaries:log_new": _post(pk(P[0]), pk(P[1]), _log, _log, _b_posting_unchanged),
    "firstsecretaries:report_print": Rule(
        "scoped", a=pk("fs_ack_a"), b=pk("fs_ack_b"), as_text=lambda c: pdf_text(c)[0]
    ),
    "firstsecretaries:submit": _post(pk("fs_due_a"), pk("fs_due_b"), _submit("a"), _submit("b"), _b_reports_unchanged),
    "firstsecretaries:acknowledge": _post(
        pk("fs_ack_a"), pk("fs_ack_b"), _version("fs_ack_a"), _version("fs_ack_b"), _b_reports_unchanged
    ),
    "firstsecretaries:return": _post(
        pk("fs_back_a"), pk("fs_back_b"), _return("fs_back_a"), _return("fs_back_b"), _b_reports_unchanged
    ),
}

API = "/api/v1/firstsecretaries"
API_RULES = {
    f"GET {API}/postings": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    f"POST {API}/postings": _post(None, None, _new("a"), _new("b"), _no_new_b),
    f"GET {API}/postings/{{posting_id}}": Rule("scoped", a=pk(P[0], "posting_id"), b=pk(P[1], "posting_id")),
    f"GET {API}/postings/{{posting_id}}/log": Rule("scoped", a=pk(P[0], "posting_id"), b=pk(P[1], "posting_id")),
    f"POST {API}/postings/{{posting_id}}/change": _post(
        pk(P[0], "posting_id"), pk(P[1], "posting_id"), _change("a"), _change("b"), _b_posting_unchanged
    ),
    f"POST {API}/postings/{{posting_id}}/person": _post(
        pk(P[0], "posting_id"),
        pk(P[1], "posting_id"),
        _person("a", "person_id"),
        _person("b", "person_id"),
        _b_unlinked,
    ),
    f"POST {API}/postings/{{posting_id}}/end": _post(
        pk(P[0], "posting_id"), pk(P[1], "posting_id"), _end("a"), _end("b"), _b_posting_unchanged
    ),
    f"POST {API}/postings/{{posting_id}}/log": _post(
        pk(P[0], "posting_id"), pk(P[1], "posting_id"), _log, _log, _b_posting_unchanged
    ),
    f"GET {API}/reports/{{report_id}}/print.pdf": Rule(
        "scoped", a=pk("fs_ack_a", "report_id"), b=pk("fs_ack_b", "report_id"), as_text=lambda c: pdf_text(c)[0]
    ),
    f"POST {API}/reports/{{report_id}}/submit": _post(
        pk("fs_due_a", "report_id"), pk("fs_due_b", "report_id"), _submit("a"), _submit("b"), _b_reports_unchanged
    ),
    f"POST {API}/reports/{{report_id}}/acknowledge": _post(
        pk("fs_ack_a", "report_id"),
        pk("fs_ack_b", "report_id"),
        _version("fs_ack_a"),
        _version("fs_ack_b"),
        _b_reports_unchanged,
    ),
    f"POST {API}/reports/{{report_id}}/return": _post(
        pk("fs_back_a", "report_id"),
        pk("fs_back_b", "report_id"),
        _return("fs_back_a"),
        _return("fs_back_b"),
        _b_reports_unchanged,
    ),
    f"GET {API}/statistics/{{code}}": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B)),
    f"GET {API}/statistics/{{code}}/statistics.xlsx": Rule(
        "scoped", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: ""
    ),
}
