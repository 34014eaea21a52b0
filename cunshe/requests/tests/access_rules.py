from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import OTHER_COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import Rule, World, pk, pks, xlsx_text
from cunshe.core.actors import SYSTEM
from cunshe.regions.models import Region
from cunshe.requests.exports import HOTLINE_COLUMNS
from cunshe.requests.models import Category, Photo, Request, ResponseTemplate, TierLimit
from cunshe.requests.services import category_create, request_assign, request_close, template_create
from cunshe.requests.tests.helpers import SINCE, categories, file_request, village_team
from cunshe.spreadsheets.layout import write_workbook

TITLES = {"a": "甲村路灯不亮", "b": "乙村路灯不亮"}
VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
TOWNS = {"a": TOWN_A, "b": TOWN_B}


def _png() -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def setup(world: World, **_: Any) -> None:
    made = categories()
    # The settings of this county (the organizer's) and of another county (which does not exist for them).
    world.extra["requests_category_a"] = made["road"]
    world.extra["requests_category_b"] = category_create(
        actor=SYSTEM, county_code=OTHER_COUNTY, code="road", name="外县类别", route="village", valid_from=SINCE
    )
    world.extra["requests_template_a"] = template_create(
        actor=SYSTEM, county_code="371681", title="走查答复", text="经核实已办理。"
    )
    world.extra["requests_template_b"] = template_create(
        actor=SYSTEM, county_code=OTHER_COUNTY, title="外县模板", text="外县答复。"
    )
    for side, village in VILLAGES.items():
        new = file_request(village, title=TITLES[side])
        assigned = file_request(village, title=f"{TITLES[side]}（已派单）")
        team = village_team(village)
        world.extra[f"requests_team_{side}"] = team
        assigned = request_assign(actor=SYSTEM, request=assigned, team_id=team.pk, expected_version=1)
        closed = file_request(village, title=f"{TITLES[side]}（已办结）")
        closed = request_assign(actor=SYSTEM, request=closed, team_id=team.pk, expected_version=1)
        closed = request_close(actor=SYSTEM, request=closed, note="已更换灯泡", expected_version=closed.version)
        photo = Photo(request=new, region_id=village)
        photo.image.save("walk.png", ContentFile(_png()), save=True)
        world.extra.update(
            {
                f"requests_new_{side}": new,
                f"requests_assigned_{side}": assigned,
                f"requests_closed_{side}": closed,
                f"requests_photo_{side}": photo,
            }
        )


def _unchanged(key: str) -> Any:
    def check(w: World) -> bool:
        before = w.extra[key]
        now = Request.objects.get(pk=before.pk)
        return (now.version, now.status, now.public, now.photos.count()) == (
            before.version,
            before.status,
            before.public,
            1 if key.startswith("requests_new") else 0,
        )

    return check


def _version(key: str, **more: Any) -> Any:
    return lambda w: {"version": w.extra[key].version, **more}


def _original(w: World) -> dict[str, Any]:
    return {"version": w.extra["requests_new_a"].version, "original": w.extra["requests_assigned_a"].pk}


def _sheet(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        buffer = BytesIO()
        row = {
            "work_order_no": f"WALK-{side}",
            "submitted_at": "2026-12-01 09:00",
            "village": VILLAGES[side],
            "category": "road",
            "tier": "一般",
            "title": "12345 转办",
            "description": "路面破损",
        }
        write_workbook("12345工单", HOTLINE_COLUMNS, [row], buffer)
        return {"region": TOWNS[side], "file": SimpleUploadedFile("工单.xlsx", buffer.getvalue())}

    return body


def _api_sheet(w: World) -> dict[str, Any]:
    body = _sheet("a")(w)
    return {"file": body["file"]}


def _api_sheet_b(w: World) -> dict[str, Any]:
    body = _sheet("b")(w)
    return {"file": body["file"]}


def _no_walk_order_b(w: World) -> bool:
    return not Request.objects.filter(work_order_no="WALK-b").exists()


def _new_body(side: str) -> Any:
    return lambda w: {
        "village": VILLAGES[side],
        "category": "road",
        "channel": "call",
        "title": f"新登记{side}",
        "description": "来电反映",
    }


def _no_new_b(w: World) -> bool:
    return not Request.objects.filter(title="新登记b").exists()


def _photo_body(w: World) -> dict[str, Any]:
    return {"photo": SimpleUploadedFile("p.png", _png())}


def _api_photo_body(w: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("p.png", _png())}


def _village_name(code: str) -> Any:
    return lambda w: Region.objects.get(code=code).name


def _pdf(content: bytes) -> str:
    return pdf_text(content)[0]


def _report(as_text: Any = None) -> Rule:
    return Rule(
        "scoped",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": TOWN_B},
        marker_a=_village_name(VILLAGE_A),
        marker_b=_village_name(VILLAGE_B),
        **({"as_text": as_text} if as_text else {}),
    )


def _post(key: str, body_a: Any, body_b: Any) -> Rule:
    a, b = pks(key)
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_unchanged(f"{key}_b"))


def _setting_unchanged(key: str) -> Any:
    def check(w: World) -> bool:
        before = w.extra[key]
        now = type(before).objects.get(pk=before.pk)
        return now.version == before.version

    return check


def _organizer_post(key: str, body: Any) -> Rule:
    a, b = pks(key)
    return Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=a,
        b=b,
        body_a=body(f"{key}_a"),
        body_b=body(f"{key}_b"),
        b_unchanged=_setting_unchanged(f"{key}_b"),
    )


def _category_body(key: str) -> Any:
    return lambda w: {"version": w.extra[key].version, "name": "道路破损（改）", "route": "village", "tier": "general"}


def _template_body(key: str) -> Any:
    return lambda w: {"version": w.extra[key].version, "title": "走查答复（改）", "text": "已办理完毕。"}


def _retire_body(key: str) -> Any:
    return lambda w: {"version": w.extra[key].version, "valid_to": "2099-12-31"}


def _active_body(key: str) -> Any:
    return lambda w: {"version": w.extra[key].version, "active": False}


def _new_category(w: World) -> dict[str, Any]:
    return {"code": "walk", "name": "走查类别", "route": "village", "tier": "general", "valid_from": "2026-12-01"}


def _counties() -> dict[str, Any]:
    return {"a": lambda w: {"code": "371681"}, "b": lambda w: {"code": OTHER_COUNTY}}


def _organizer_api(key: str, name: str, body: Any) -> Rule:
    a, b = pks(key, name)
    return Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=a,
        b=b,
        body_a=body(f"{key}_a"),
        body_b=body(f"{key}_b"),
        b_unchanged=_setting_unchanged(f"{key}_b"),
    )


def _token(side: str) -> Any:
    return lambda w: {"token": w.extra[f"requests_new_{side}"].token}


WEB_RULES = {
    "requests:list": Rule("scoped", marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]),
    "requests:new": Rule("scoped", method="POST", body_a=_new_body("a"), body_b=_new_body("b"), b_unchanged=_no_new_b),
    "requests:import": Rule(
        "scoped", method="POST", body_a=_sheet("a"), body_b=_sheet("b"), b_unchanged=_no_walk_order_b
    ),
    "requests:import_template": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}, as_text=lambda c: ""
    ),
    "requests:settings": Rule(
        "scoped",
        actor="organizer_a",
        **_counties(),
    ),
    "requests:limit_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        **_counties(),
        body_a=lambda w: {"tier": "general", "amount": "5", "unit": "working_days", "valid_from": "2099-01-01"},
        body_b=lambda w: {"tier": "general", "amount": "5", "unit": "working_days", "valid_from": "2099-01-01"},
        b_unchanged=lambda w: not TierLimit.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "requests:category_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        **_counties(),
        body_a=_new_category,
        body_b=_new_category,
        b_unchanged=lambda w: not Category.objects.filter(county_id=OTHER_COUNTY, code="walk").exists(),
    ),
    "requests:category_edit": _organizer_post("requests_category", _category_body),
    "requests:category_retire": _organizer_post("requests_category", _retire_body),
    "requests:template_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        **_counties(),
        body_a=lambda w: {"title": "走查新模板", "text": "已办理。"},
        body_b=lambda w: {"title": "走查新模板", "text": "已办理。"},
        b_unchanged=lambda w: not ResponseTemplate.objects.filter(title="走查新模板").exists(),
    ),
    "requests:template_edit": _organizer_post("requests_template", _template_body),
    "requests:template_active": _organizer_post("requests_template", _active_body),
    "requests:detail": Rule("scoped", a=pk("requests_new_a"), b=pk("requests_new_b")),
    "requests:assign": _post(
        "requests_new",
        _version("requests_new_a", team="3"),
        _version("requests_new_b", team="3"),
    ),
    "requests:start": _post("requests_assigned", _version("requests_assigned_a"), _version("requests_assigned_b")),
    "requests:close": _post(
        "requests_assigned",
        _version("requests_assigned_a", note="已处理"),
        _version("requests_assigned_b", note="已处理"),
    ),
    "requests:answer": _post(
        "requests_closed",
        _version("requests_closed_a", solved="yes", satisfaction="5"),
        _version("requests_closed_b", solved="yes", satisfaction="5"),
    ),
    "requests:merge": _post("requests_new", _original, lambda w: {**_original(w), "version": 1}),
    "requests:publish": _post("requests_new", _version("requests_new_a"), _version("requests_new_b")),
    "requests:photo_new": _post("requests_new", _photo_body, _photo_body),
    "requests:photo": Rule("scoped", a=pk("requests_photo_a"), b=pk("requests_photo_b"), as_text=lambda c: ""),
    "requests:poster": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}, as_text=lambda c: ""
    ),
    "requests:daily": _report(),
    "requests:daily_xlsx": _report(xlsx_text),
    "requests:daily_pdf": _report(_pdf),
    "requests:weekly": _report(),
    "requests:weekly_xlsx": _report(xlsx_text),
    "requests:weekly_pdf": _report(_pdf),
    "requests_public:file": Rule("public", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "requests_public:track": Rule("public", a=_token("a"), b=_token("b")),
    "open311:services": Rule("public", a=lambda w: {"fmt": "json"}, b=lambda w: {"fmt": "xml"}),
    "open311:requests": Rule("public", a=lambda w: {"fmt": "json"}, b=lambda w: {"fmt": "xml"}),
    "open311:request": Rule(
        "public",
        a=lambda w: {"pk": w.extra["requests_new_a"].pk, "fmt": "json"},
        b=lambda w: {"pk": w.extra["requests_new_b"].pk, "fmt": "xml"},
    ),
}


def _api_post(key: str, body_a: Any, body_b: Any) -> Rule:
    a, b = pks(key, "request_id")
    return Rule("scoped", method="POST", a=a, b=b, body_a=body_a, body_b=body_b, b_unchanged=_unchanged(f"{key}_b"))


def _county(w: World) -> dict[str, Any]:
    return {"county": "371681"}


API_RULES = {
    "GET /api/v1/requests": Rule(
        "scoped", query_a="?limit=1000", marker_a=lambda w: TITLES["a"], marker_b=lambda w: TITLES["b"]
    ),
    "POST /api/v1/requests": Rule(
        "scoped", method="POST", body_a=_new_body("a"), body_b=_new_body("b"), b_unchanged=_no_new_b
    ),
    "GET /api/v1/requests/{request_id}": Rule(
        "scoped", a=pk("requests_new_a", "request_id"), b=pk("requests_new_b", "request_id")
    ),
    "POST /api/v1/requests/{request_id}/assign": _api_post(
        "requests_new",
        lambda w: {"version": w.extra["requests_new_a"].version, "team_id": w.extra["requests_team_a"].pk},
        lambda w: {"version": w.extra["requests_new_b"].version, "team_id": w.extra["requests_team_b"].pk},
    ),
    "POST /api/v1/requests/{request_id}/start": _api_post(
        "requests_assigned", _version("requests_assigned_a"), _version("requests_assigned_b")
    ),
    "POST /api/v1/requests/{request_id}/close": _api_post(
        "requests_assigned",
        _version("requests_assigned_a", note="已处理"),
        _version("requests_assigned_b", note="已处理"),
    ),
    "POST /api/v1/requests/{request_id}/answer": _api_post(
        "requests_closed",
        _version("requests_closed_a", solved=True, satisfaction=4),
        _version("requests_closed_b", solved=True, satisfaction=4),
    ),
    "POST /api/v1/requests/{request_id}/merge": _api_post(
        "requests_new",
        lambda w: {"version": w.extra["requests_new_a"].version, "original_id": w.extra["requests_assigned_a"].pk},
        lambda w: {"version": 1, "original_id": w.extra["requests_assigned_a"].pk},
    ),
    "POST /api/v1/requests/{request_id}/publish": _api_post(
        "requests_new", _version("requests_new_a", public=False), _version("requests_new_b", public=False)
    ),
    "POST /api/v1/requests/{request_id}/photos": _api_post("requests_new", _api_photo_body, _api_photo_body),
    "POST /api/v1/requests/import/{code}": Rule(
        "scoped",
        method="POST",
        a=lambda w: {"code": TOWN_A},
        b=lambda w: {"code": TOWN_B},
        body_a=_api_sheet,
        body_b=_api_sheet_b,
        b_unchanged=_no_walk_order_b,
    ),
    # A county's settings: read by everyone under it, changed by its organizers (a town officer of A is refused
    # the county's changes with a 403, another county's do not exist).
    "GET /api/v1/requests/settings/{county}/categories": Rule(
        "scoped",
        a=_county,
        b=lambda w: {"county": OTHER_COUNTY},
        marker_a=lambda w: "道路破损",
        marker_b=lambda w: "外县类别",
    ),
    "POST /api/v1/requests/settings/categories": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {
            "county": "371681",
            "code": "walk",
            "name": "走查类别",
            "route": "village",
            "valid_from": "2026-01-01",
        },
        body_b=lambda w: {
            "county": OTHER_COUNTY,
            "code": "walk",
            "name": "走查类别",
            "route": "village",
            "valid_from": "2026-01-01",
        },
        b_unchanged=lambda w: not Category.objects.filter(county_id=OTHER_COUNTY, code="walk").exists(),
    ),
    "POST /api/v1/requests/settings/categories/{category_id}": _organizer_api(
        "requests_category", "category_id", _category_body
    ),
    "POST /api/v1/requests/settings/categories/{category_id}/retire": _organizer_api(
        "requests_category", "category_id", _retire_body
    ),
    "POST /api/v1/requests/settings/templates/{template_id}": _organizer_api(
        "requests_template", "template_id", _template_body
    ),
    "POST /api/v1/requests/settings/templates/{template_id}/active": _organizer_api(
        "requests_template", "template_id", _active_body
    ),
    "GET /api/v1/requests/settings/{county}/limits": Rule(
        "scoped", a=_county, b=lambda w: {"county": OTHER_COUNTY}, marker_a=lambda w: "[", marker_b=lambda w: "general"
    ),
    "POST /api/v1/requests/settings/limits": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {
            "county": "371681",
            "tier": "general",
            "amount": "5",
            "unit": "working_days",
            "valid_from": "2099-01-01",
        },
        body_b=lambda w: {
            "county": OTHER_COUNTY,
            "tier": "general",
            "amount": "5",
            "unit": "working_days",
            "valid_from": "2099-01-01",
        },
        b_unchanged=lambda w: not TierLimit.objects.filter(county_id=OTHER_COUNTY).exists(),
    ),
    "GET /api/v1/requests/settings/{county}/templates": Rule(
        "scoped", a=_county, b=lambda w: {"county": OTHER_COUNTY}, marker_a=lambda w: "[", marker_b=lambda w: "外县模板"
    ),
    "POST /api/v1/requests/settings/templates": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"county": "371681", "title": "走查模板", "text": "已办理。"},
        body_b=lambda w: {"county": OTHER_COUNTY, "title": "走查模板", "text": "已办理。"},
        b_unchanged=lambda w: not ResponseTemplate.objects.filter(county_id=OTHER_COUNTY, title="走查模板").exists(),
    ),
    "GET /api/v1/requests/report/{code}/daily": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/requests/report/{code}/weekly": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/requests/report/{code}/daily.xlsx": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/requests/report/{code}/daily.pdf": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/requests/report/{code}/weekly.pdf": Rule(
        "scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}
    ),
    "GET /api/v1/requests/poster/{code}.pdf": Rule(
        "scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "POST /api/v1/requests/public/{code}": Rule(
        "public", method="POST", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}
    ),
    "GET /api/v1/requests/track/{token}": Rule("public", a=_token("a"), b=_token("b")),
    "POST /api/v1/requests/track/{token}/answer": Rule("public", method="POST", a=_token("a"), b=_token("b")),
}
