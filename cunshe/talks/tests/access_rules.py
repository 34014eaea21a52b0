from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, pk
from cunshe.core.actors import SYSTEM
from cunshe.talks.models import FollowUp, Status, Talk
from cunshe.talks.services import talk_record

SECRETARIES = {"a": "黛溪谈心对象", "b": "黄山谈心对象"}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}


def setup(world: World, **_: Any) -> None:
    today = timezone.localdate()
    for side, village in VILLAGES.items():
        talk = talk_record(
            actor=SYSTEM,
            village_code=village,
            held_on=today,
            place="村党群服务中心",
            talker="街道党工委书记",
            secretary=SECRETARIES[side],
            points="环境整治进度慢，群众反映强烈。",
            follow_ups=[{"task": "月底前完成主街清理", "owner": "村党组织书记", "due_on": today + timedelta(days=20)}],
        )
        world.extra[f"talk_{side}"] = talk
        world.extra[f"talk_followup_{side}"] = FollowUp.objects.get(talk=talk)


def _b_unchanged(w: World) -> bool:
    talk = w.extra["talk_b"]
    return Talk.objects.filter(village_id=VILLAGE_B).count() == 1 and list(
        FollowUp.objects.filter(talk=talk).values_list("status", flat=True)
    ) == [Status.OPEN]


def _new(side: str) -> Any:
    return lambda w: {
        "village": VILLAGES[side],
        "held_on": timezone.localdate().isoformat(),
        "place": "街道会议室",
        "talker": "街道党工委书记",
        "points": "班子团结，议事规范。",
        "secretary": "王书记",
    }


def _follow(w: World) -> dict[str, Any]:
    return {"task": "补齐会议记录", "owner": "村文书", "due_on": (timezone.localdate() + timedelta(days=7)).isoformat()}


def _done(side: str) -> Any:
    return lambda w: {
        "result": "已完成",
        "done_on": timezone.localdate().isoformat(),
        "version": w.extra[f"talk_followup_{side}"].version,
    }


def _region(code: str) -> Any:
    return lambda w: {"code": code}


def _post(a: Any, b: Any, body_a: Any, body_b: Any) -> Rule:
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_b_unchanged)


WEB_RULES = {
    "talks:index": Rule("signed_in"),
    "talks:region": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B)),
    "talks:ledger": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: ""),
    "talks:talk_new": _post(None, None, _new("a"), _new("b")),
    "talks:talk": Rule("scoped", a=pk("talk_a"), b=pk("talk_b")),
    "talks:talk_print": Rule("scoped", a=pk("talk_a"), b=pk("talk_b"), as_text=lambda c: pdf_text(c)[0]),
    "talks:followup_new": _post(pk("talk_a"), pk("talk_b"), _follow, _follow),
    "talks:followup_done": _post(pk("talk_followup_a"), pk("talk_followup_b"), _done("a"), _done("b")),
}

API = "/api/v1/talks"
API_RULES = {
    f"GET {API}/region/{{code}}": Rule(
        "scoped",
        a=_region(TOWN_A),
        b=_region(TOWN_B),
        marker_a=lambda w: SECRETARIES["a"],
        marker_b=lambda w: SECRETARIES["b"],
    ),
    f"GET {API}/region/{{code}}/counts": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B)),
    f"GET {API}/region/{{code}}/talks.xlsx": Rule("scoped", a=_region(TOWN_A), b=_region(TOWN_B), as_text=lambda c: ""),
    f"POST {API}/talks": _post(None, None, _new("a"), _new("b")),
    f"GET {API}/talks/{{talk_id}}": Rule("scoped", a=pk("talk_a", "talk_id"), b=pk("talk_b", "talk_id")),
    f"GET {API}/talks/{{talk_id}}/record.pdf": Rule(
        "scoped", a=pk("talk_a", "talk_id"), b=pk("talk_b", "talk_id"), as_text=lambda c: pdf_text(c)[0]
    ),
    f"POST {API}/talks/{{talk_id}}/follow-ups": _post(
        pk("talk_a", "talk_id"), pk("talk_b", "talk_id"), _follow, _follow
    ),
    f"POST {API}/follow-ups/{{follow_up_id}}/done": _post(
        pk("talk_followup_a", "follow_up_id"), pk("talk_followup_b", "follow_up_id"), _done("a"), _done("b")
    ),
}
