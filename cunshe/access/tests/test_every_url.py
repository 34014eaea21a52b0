"""Every URL and every API operation, walked by a user of one region against the records of another.

A URL or operation without a rule here fails `test_every_url_has_a_rule` / `test_every_api_operation_has_a_rule`,
so a module that adds one must say who may use it, and the walk then proves it: the same request succeeds for the
user's own record (so the probe can fail) and is a 404, or leaves the other region's record out, for the other."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import (
    OTHER_COUNTY,
    TOWN_A,
    TOWN_B,
    VILLAGE_A,
    VILLAGE_B,
    api_client,
    ensure_zouping,
    import_other_county,
    new_person,
    new_user,
    shared_world_built,
    web_client,
)
from cunshe.access.tests.walk import Probe, Rule, World, xlsx_text
from cunshe.accounts.models import User
from cunshe.api import api
from cunshe.people import id_numbers
from cunshe.people.exports import PEOPLE_COLUMNS
from cunshe.people.models import Person
from cunshe.spreadsheets.layout import write_workbook

NEW_A = id_numbers.make("371681", date(1980, 1, 1), 3)
NEW_B = id_numbers.make("371681", date(1980, 1, 1), 4)


def pk_of(which: str, key: str = "pk") -> Probe:
    return lambda w: {key: getattr(w, which).pk}


def name_of(which: str) -> Callable[[World], str]:
    return lambda w: getattr(w, which).name


def person_b_untouched(w: World) -> bool:
    w.person_b.refresh_from_db()
    return w.person_b.phone != "13900000000" and not Person.objects.filter(id_number=NEW_B).exists()


def account_b_untouched(w: World) -> bool:
    w.account_b.refresh_from_db()
    return w.account_b.is_active and not w.account_b.must_change_password


def person_form(village: str, number: str, name: str, gender: str) -> Probe:
    return lambda w: {
        "name": name,
        "id_number": number,
        "gender": gender,
        "birth_date": "1980-01-01",
        "ethnicity": "汉族",
        "region": village,
    }


def roster_upload(village: str, number: str, name: str) -> Probe:
    def upload(w: World) -> dict[str, Any]:
        buffer = BytesIO()
        row = {"name": name, "id_number": number, "ethnicity": "汉族", "region": village}
        write_workbook("人员花名册", PEOPLE_COLUMNS, [row], buffer)
        return {"file": SimpleUploadedFile("roster.xlsx", buffer.getvalue())}

    return upload


def first_assignment(which: str) -> Probe:
    return lambda w: {"pk": getattr(w, which).pk, "assignment_id": getattr(w, which).role_assignments.first().pk}


WEB_RULES: dict[str, Rule] = {
    "web:root": Rule("public"),
    "web:home": Rule("signed_in"),
    "public:index": Rule("public"),
    "public:region": Rule("public", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "accounts:login": Rule("public"),
    "accounts:logout": Rule("signed_in", method="POST"),
    "accounts:password_change": Rule("signed_in"),
    "accounts:manage_list": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: w.account_a.username, marker_b=lambda w: w.account_b.username
    ),
    "accounts:manage_new": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"username": "newa", "display_name": "甲", "role": "village_cadre", "region": VILLAGE_A},
        body_b=lambda w: {"username": "newb", "display_name": "乙", "role": "village_cadre", "region": "371699100201"},
        # An account outside the organizer's county is refused the way the API refuses it (web.forms.form_action).
        refused_status=403,
        b_unchanged=lambda w: not User.objects.filter(username="newb").exists(),
    ),
    "accounts:manage_detail": Rule("scoped", actor="organizer_a", a=pk_of("account_a"), b=pk_of("account_b")),
    "accounts:manage_reset_password": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=pk_of("account_a"),
        b=pk_of("account_b"),
        b_unchanged=account_b_untouched,
    ),
    "accounts:manage_toggle_active": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=pk_of("account_a"),
        b=pk_of("account_b"),
        b_unchanged=account_b_untouched,
    ),
    "accounts:manage_revoke": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=first_assignment("account_a"),
        b=first_assignment("account_b"),
        b_unchanged=lambda w: w.account_b.role_assignments.filter(is_active=True).exists(),
    ),
    "regions:index": Rule("signed_in"),
    "regions:detail": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "regions:search": Rule(
        "scoped", query_a="?q=西范", query_b="?q=小吕", marker_a=lambda w: "西范村委会", marker_b=lambda w: "小吕村委会"
    ),
    "people:list": Rule(
        "scoped", query_a="?q=", query_b=f"?under={TOWN_B}", marker_a=name_of("person_a"), marker_b=name_of("person_b")
    ),
    "people:new": Rule(
        "scoped",
        method="POST",
        body_a=person_form(VILLAGE_A, NEW_A, "新登记村民", "M"),
        body_b=person_form(VILLAGE_B, NEW_B, "越权村民", "F"),
        refused_status=200,
        b_unchanged=person_b_untouched,
    ),
    "people:export": Rule(
        "scoped",
        query_a="?q=",
        query_b=f"?under={TOWN_B}",
        marker_a=name_of("person_a"),
        marker_b=name_of("person_b"),
        as_text=xlsx_text,
    ),
    "people:import": Rule(
        "scoped",
        method="POST",
        body_a=roster_upload(VILLAGE_A, NEW_A, "新登记村民"),
        body_b=roster_upload(VILLAGE_B, NEW_B, "越权村民"),
        refused_status=200,
        b_unchanged=person_b_untouched,
    ),
    "people:detail": Rule("scoped", a=pk_of("person_a"), b=pk_of("person_b")),
    "people:edit": Rule(
        "scoped",
        method="POST",
        a=pk_of("person_a"),
        b=pk_of("person_b"),
        body_a=lambda w: {**_person_fields(w.person_a), "phone": "13900000000"},
        body_b=lambda w: {**_person_fields(w.person_b), "phone": "13900000000"},
        b_unchanged=person_b_untouched,
    ),
    "records:book": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "deadlines:overdue": Rule("signed_in"),
    "deadlines:todo": Rule("signed_in"),
    "admin:*": Rule("admin"),
}

API_RULES: dict[str, Rule] = {
    "GET /api/v1/openapi.json": Rule("public"),
    "POST /api/v1/auth/token": Rule("public", method="POST"),
    "POST /api/v1/auth/password": Rule("public", method="POST"),
    "DELETE /api/v1/auth/token": Rule("signed_in", method="DELETE"),
    "GET /api/v1/auth/me": Rule("signed_in"),
    "GET /api/v1/accounts": Rule(
        "scoped", actor="organizer_a", marker_a=lambda w: w.account_a.username, marker_b=lambda w: w.account_b.username
    ),
    "POST /api/v1/accounts": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        body_a=lambda w: {"username": "newa", "display_name": "甲", "role": "village_cadre", "region": VILLAGE_A},
        body_b=lambda w: {"username": "newb", "display_name": "乙", "role": "village_cadre", "region": "371699100201"},
        refused_status=403,
        b_unchanged=lambda w: not User.objects.filter(username="newb").exists(),
    ),
    "GET /api/v1/accounts/{account_id}": Rule(
        "scoped", actor="organizer_a", a=pk_of("account_a", "account_id"), b=pk_of("account_b", "account_id")
    ),
    "POST /api/v1/accounts/{account_id}/roles": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=pk_of("account_a", "account_id"),
        b=pk_of("account_b", "account_id"),
        body_a=lambda w: {"role": "village_cadre", "region": VILLAGE_A},
        body_b=lambda w: {"role": "village_cadre", "region": VILLAGE_A},
        b_unchanged=lambda w: w.account_b.role_assignments.count() == 1,
    ),
    "DELETE /api/v1/accounts/{account_id}/roles/{assignment_id}": Rule(
        "scoped",
        actor="organizer_a",
        method="DELETE",
        a=lambda w: {"account_id": w.account_a.pk, "assignment_id": w.account_a.role_assignments.earliest("pk").pk},
        b=lambda w: {"account_id": w.account_b.pk, "assignment_id": w.account_b.role_assignments.earliest("pk").pk},
        b_unchanged=lambda w: w.account_b.role_assignments.filter(is_active=True).exists(),
    ),
    "POST /api/v1/accounts/{account_id}/password-reset": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=pk_of("account_a", "account_id"),
        b=pk_of("account_b", "account_id"),
        b_unchanged=account_b_untouched,
    ),
    "POST /api/v1/accounts/{account_id}/active": Rule(
        "scoped",
        actor="organizer_a",
        method="POST",
        a=pk_of("account_a", "account_id"),
        b=pk_of("account_b", "account_id"),
        body_a=lambda w: {"active": False},
        body_b=lambda w: {"active": False},
        b_unchanged=account_b_untouched,
    ),
    "GET /api/v1/regions": Rule(
        "scoped", query_a="?q=西范", query_b="?q=小吕", marker_a=lambda w: "西范村委会", marker_b=lambda w: "小吕村委会"
    ),
    "GET /api/v1/regions/{code}": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "GET /api/v1/regions/{code}/children": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "GET /api/v1/people": Rule(
        "scoped",
        query_a="?limit=1000",
        query_b=f"?under={TOWN_B}",
        marker_a=name_of("person_a"),
        marker_b=name_of("person_b"),
    ),
    "POST /api/v1/people": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {"name": "新登记村民", "id_number": NEW_A, "region": VILLAGE_A},
        body_b=lambda w: {"name": "越权村民", "id_number": NEW_B, "region": VILLAGE_B},
        b_unchanged=person_b_untouched,
    ),
    "GET /api/v1/people/export.xlsx": Rule(
        "scoped",
        query_a="?q=",
        query_b=f"?under={TOWN_B}",
        marker_a=name_of("person_a"),
        marker_b=name_of("person_b"),
        as_text=xlsx_text,
    ),
    # A roster naming the other town's village: refused as the API refuses bad rows (400), nothing of town B saved.
    "POST /api/v1/people/import": Rule(
        "scoped",
        method="POST",
        body_a=roster_upload(VILLAGE_A, NEW_A, "新登记村民"),
        body_b=roster_upload(VILLAGE_B, NEW_B, "越权村民"),
        refused_status=400,
        b_unchanged=person_b_untouched,
    ),
    "GET /api/v1/people/{person_id}": Rule(
        "scoped", a=pk_of("person_a", "person_id"), b=pk_of("person_b", "person_id")
    ),
    "PATCH /api/v1/people/{person_id}": Rule(
        "scoped",
        method="PATCH",
        a=pk_of("person_a", "person_id"),
        b=pk_of("person_b", "person_id"),
        body_a=lambda w: {"version": w.person_a.version, "phone": "13900000000"},
        body_b=lambda w: {"version": w.person_b.version, "phone": "13900000000"},
        b_unchanged=person_b_untouched,
    ),
    "GET /api/v1/records/{code}": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "GET /api/v1/deadlines/overdue": Rule("signed_in"),
    "GET /api/v1/deadlines/todo": Rule("signed_in"),
}


def _module_rules() -> tuple[dict[str, Rule], dict[str, Rule], list[Callable[..., None]]]:
    """Rules that modules keep beside their code, in cunshe/<module>/tests/access_rules.py:
    WEB_RULES and API_RULES (dicts like the ones above) and setup(world, make_user, make_person), which adds the
    module's town-A and town-B records to world.extra through the module's services."""
    web: dict[str, Rule] = {}
    api_rules: dict[str, Rule] = {}
    setups: list[Callable[..., None]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cunshe."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.access_rules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.access_rules" and exc.name != f"{config.name}.tests":
                raise
            continue
        web.update(getattr(module, "WEB_RULES", {}))
        api_rules.update(getattr(module, "API_RULES", {}))
        if hasattr(module, "setup"):
            setups.append(module.setup)
    return web, api_rules, setups


_MODULE_WEB, _MODULE_API, _MODULE_SETUPS = _module_rules()
WEB_RULES.update(_MODULE_WEB)
API_RULES.update(_MODULE_API)


def _person_fields(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "id_number": person.id_number,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "ethnicity": person.ethnicity,
        "region": person.region_id,
        "version": person.version,
    }


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _walk(p.url_patterns, p.namespace or namespace)
        else:
            found.append((f"{namespace}:{p.name}" if namespace else str(p.name), p))
    return found


def web_url_names() -> list[str]:
    return sorted({name for name, _ in _walk(get_resolver().url_patterns) if not name.startswith("api:")})


def api_operations() -> list[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    ops = [f"{m.upper()} {path}" for path, methods in schema["paths"].items() for m in methods]
    return sorted([*ops, "GET /api/v1/openapi.json"])


def rule_for(name: str) -> Rule | None:
    return WEB_RULES.get(name) or (WEB_RULES["admin:*"] if name.startswith("admin:") else None)


def test_every_url_has_a_rule() -> None:
    missing = [n for n in web_url_names() if rule_for(n) is None]
    assert not missing, f"URLs without an access rule in {__name__}: {missing}"
    names = set(web_url_names())  # once: each call walks the whole URL tree
    stale = [n for n in WEB_RULES if n != "admin:*" and n not in names]
    assert not stale, f"rules for URLs that no longer exist: {stale}"


def test_every_api_operation_has_a_rule() -> None:
    operations = api_operations()  # once: each call builds the whole OpenAPI document (about a second)
    missing = [op for op in operations if op not in API_RULES]
    assert not missing, f"API operations without an access rule in {__name__}: {missing}"
    assert not [op for op in API_RULES if op not in operations]


def build_world() -> World:
    """Town A's and town B's records of every module, made through the services (modules add theirs)."""
    ensure_zouping()
    import_other_county()
    account_b = new_user("county_organizer", OTHER_COUNTY, name="外县组织部")
    account_b.must_change_password = False
    account_b.save(update_fields=["must_change_password"])
    world = World(
        officer_a=new_user("town_officer", TOWN_A, name="甲镇干部"),
        organizer_a=new_user("county_organizer", "371681", name="本县组织部"),
        person_a=new_person(VILLAGE_A, name="甲村张三"),
        person_b=new_person(VILLAGE_B, name="乙村李四"),
        account_a=new_user("village_cadre", VILLAGE_A, name="甲村干部"),
        account_b=account_b,
    )
    for module_setup in _MODULE_SETUPS:
        module_setup(world, make_user=new_user, make_person=new_person)
    return world


ADMIN_SAMPLES = {"app_label": "people", "object_id": "1", "content_type_id": "1", "url": "x", "model": "person"}


def _admin_url(name: str, pattern: URLPattern) -> str:
    if pattern.name is None:  # the admin's catch-all
        return "/admin/no-such-page/"
    return reverse(name, kwargs={k: ADMIN_SAMPLES[k] for k in pattern.pattern.regex.groupindex})


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None, *, as_json: bool) -> Any:
    if method == "GET":
        return client.get(url)
    uploads = any(hasattr(value, "read") for value in (body or {}).values())
    if as_json and not uploads:
        return client.generic(method, url, json.dumps(body or {}), content_type="application/json")
    return client.post(url, body or {})  # a form, or an upload (multipart) to a page or an API operation


def _url(target: str, kwargs: dict[str, Any], *, as_json: bool) -> str:
    return target.format(**kwargs) if as_json else reverse(target, kwargs=kwargs)


def check_web_url(name: str, world: World) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    rule = rule_for(name)
    assert rule is not None
    actor = web_client(world.actor(rule.actor))
    if rule.kind == "admin":
        url = _admin_url(name, dict(_walk(get_resolver().url_patterns))[name])
        response = actor.get(url)
        if name != "admin:login":  # the login form itself is open; it shows nothing
            assert response.status_code in (302, 404, 405), "the admin is for superusers only"
        assert world.person_b.name not in response.content.decode()
        return
    kwargs_b = rule.b(world) if rule.b else {}
    if rule.kind == "public":
        response = client.get(reverse(name, kwargs=kwargs_b))
        assert response.status_code in (200, 302)
        assert world.person_b.name not in rule.as_text(response.content)  # a public PDF is read as its text
        return
    if rule.kind == "signed_in":
        anonymous = _send(client, rule.method, reverse(name, kwargs=kwargs_b), None, as_json=False)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        response = _send(actor, rule.method, reverse(name, kwargs=kwargs_b), None, as_json=False)
        assert response.status_code in (200, 302)
        assert world.person_b.name not in response.content.decode()
        return
    anonymous = _send(
        client, rule.method, _url(name, rule.a(world) if rule.a else {}, as_json=False), {}, as_json=False
    )
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    _check_scoped(rule, name, world, actor, as_json=False)


def check_api_operation(operation: str, world: World) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    rule = API_RULES[operation]
    method, path = operation.split(" ", 1)
    actor = api_client(world.actor(rule.actor))
    kwargs_b = rule.b(world) if rule.b else {}
    if rule.kind == "public":
        response = _send(client, method, path.format(**kwargs_b), {}, as_json=True)
        assert response.status_code in (200, 201, 400, 422)
        assert world.person_b.name not in rule.as_text(response.content)
        return
    if rule.kind == "admin":  # the system administrator's operations: anyone else is refused, nothing changes
        assert _send(client, method, path.format(**kwargs_b), {}, as_json=True).status_code == 401
        body = rule.body_a(world) if rule.body_a else {}
        response = _send(actor, method, path.format(**kwargs_b), body, as_json=True)
        assert response.status_code in (403, 404)
        assert rule.b_unchanged is None or rule.b_unchanged(world)
        return
    if rule.kind == "signed_in":
        assert _send(client, method, path.format(**kwargs_b), {}, as_json=True).status_code == 401
        body = rule.body_a(world) if rule.body_a else {}  # an operation that checks what it is sent
        response = _send(actor, method, path.format(**kwargs_b), body, as_json=True)
        assert response.status_code == 200
        assert world.person_b.name not in response.content.decode()
        return
    kwargs_a = rule.a(world) if rule.a else {}
    assert _send(client, method, path.format(**kwargs_a) + rule.query_a, {}, as_json=True).status_code == 401
    _check_scoped(rule, path, world, actor, as_json=True)


def _check_scoped(rule: Rule, target: str, world: World, actor: Client, *, as_json: bool) -> None:
    kwargs_a = rule.a(world) if rule.a else {}
    kwargs_b = rule.b(world) if rule.b else {}
    if rule.marker_a and rule.marker_b:
        shown = actor.get(_url(target, kwargs_a, as_json=as_json) + rule.query_a)
        assert shown.status_code == 200 and rule.marker_a(world) in rule.as_text(shown.content)
        hidden = actor.get(_url(target, kwargs_b, as_json=as_json) + rule.query_b)
        # A page falls back to the user's own region; the API refuses a region outside them. Both hide it.
        assert hidden.status_code == 404 or (
            hidden.status_code == 200 and rule.marker_b(world) not in rule.as_text(hidden.content)
        )
        return
    if rule.method == "GET":
        assert actor.get(_url(target, kwargs_b, as_json=as_json)).status_code == 404
        assert actor.get(_url(target, kwargs_a, as_json=as_json)).status_code == 200
        if not as_json:
            assert actor.post(_url(target, kwargs_b, as_json=as_json), {}).status_code in (404, 405)
        return
    body_b = rule.body_b(world) if rule.body_b else {}
    refused = _send(actor, rule.method, _url(target, kwargs_b, as_json=as_json), body_b, as_json=as_json)
    assert refused.status_code == rule.refused_status, refused.content
    assert rule.b_unchanged is not None and rule.b_unchanged(world), "the refused write changed the other region"
    body_a = rule.body_a(world) if rule.body_a else {}
    done = _send(actor, rule.method, _url(target, kwargs_a, as_json=as_json), body_a, as_json=as_json)
    assert done.status_code in (200, 201, 302), done.content
    if rule.refused_status == 200:  # a re-rendered form: make sure the allowed one really went through
        page = done.content.decode()
        assert done.status_code in (201, 302) or "已创建" in page or "已导入" in page


class TheWalk(TestCase):
    """One test per URL and per API operation. The world is built once per class (and worker) and every test runs
    in its own savepoint on a fresh copy of it: building it for each of several hundred tests cost minutes."""

    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        with shared_world_built():  # at the class transaction's top level
            cls.world = build_world()


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_")


def _web_case(name: str) -> Callable[[TheWalk], None]:
    def test(self: TheWalk) -> None:
        check_web_url(name, self.world)

    test.__doc__ = f"{name}: a user of one region cannot reach another's records"
    return test


def _api_case(operation: str) -> Callable[[TheWalk], None]:
    def test(self: TheWalk) -> None:
        check_api_operation(operation, self.world)

    test.__doc__ = f"{operation}: a user of one region cannot reach another's records"
    return test


for _name in web_url_names():
    setattr(TheWalk, f"test_web_{_slug(_name)}", _web_case(_name))
for _operation in api_operations():
    setattr(TheWalk, f"test_api_{_slug(_operation)}", _api_case(_operation))
