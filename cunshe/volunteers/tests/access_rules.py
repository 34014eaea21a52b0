from datetime import date
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, no_text
from cunshe.core.actors import SYSTEM
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook
from cunshe.volunteers.downloads import ROSTER_COLUMNS
from cunshe.volunteers.models import VolunteerActivity, VolunteerMember, VolunteerTeam
from cunshe.volunteers.services import ActivityInput, activity_add, member_join, team_create

VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
NAMES = {"a": "志愿队甲", "b": "志愿队乙"}
FORMED = date(2026, 10, 8)


def setup(world: World, make_person: Any, **_: Any) -> None:
    for side, village in VILLAGES.items():
        team = team_create(actor=SYSTEM, region_code=village, name=NAMES[side], formed_by="village", formed_on=FORMED)
        resident = member_join(actor=SYSTEM, team=team, person=make_person(village), role="publicity", joined_on=FORMED)
        outsider = member_join(
            actor=SYSTEM, team=team, name=f"村外{side}", phone="13900000001", role="mediation", joined_on=FORMED
        )
        activity = activity_add(
            actor=SYSTEM,
            team=team,
            data=ActivityInput(date(2026, 11, 10), "publicity", "村委会", "宣讲换届纪律", 30, [resident.pk]),
        )
        world.extra |= {
            f"vol_team_{side}": team,
            f"vol_member_{side}": resident,
            f"vol_outsider_{side}": outsider,
            f"vol_activity_{side}": activity,
            f"vol_person_{side}": make_person(village),
        }


def _pk(key: str, name: str = "pk") -> Any:
    return lambda w: {name: w.extra[key].pk}


def _pair(key: str, name: str = "pk") -> dict[str, Any]:
    return {"a": _pk(f"{key}_a", name), "b": _pk(f"{key}_b", name)}


def _code(side: str, where: dict[str, str] = VILLAGES) -> Any:
    return lambda w: {"code": where[side]}


def _village_name(side: str) -> Any:
    return lambda w: Region.objects.get(code=VILLAGES[side]).name


def _no_team_b(w: World) -> bool:
    return not VolunteerTeam.objects.filter(region_id=VILLAGE_B, name__in=("新志愿队", "导入志愿队")).exists()


def _team_b_same(w: World) -> bool:
    return VolunteerTeam.objects.get(pk=w.extra["vol_team_b"].pk).name == NAMES["b"]


def _members_b(w: World) -> bool:
    return w.extra["vol_team_b"].members.count() == 2


def _in_team_b(w: World) -> bool:
    return VolunteerMember.objects.get(pk=w.extra["vol_outsider_b"].pk).left_on is None


def _activities_b(w: World) -> bool:
    return w.extra["vol_team_b"].activities.count() == 1


def _activity_b_same(w: World) -> bool:
    return VolunteerActivity.objects.get(pk=w.extra["vol_activity_b"].pk).place == "村委会"


def _no_points_b(w: World) -> bool:
    from cunshe.points.models import Entry

    ids = w.extra["vol_activity_b"].participations.values_list("pk", flat=True)
    return not Entry.objects.filter(key__in=[f"volunteers:{pk}" for pk in ids]).exists()


def _sheet(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        buffer = BytesIO()
        row = {
            "region": VILLAGES[side],
            "team": "导入志愿队",
            "formed_on": FORMED,
            "name": "导入志愿者",
            "phone": "13800000000",
            "role": "宣传",
            "joined_on": FORMED,
        }
        write_workbook("志愿者花名册", ROSTER_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("花名册.xlsx", buffer.getvalue())}

    return body


TEAM = {"name": "新志愿队", "formed_by": "village", "formed_on": "2026-10-10", "leader": "", "phone": "", "note": ""}


def _edit(side: str) -> Any:
    return lambda w: {
        "name": "改名志愿队",
        "leader": "",
        "phone": "",
        "note": "",
        "version": VolunteerTeam.objects.get(pk=w.extra[f"vol_team_{side}"].pk).version,
    }


def _join(side: str, api: bool) -> Any:
    key = "person_id" if api else "person"
    return lambda w: {key: w.extra[f"vol_person_{side}"].pk, "role": "service", "joined_on": "2026-10-20"}


def _activity(side: str, api: bool, edit: bool = False) -> Any:
    def body(w: World) -> dict[str, Any]:
        member = w.extra[f"vol_member_{side}"].pk
        data: dict[str, Any] = {
            "held_on": "2026-11-20",
            "kind": "sounding",
            "place": "二组",
            "description": "入户摸排",
            "households": 12,
        }
        data |= {"member_ids": [member]} if api else {"members": [member]}
        if edit:
            data["version"] = VolunteerActivity.objects.get(pk=w.extra[f"vol_activity_{side}"].pk).version
        return data

    return body


LEAVE = {"left_on": "2026-11-30", "reason": "外出务工"}

WEB_RULES = {
    "volunteers:index": Rule("signed_in"),
    "volunteers:rollup": Rule(
        "scoped", a=_code("a", TOWNS), b=_code("b", TOWNS), marker_a=_village_name("a"), marker_b=_village_name("b")
    ),
    "volunteers:rollup_xlsx": Rule("scoped", a=_code("a", TOWNS), b=_code("b", TOWNS), as_text=no_text),
    "volunteers:roster_xlsx": Rule("scoped", a=_code("a", TOWNS), b=_code("b", TOWNS), as_text=no_text),
    "volunteers:roster_import": Rule(
        "scoped",
        method="POST",
        a=_code("a", TOWNS),
        b=_code("b", TOWNS),
        body_a=_sheet("a"),
        body_b=_sheet("b"),
        b_unchanged=_no_team_b,
    ),
    "volunteers:village": Rule("scoped", a=_code("a"), b=_code("b")),
    "volunteers:team_new": Rule(
        "scoped",
        method="POST",
        a=_code("a"),
        b=_code("b"),
        body_a=lambda w: TEAM,
        body_b=lambda w: TEAM,
        b_unchanged=_no_team_b,
    ),
    "volunteers:team": Rule("scoped", **_pair("vol_team")),
    "volunteers:team_roster_pdf": Rule("scoped", **_pair("vol_team"), as_text=lambda c: pdf_text(c)[0]),
    "volunteers:team_edit": Rule(
        "scoped", method="POST", **_pair("vol_team"), body_a=_edit("a"), body_b=_edit("b"), b_unchanged=_team_b_same
    ),
    "volunteers:member_new": Rule(
        "scoped",
        method="POST",
        **_pair("vol_team"),
        body_a=_join("a", api=False),
        body_b=_join("b", api=False),
        b_unchanged=_members_b,
    ),
    "volunteers:member_leave": Rule(
        "scoped",
        method="POST",
        **_pair("vol_outsider"),
        body_a=lambda w: LEAVE,
        body_b=lambda w: LEAVE,
        b_unchanged=_in_team_b,
    ),
    "volunteers:activity_new": Rule(
        "scoped",
        method="POST",
        **_pair("vol_team"),
        body_a=_activity("a", api=False),
        body_b=_activity("b", api=False),
        b_unchanged=_activities_b,
    ),
    "volunteers:activity": Rule("scoped", **_pair("vol_activity")),
    "volunteers:activity_points": Rule("scoped", method="POST", **_pair("vol_activity"), b_unchanged=_no_points_b),
}

_API = "/api/v1/volunteers"
API_RULES = {
    f"GET {_API}/teams": Rule("scoped", marker_a=lambda w: NAMES["a"], marker_b=lambda w: NAMES["b"]),
    f"POST {_API}/teams": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {**TEAM, "region": VILLAGE_A},
        body_b=lambda w: {**TEAM, "region": VILLAGE_B},
        b_unchanged=_no_team_b,
    ),
    f"GET {_API}/teams/{{team_id}}": Rule("scoped", **_pair("vol_team", "team_id")),
    f"GET {_API}/teams/{{team_id}}/roster.pdf": Rule(
        "scoped", **_pair("vol_team", "team_id"), as_text=lambda c: pdf_text(c)[0]
    ),
    f"PUT {_API}/teams/{{team_id}}": Rule(
        "scoped",
        method="PUT",
        **_pair("vol_team", "team_id"),
        body_a=_edit("a"),
        body_b=_edit("b"),
        b_unchanged=_team_b_same,
    ),
    f"POST {_API}/teams/{{team_id}}/members": Rule(
        "scoped",
        method="POST",
        **_pair("vol_team", "team_id"),
        body_a=_join("a", api=True),
        body_b=_join("b", api=True),
        b_unchanged=_members_b,
    ),
    f"POST {_API}/members/{{member_id}}/leave": Rule(
        "scoped",
        method="POST",
        **_pair("vol_outsider", "member_id"),
        body_a=lambda w: LEAVE,
        body_b=lambda w: LEAVE,
        b_unchanged=_in_team_b,
    ),
    f"POST {_API}/teams/{{team_id}}/activities": Rule(
        "scoped",
        method="POST",
        **_pair("vol_team", "team_id"),
        body_a=_activity("a", api=True),
        body_b=_activity("b", api=True),
        b_unchanged=_activities_b,
    ),
    f"GET {_API}/activities/{{activity_id}}": Rule("scoped", **_pair("vol_activity", "activity_id")),
    f"PUT {_API}/activities/{{activity_id}}": Rule(
        "scoped",
        method="PUT",
        **_pair("vol_activity", "activity_id"),
        body_a=_activity("a", api=True, edit=True),
        body_b=_activity("b", api=True, edit=True),
        b_unchanged=_activity_b_same,
    ),
    f"POST {_API}/activities/{{activity_id}}/points": Rule(
        "scoped", method="POST", **_pair("vol_activity", "activity_id"), b_unchanged=_no_points_b
    ),
    f"GET {_API}/rollup/{{code}}": Rule(
        "scoped", a=_code("a", TOWNS), b=_code("b", TOWNS), marker_a=_village_name("a"), marker_b=_village_name("b")
    ),
    f"GET {_API}/rollup/{{code}}/rollup.xlsx": Rule(
        "scoped", a=_code("a", TOWNS), b=_code("b", TOWNS), as_text=no_text
    ),
    f"GET {_API}/rollup/{{code}}/roster.xlsx": Rule(
        "scoped", a=_code("a", TOWNS), b=_code("b", TOWNS), as_text=no_text
    ),
    f"POST {_API}/rollup/{{code}}/import": Rule(
        "scoped",
        method="POST",
        a=_code("a", TOWNS),
        b=_code("b", TOWNS),
        body_a=_sheet("a"),
        body_b=_sheet("b"),
        b_unchanged=_no_team_b,
    ),
}
