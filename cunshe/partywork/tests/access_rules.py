"""Party work in the access walk: each town has a branch with a draft and a signed meeting, a model post, floating
members with cards and a boat party group; a town-A officer works on A's and gets 404 (or nothing) for B's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import TOWN_A, TOWN_B
from cunshe.access.tests.walk import Rule, World
from cunshe.core.actors import SYSTEM
from cunshe.partywork import rules
from cunshe.partywork.models import (
    Addendum,
    Branch,
    FloatingGroup,
    FloatingMember,
    GroupMembership,
    ModelPost,
    PartyMeeting,
)
from cunshe.partywork.services import card_issue, floating_register, group_create, post_create
from cunshe.partywork.tests.helpers import at, branch_with_members, hold
from cunshe.people.models import Person

VILLAGES = {"a": "371681001226", "b": "371681002226"}  # 城里 (黛溪街道), 代庄 (黄山街道)
SPARE = {"a": "371681001227", "b": "371681002227"}  # no branch yet: for opening one
TOWNS = {"a": TOWN_A, "b": TOWN_B}
NAMES = {"a": "城里村党支部", "b": "代庄村党支部"}
POSTS = {"a": "城里村环境整治示范岗", "b": "代庄村环境整治示范岗"}
FLOATING_NAMES = {"a": "城里流动党员甲", "b": "代庄流动党员乙"}
GROUP_NAMES = {"a": "城里微山湖船头党小组", "b": "代庄微山湖船头党小组"}


def setup(world: World, make_person: Any, **_: Any) -> None:
    today = timezone.localdate()
    for side, village in VILLAGES.items():
        branch, members = branch_with_members(village, make_person, formed_on=today - timedelta(days=40))
        Branch.objects.filter(pk=branch.pk).update(name=NAMES[side])
        branch.refresh_from_db()
        world.extra[f"pw_branch_{side}"] = branch
        world.extra[f"pw_members_{side}"] = members
        world.extra[f"pw_signed_{side}"] = hold(branch, members, on=today)
        world.extra[f"pw_draft_{side}"] = hold(branch, members, on=today, sign=False)
        world.extra[f"pw_post_{side}"] = post_create(
            actor=SYSTEM,
            village_code=village,
            person=members[2],
            title=POSTS[side],
            duty="包片 20 户",
            set_up_on=today - timedelta(days=200),
        )
        crew = []
        for _n in range(4):
            person = make_person(village, is_party_member=True, party_joined_on=today - timedelta(days=4000))
            left = today - timedelta(days=20)
            m = floating_register(
                actor=SYSTEM,
                person=person,
                whereabouts="微山湖",
                left_on=left,
                expected_back_on=rules.add_months(left, 5),
            )
            crew.append(m)
        for m in crew[:3]:
            card_issue(actor=SYSTEM, member=m, issued_on=m.left_on, valid_until=rules.add_months(m.left_on, 6))
        world.extra[f"pw_floating_{side}"] = crew[3]  # no card yet
        # a name no other row contains, so the floating members' page can be checked for it
        Person.objects.filter(pk=crew[3].person_id).update(name=FLOATING_NAMES[side])
        world.extra[f"pw_crew_{side}"] = crew[:3]
        # a boat party group of four more, and one carded member of no group who may join it
        fleet = []
        for _n in range(5):
            person = make_person(village, is_party_member=True, party_joined_on=today - timedelta(days=4000))
            left = today - timedelta(days=20)
            m = floating_register(
                actor=SYSTEM,
                person=person,
                whereabouts="微山湖",
                left_on=left,
                expected_back_on=rules.add_months(left, 5),
            )
            card_issue(actor=SYSTEM, member=m, issued_on=left, valid_until=rules.add_months(left, 6))
            fleet.append(m)
        world.extra[f"pw_group_{side}"] = group_create(
            actor=SYSTEM,
            town_code=TOWNS[side],
            kind="boat",
            name=GROUP_NAMES[side],
            whereabouts="微山湖",
            formed_on=today - timedelta(days=10),
            members=fleet[:4],
        )
        world.extra[f"pw_fleet_{side}"] = fleet


def _code(key: str) -> Any:
    return lambda w: {"code": w.extra[key].region_id}


def _pk(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _town(side: str) -> Any:
    return lambda w: {"code": TOWNS[side]}


def _quarter(side: str) -> Any:
    from cunshe.partywork.views import last_quarter

    def kwargs(w: World) -> dict[str, Any]:
        year, quarter = last_quarter(timezone.localdate())
        return {"code": TOWNS[side], "year": year, "quarter": quarter}

    return kwargs


def _meeting_body(side: str, *, as_json: bool) -> Any:
    def body(w: World) -> dict[str, Any]:
        members = w.extra[f"pw_members_{side}"]
        common = {"kind": "theme_day", "place": "党员活动室", "agenda": "重温入党誓词", "topic": ""}
        if as_json:
            return {
                **common,
                "held_at": at(timezone.localdate()).isoformat(),
                "chair_id": members[0].pk,
                "recorder_id": members[1].pk,
            }
        return {
            **common,
            "held_at": at(timezone.localdate()).strftime("%Y-%m-%dT%H:%M"),
            "chair": members[0].pk,
            "recorder": members[1].pk,
            "discussion": "",
            "votes": "",
        }

    return body


def _no_new_meeting_b(w: World) -> bool:
    return not PartyMeeting.objects.filter(branch=w.extra["pw_branch_b"], kind="theme_day").exists()


def _draft_b_unchanged(w: World) -> bool:
    m = PartyMeeting.objects.get(pk=w.extra["pw_draft_b"].pk)
    return m.version == w.extra["pw_draft_b"].version and m.recorder_signed_at is None


def _no_addendum_b(w: World) -> bool:
    return not Addendum.objects.filter(meeting=w.extra["pw_signed_b"]).exists()


def _marks(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        m = w.extra[f"pw_draft_{side}"]
        return {
            "version": m.version,
            "marks": [{"person_id": w.extra[f"pw_members_{side}"][0].pk, "status": "present"}],
        }

    return body


def _web_marks(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        m = w.extra[f"pw_draft_{side}"]
        return {"version": m.version, f"status_{w.extra[f'pw_members_{side}'][0].pk}": "present"}

    return body


def _sign(side: str) -> Any:
    return lambda w: {"role": "recorder", "version": w.extra[f"pw_draft_{side}"].version}


ADDENDUM = {"text": "补记：会后征求了群众意见。"}


def _edit(side: str) -> Any:
    return lambda w: {"version": w.extra[f"pw_draft_{side}"].version, "place": "村会议室"}


def _web_edit(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        m = w.extra[f"pw_draft_{side}"]
        return {
            "version": m.version,
            "held_at": timezone.localtime(m.held_at).strftime("%Y-%m-%dT%H:%M"),
            "place": "村会议室",
            "topic": "",
            "chair": m.chair_id,
            "recorder": m.recorder_id,
            "agenda": m.agenda,
            "discussion": "",
            "votes": "",
            "decisions": "",
        }

    return body


def _spare_body(side: str) -> Any:
    return lambda w: {"village": SPARE[side], "name": "新登记党支部", "formed_on": timezone.localdate().isoformat()}


def _no_spare_b(w: World) -> bool:
    return not Branch.objects.filter(region_id=SPARE["b"]).exists()


def _post_body(side: str) -> Any:
    return lambda w: {
        "person_id": w.extra[f"pw_members_{side}"][3].pk,
        "title": "新示范岗",
        "duty": "联系 10 户",
        "set_up_on": timezone.localdate().isoformat(),
    }


def _no_new_post_b(w: World) -> bool:
    return not ModelPost.objects.filter(region_id=VILLAGES["b"], title="新示范岗").exists()


def _rate_body(w: World) -> dict[str, Any]:
    from cunshe.partywork.views import last_quarter

    year, quarter = last_quarter(timezone.localdate())
    sheet = rules.rating_sheet(VILLAGES["a"], rules.quarter_end(year, quarter))
    return {"year": year, "quarter": quarter, "scores": {name: full for name, full in sheet.criteria}}


def _unrated_b(w: World) -> bool:
    return not w.extra["pw_post_b"].ratings.exists()


def _post_end_body(side: str) -> Any:
    return lambda w: {
        "ended_on": timezone.localdate().isoformat(),
        "reason": "调任村民委员会委员",
        "version": w.extra[f"pw_post_{side}"].version,
    }


def _post_b_open(w: World) -> bool:
    return ModelPost.objects.get(pk=w.extra["pw_post_b"].pk).ended_on is None


def _carded(side: str, name: str = "pk") -> Any:
    """A floating member holding a card (the first of the crew), for the card's printout."""
    return lambda w: {name: w.extra[f"pw_crew_{side}"][0].pk}


def _floating_body(side: str) -> Any:
    return lambda w: {
        "person_id": w.extra[f"pw_members_{side}"][3].pk,
        "whereabouts": "济宁",
        "left_on": timezone.localdate().isoformat(),
    }


def _no_new_floating_b(w: World) -> bool:
    return not FloatingMember.objects.filter(person=w.extra["pw_members_b"][3]).exists()


def _card_body(side: str) -> Any:
    return lambda w: {
        "issued_on": w.extra[f"pw_floating_{side}"].left_on.isoformat(),
        "valid_until": rules.add_months(w.extra[f"pw_floating_{side}"].left_on, 6).isoformat(),
    }


def _floating_b_unchanged(w: World) -> bool:
    m = FloatingMember.objects.get(pk=w.extra["pw_floating_b"].pk)
    return not m.cards.exists() and not m.reports.exists() and m.returned_on is None


def _report_body(w: World) -> dict[str, Any]:
    today = timezone.localdate()
    return {"year": today.year, "reported_on": today.isoformat(), "content": "在微山湖捕捞，参加船头党小组活动"}


def _return_body(side: str) -> Any:
    return lambda w: {
        "returned_on": timezone.localdate().isoformat(),
        "version": w.extra[f"pw_floating_{side}"].version,
    }


def _group_body(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        crew = w.extra[f"pw_crew_{side}"]
        card_issue(
            actor=SYSTEM, member=crew[2], issued_on=crew[2].left_on, valid_until=rules.add_months(crew[2].left_on, 6)
        )
        return {
            "kind": "boat",
            "name": "船头党小组",
            "whereabouts": "微山湖",
            "formed_on": timezone.localdate().isoformat(),
            "member_ids": [m.pk for m in crew],
        }

    return body


def _no_group_b(w: World) -> bool:
    return not FloatingGroup.objects.filter(region_id=TOWN_B).exclude(name=GROUP_NAMES["b"]).exists()


def _web_group_body(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        got = _group_body(side)(w)
        ids = got.pop("member_ids")
        return {**got, "members": ids, "leader": ids[0]}

    return body


def _group_kwargs(side: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[f"pw_group_{side}"].pk}


def _leave_kwargs(side: str, name: str = "pk", member: str = "member_pk") -> Any:
    return lambda w: {name: w.extra[f"pw_group_{side}"].pk, member: w.extra[f"pw_fleet_{side}"][3].pk}


def _join_body(side: str, *, key: str) -> Any:
    return lambda w: {
        key: w.extra[f"pw_fleet_{side}"][4].pk,
        "joined_on": timezone.localdate().isoformat(),
        "version": w.extra[f"pw_group_{side}"].version,
    }


def _leave_body(side: str) -> Any:
    return lambda w: {
        "left_on": timezone.localdate().isoformat(),
        "reason": "转入其他船队",
        "version": w.extra[f"pw_group_{side}"].version,
    }


def _leader_body(side: str, *, key: str) -> Any:
    return lambda w: {key: w.extra[f"pw_fleet_{side}"][1].pk, "version": w.extra[f"pw_group_{side}"].version}


def _dissolve_body(side: str) -> Any:
    return lambda w: {
        "dissolved_on": timezone.localdate().isoformat(),
        "version": w.extra[f"pw_group_{side}"].version,
    }


def _group_b_unchanged(w: World) -> bool:
    g = FloatingGroup.objects.get(pk=w.extra["pw_group_b"].pk)
    rows = GroupMembership.objects.filter(group=g)
    return (
        g.version == w.extra["pw_group_b"].version
        and g.dissolved_on is None
        and rows.count() == 4
        and not rows.filter(left_on__isnull=False).exists()
    )


def _group_rules(api: bool) -> dict[str, Rule]:
    """The same four writes on a group's page and in the API."""
    pk_name, member_key = ("group_id", "member_id") if api else ("pk", "member")
    leave_key = "member_id" if api else "member_pk"
    probes = {
        "join": (_group_kwargs, lambda side: _join_body(side, key=member_key)),
        "leave": (lambda side, name: _leave_kwargs(side, name, leave_key), _leave_body),
        "leader": (_group_kwargs, lambda side: _leader_body(side, key=member_key)),
        "dissolve": (_group_kwargs, _dissolve_body),
    }
    return {
        op: Rule(
            "scoped",
            method="POST",
            a=kwargs("a", pk_name),
            b=kwargs("b", pk_name),
            body_a=body("a"),
            body_b=body("b"),
            b_unchanged=_group_b_unchanged,
        )
        for op, (kwargs, body) in probes.items()
    }


WEB_RULES = {
    "partywork:index": Rule("signed_in"),
    "partywork:region": Rule(
        "scoped", a=_town("a"), b=_town("b"), marker_a=lambda w: "城里", marker_b=lambda w: "代庄"
    ),
    "partywork:branch_new": Rule(
        "scoped",
        method="POST",
        a=_town("a"),
        b=_town("b"),
        body_a=lambda w: {"village": SPARE["a"], "name": "新登记党支部", "formed_on": timezone.localdate().isoformat()},
        body_b=lambda w: {"village": SPARE["b"], "name": "新登记党支部", "formed_on": timezone.localdate().isoformat()},
        b_unchanged=_no_spare_b,
    ),
    "partywork:ledger": Rule("scoped", a=_town("a"), b=_town("b"), as_text=lambda c: ""),
    "partywork:rating_sheet": Rule("scoped", a=_quarter("a"), b=_quarter("b"), as_text=lambda c: ""),
    "partywork:results": Rule("scoped", a=_quarter("a"), b=_quarter("b"), as_text=lambda c: ""),
    "partywork:branch": Rule("scoped", a=_code("pw_branch_a"), b=_code("pw_branch_b")),
    "partywork:meeting_new": Rule(
        "scoped",
        method="POST",
        a=_code("pw_branch_a"),
        b=_code("pw_branch_b"),
        body_a=_meeting_body("a", as_json=False),
        body_b=_meeting_body("b", as_json=False),
        b_unchanged=_no_new_meeting_b,
    ),
    "partywork:meeting": Rule("scoped", a=_pk("pw_signed_a"), b=_pk("pw_signed_b")),
    "partywork:minutes": Rule("scoped", a=_pk("pw_signed_a"), b=_pk("pw_signed_b"), as_text=lambda c: ""),
    "partywork:meeting_edit": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_draft_a"),
        b=_pk("pw_draft_b"),
        body_a=_web_edit("a"),
        body_b=_web_edit("b"),
        b_unchanged=_draft_b_unchanged,
    ),
    "partywork:attendance": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_draft_a"),
        b=_pk("pw_draft_b"),
        body_a=_web_marks("a"),
        body_b=_web_marks("b"),
        b_unchanged=_draft_b_unchanged,
    ),
    "partywork:sign": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_draft_a"),
        b=_pk("pw_draft_b"),
        body_a=_sign("a"),
        body_b=_sign("b"),
        b_unchanged=_draft_b_unchanged,
    ),
    "partywork:addendum": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_signed_a"),
        b=_pk("pw_signed_b"),
        body_a=lambda w: ADDENDUM,
        body_b=lambda w: ADDENDUM,
        b_unchanged=_no_addendum_b,
    ),
}


def _web_post_body(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        got = _post_body(side)(w)
        return {"person": got["person_id"], "title": got["title"], "duty": got["duty"], "set_up_on": got["set_up_on"]}

    return body


def _web_rate_body(w: World) -> dict[str, Any]:
    got = _rate_body(w)
    scores = {f"score_{i}": v for i, v in enumerate(got["scores"].values())}
    return {"year": got["year"], "quarter": got["quarter"], "note": "", **scores}


def _web_floating_body(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        got = _floating_body(side)(w)
        return {"person": got["person_id"], "whereabouts": got["whereabouts"], "left_on": got["left_on"]}

    return body


WEB_RULES.update(
    {
        "partywork:posts": Rule(
            "scoped", a=_town("a"), b=_town("b"), marker_a=lambda w: POSTS["a"], marker_b=lambda w: POSTS["b"]
        ),
        "partywork:post_new": Rule(
            "scoped",
            method="POST",
            a=_code("pw_branch_a"),
            b=_code("pw_branch_b"),
            body_a=_web_post_body("a"),
            body_b=_web_post_body("b"),
            b_unchanged=_no_new_post_b,
        ),
        "partywork:post": Rule("scoped", a=_pk("pw_post_a"), b=_pk("pw_post_b")),
        "partywork:post_rate": Rule(
            "scoped",
            method="POST",
            a=_pk("pw_post_a"),
            b=_pk("pw_post_b"),
            body_a=_web_rate_body,
            body_b=_web_rate_body,
            b_unchanged=_unrated_b,
        ),
        "partywork:post_end": Rule(
            "scoped",
            method="POST",
            a=_pk("pw_post_a"),
            b=_pk("pw_post_b"),
            body_a=_post_end_body("a"),
            body_b=_post_end_body("b"),
            b_unchanged=_post_b_open,
        ),
        # the page falls back to the user's own town: B's members stay out of it
        "partywork:floating": Rule(
            "scoped",
            a=_town("a"),
            b=_town("b"),
            marker_a=lambda w: FLOATING_NAMES["a"],
            marker_b=lambda w: FLOATING_NAMES["b"],
        ),
        "partywork:floating_new": Rule(
            "scoped",
            method="POST",
            a=_code("pw_branch_a"),
            b=_code("pw_branch_b"),
            body_a=_web_floating_body("a"),
            body_b=_web_floating_body("b"),
            b_unchanged=_no_new_floating_b,
        ),
        "partywork:member": Rule("scoped", a=_pk("pw_floating_a"), b=_pk("pw_floating_b")),
        "partywork:floating_registration": Rule(
            "scoped", a=_pk("pw_floating_a"), b=_pk("pw_floating_b"), as_text=lambda c: ""
        ),
        "partywork:floating_card": Rule("scoped", a=_carded("a"), b=_carded("b"), as_text=lambda c: ""),
        "partywork:card_new": Rule(
            "scoped",
            method="POST",
            a=_pk("pw_floating_a"),
            b=_pk("pw_floating_b"),
            body_a=_card_body("a"),
            body_b=_card_body("b"),
            b_unchanged=_floating_b_unchanged,
        ),
        "partywork:report_new": Rule(
            "scoped",
            method="POST",
            a=_pk("pw_floating_a"),
            b=_pk("pw_floating_b"),
            body_a=_report_body,
            body_b=_report_body,
            b_unchanged=_floating_b_unchanged,
        ),
        "partywork:floating_ledger": Rule("scoped", a=_town("a"), b=_town("b"), as_text=lambda c: ""),
        "partywork:groups": Rule(
            "scoped",
            a=_town("a"),
            b=_town("b"),
            marker_a=lambda w: GROUP_NAMES["a"],
            marker_b=lambda w: GROUP_NAMES["b"],
        ),
        "partywork:group_new": Rule(
            "scoped",
            method="POST",
            a=_town("a"),
            b=_town("b"),
            body_a=_web_group_body("a"),
            body_b=_web_group_body("b"),
            b_unchanged=_no_group_b,
        ),
        "partywork:group": Rule("scoped", a=_group_kwargs("a"), b=_group_kwargs("b")),
        "partywork:group_join": _group_rules(api=False)["join"],
        "partywork:group_leave": _group_rules(api=False)["leave"],
        "partywork:group_leader": _group_rules(api=False)["leader"],
        "partywork:group_dissolve": _group_rules(api=False)["dissolve"],
        "partywork:member_return": Rule(
            "scoped",
            method="POST",
            a=_pk("pw_floating_a"),
            b=_pk("pw_floating_b"),
            body_a=_return_body("a"),
            body_b=_return_body("b"),
            b_unchanged=_floating_b_unchanged,
        ),
    }
)

_API = "/api/v1/partywork"
API_RULES = {
    f"GET {_API}/branches": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    f"POST {_API}/branches": Rule(
        "scoped", method="POST", body_a=_spare_body("a"), body_b=_spare_body("b"), b_unchanged=_no_spare_b
    ),
    f"GET {_API}/branches/{{code}}": Rule("scoped", a=_code("pw_branch_a"), b=_code("pw_branch_b")),
    f"GET {_API}/branches/{{code}}/meetings": Rule("scoped", a=_code("pw_branch_a"), b=_code("pw_branch_b")),
    f"POST {_API}/branches/{{code}}/meetings": Rule(
        "scoped",
        method="POST",
        a=_code("pw_branch_a"),
        b=_code("pw_branch_b"),
        body_a=_meeting_body("a", as_json=True),
        body_b=_meeting_body("b", as_json=True),
        b_unchanged=_no_new_meeting_b,
    ),
    f"GET {_API}/meetings/{{meeting_id}}": Rule(
        "scoped", a=_pk("pw_signed_a", "meeting_id"), b=_pk("pw_signed_b", "meeting_id")
    ),
    f"POST {_API}/meetings/{{meeting_id}}/edit": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_draft_a", "meeting_id"),
        b=_pk("pw_draft_b", "meeting_id"),
        body_a=_edit("a"),
        body_b=_edit("b"),
        b_unchanged=_draft_b_unchanged,
    ),
    f"POST {_API}/meetings/{{meeting_id}}/attendance": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_draft_a", "meeting_id"),
        b=_pk("pw_draft_b", "meeting_id"),
        body_a=_marks("a"),
        body_b=_marks("b"),
        b_unchanged=_draft_b_unchanged,
    ),
    f"POST {_API}/meetings/{{meeting_id}}/sign": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_draft_a", "meeting_id"),
        b=_pk("pw_draft_b", "meeting_id"),
        body_a=_sign("a"),
        body_b=_sign("b"),
        b_unchanged=_draft_b_unchanged,
    ),
    f"POST {_API}/meetings/{{meeting_id}}/addenda": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_signed_a", "meeting_id"),
        b=_pk("pw_signed_b", "meeting_id"),
        body_a=lambda w: ADDENDUM,
        body_b=lambda w: ADDENDUM,
        b_unchanged=_no_addendum_b,
    ),
    f"GET {_API}/meetings/{{meeting_id}}/minutes.pdf": Rule(
        "scoped", a=_pk("pw_signed_a", "meeting_id"), b=_pk("pw_signed_b", "meeting_id"), as_text=lambda c: ""
    ),
    f"GET {_API}/regions/{{code}}/rollup": Rule(
        "scoped", a=_town("a"), b=_town("b"), marker_a=lambda w: "城里", marker_b=lambda w: "代庄"
    ),
    f"GET {_API}/regions/{{code}}/ledger.xlsx": Rule("scoped", a=_town("a"), b=_town("b"), as_text=lambda c: ""),
    f"GET {_API}/regions/{{code}}/posts": Rule(
        "scoped", a=_town("a"), b=_town("b"), marker_a=lambda w: POSTS["a"], marker_b=lambda w: POSTS["b"]
    ),
    f"POST {_API}/branches/{{code}}/posts": Rule(
        "scoped",
        method="POST",
        a=_code("pw_branch_a"),
        b=_code("pw_branch_b"),
        body_a=_post_body("a"),
        body_b=_post_body("b"),
        b_unchanged=_no_new_post_b,
    ),
    f"POST {_API}/posts/{{post_id}}/ratings": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_post_a", "post_id"),
        b=_pk("pw_post_b", "post_id"),
        body_a=_rate_body,
        body_b=_rate_body,
        b_unchanged=_unrated_b,
    ),
    f"POST {_API}/posts/{{post_id}}/end": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_post_a", "post_id"),
        b=_pk("pw_post_b", "post_id"),
        body_a=_post_end_body("a"),
        body_b=_post_end_body("b"),
        b_unchanged=_post_b_open,
    ),
    f"GET {_API}/regions/{{code}}/ratings/{{year}}/{{quarter}}": Rule("scoped", a=_quarter("a"), b=_quarter("b")),
    f"GET {_API}/regions/{{code}}/ratings/{{year}}/{{quarter}}/results.xlsx": Rule(
        "scoped", a=_quarter("a"), b=_quarter("b"), as_text=lambda c: ""
    ),
    f"GET {_API}/regions/{{code}}/ratings/{{year}}/{{quarter}}/sheet.pdf": Rule(
        "scoped", a=_quarter("a"), b=_quarter("b"), as_text=lambda c: ""
    ),
    f"GET {_API}/regions/{{code}}/floating": Rule("scoped", a=_town("a"), b=_town("b")),
    f"GET {_API}/regions/{{code}}/floating/members": Rule(
        "scoped",
        a=_town("a"),
        b=_town("b"),
        marker_a=lambda w: FLOATING_NAMES["a"],
        marker_b=lambda w: FLOATING_NAMES["b"],
    ),
    f"POST {_API}/branches/{{code}}/floating": Rule(
        "scoped",
        method="POST",
        a=_code("pw_branch_a"),
        b=_code("pw_branch_b"),
        body_a=_floating_body("a"),
        body_b=_floating_body("b"),
        b_unchanged=_no_new_floating_b,
    ),
    f"GET {_API}/floating/{{member_id}}": Rule(
        "scoped", a=_pk("pw_floating_a", "member_id"), b=_pk("pw_floating_b", "member_id")
    ),
    f"GET {_API}/floating/{{member_id}}/registration.pdf": Rule(
        "scoped", a=_pk("pw_floating_a", "member_id"), b=_pk("pw_floating_b", "member_id"), as_text=lambda c: ""
    ),
    f"GET {_API}/floating/{{member_id}}/card.pdf": Rule(
        "scoped", a=_carded("a", "member_id"), b=_carded("b", "member_id"), as_text=lambda c: ""
    ),
    f"POST {_API}/floating/{{member_id}}/cards": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_floating_a", "member_id"),
        b=_pk("pw_floating_b", "member_id"),
        body_a=_card_body("a"),
        body_b=_card_body("b"),
        b_unchanged=_floating_b_unchanged,
    ),
    f"POST {_API}/floating/{{member_id}}/reports": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_floating_a", "member_id"),
        b=_pk("pw_floating_b", "member_id"),
        body_a=_report_body,
        body_b=_report_body,
        b_unchanged=_floating_b_unchanged,
    ),
    f"POST {_API}/floating/{{member_id}}/return": Rule(
        "scoped",
        method="POST",
        a=_pk("pw_floating_a", "member_id"),
        b=_pk("pw_floating_b", "member_id"),
        body_a=_return_body("a"),
        body_b=_return_body("b"),
        b_unchanged=_floating_b_unchanged,
    ),
    f"POST {_API}/towns/{{code}}/groups": Rule(
        "scoped",
        method="POST",
        a=_town("a"),
        b=_town("b"),
        body_a=_group_body("a"),
        body_b=_group_body("b"),
        b_unchanged=_no_group_b,
    ),
    f"GET {_API}/regions/{{code}}/floating.xlsx": Rule("scoped", a=_town("a"), b=_town("b"), as_text=lambda c: ""),
    f"GET {_API}/regions/{{code}}/groups": Rule(
        "scoped",
        a=_town("a"),
        b=_town("b"),
        marker_a=lambda w: GROUP_NAMES["a"],
        marker_b=lambda w: GROUP_NAMES["b"],
    ),
    f"GET {_API}/groups/{{group_id}}": Rule(
        "scoped", a=_group_kwargs("a", "group_id"), b=_group_kwargs("b", "group_id")
    ),
    f"POST {_API}/groups/{{group_id}}/members": _group_rules(api=True)["join"],
    f"POST {_API}/groups/{{group_id}}/members/{{member_id}}/leave": _group_rules(api=True)["leave"],
    f"POST {_API}/groups/{{group_id}}/leader": _group_rules(api=True)["leader"],
    f"POST {_API}/groups/{{group_id}}/dissolve": _group_rules(api=True)["dissolve"],
}
