"""Every URL and every API operation, walked with a user of town A against town B's records.

A URL or operation that has no rule here fails `test_every_url_has_a_rule` / `test_every_api_operation_has_a_rule`;
so a module that adds one must say who may use it, and this walk then proves it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.api import api
from cunshe.people import id_numbers

NEW_A = id_numbers.make("371681", date(1980, 1, 1), 3)
NEW_B = id_numbers.make("371681", date(1980, 1, 1), 4)
Kind = Literal["public", "signed_in", "scoped", "admin"]


@dataclass
class World:
    officer_a: Any
    person_a: Any
    person_b: Any


@dataclass(frozen=True)
class Rule:
    kind: Kind
    # For URLs with parameters: the kwargs naming town A's object (must work) and town B's (must be a 404).
    a: Callable[[World], dict[str, Any]] | None = None
    b: Callable[[World], dict[str, Any]] | None = None
    # For lists and searches: query strings that would show A's marker and B's marker if scoping failed.
    query_a: str = ""
    query_b: str = ""
    marker_a: Callable[[World], str] | None = None
    marker_b: Callable[[World], str] | None = None
    method: str = "GET"
    body_a: Callable[[World], dict[str, Any]] | None = None
    body_b: Callable[[World], dict[str, Any]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def person_kwargs(which: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": getattr(w, which).pk}


def name_of(which: str) -> Callable[[World], str]:
    return lambda w: getattr(w, which).name


def new_person(village: str, number: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"name": "新登记村民", "id_number": number, "region": village}


WEB_RULES: dict[str, Rule] = {
    "web:root": Rule("public"),
    "web:home": Rule("signed_in"),
    "public:index": Rule("public"),
    "public:region": Rule("public", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "accounts:login": Rule("public"),
    "accounts:logout": Rule("signed_in", method="POST"),
    "accounts:password_change": Rule("signed_in"),
    "regions:index": Rule("signed_in"),
    "regions:detail": Rule("scoped", a=lambda w: {"code": TOWN_A}, b=lambda w: {"code": TOWN_B}),
    "regions:search": Rule(
        "scoped", query_a="?q=西范", query_b="?q=小吕", marker_a=lambda w: "西范村委会", marker_b=lambda w: "小吕村委会"
    ),
    "people:list": Rule(
        "scoped",
        query_a="?q=",
        query_b=f"?under={TOWN_B}",
        marker_a=name_of("person_a"),
        marker_b=name_of("person_b"),
    ),
    "people:new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {
            "name": "新登记村民",
            "id_number": NEW_A,
            "gender": "M",
            "birth_date": "1980-01-01",
            "ethnicity": "汉族",
            "region": VILLAGE_A,
        },
        body_b=lambda w: {
            "name": "越权村民",
            "id_number": NEW_B,
            "gender": "F",
            "birth_date": "1980-01-01",
            "ethnicity": "汉族",
            "region": VILLAGE_B,
        },
    ),
    "people:detail": Rule("scoped", a=person_kwargs("person_a"), b=person_kwargs("person_b")),
    "people:edit": Rule("scoped", a=person_kwargs("person_a"), b=person_kwargs("person_b")),
    "records:book": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "deadlines:overdue": Rule("signed_in"),
    "admin:*": Rule("admin"),
}

API_RULES: dict[str, Rule] = {
    "GET /api/v1/openapi.json": Rule("public"),
    "POST /api/v1/auth/token": Rule("public", method="POST"),
    "DELETE /api/v1/auth/token": Rule("signed_in", method="DELETE"),
    "GET /api/v1/auth/me": Rule("signed_in"),
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
        body_a=new_person(VILLAGE_A, NEW_A),
        body_b=new_person(VILLAGE_B, NEW_B),
    ),
    "GET /api/v1/people/{person_id}": Rule(
        "scoped", a=lambda w: {"person_id": w.person_a.pk}, b=lambda w: {"person_id": w.person_b.pk}
    ),
    "PATCH /api/v1/people/{person_id}": Rule(
        "scoped",
        method="PATCH",
        a=lambda w: {"person_id": w.person_a.pk},
        b=lambda w: {"person_id": w.person_b.pk},
        body_a=lambda w: {"version": w.person_a.version, "phone": "13900000000"},
        body_b=lambda w: {"version": w.person_b.version, "phone": "13900000000"},
    ),
    "GET /api/v1/records/{code}": Rule("scoped", a=lambda w: {"code": VILLAGE_A}, b=lambda w: {"code": VILLAGE_B}),
    "GET /api/v1/deadlines/overdue": Rule("signed_in"),
}


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            found += _walk(p.url_patterns, f"{ns}" if p.namespace else namespace)
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
    stale = [n for n in WEB_RULES if n != "admin:*" and n not in web_url_names()]
    assert not stale, f"rules for URLs that no longer exist: {stale}"


def test_every_api_operation_has_a_rule() -> None:
    missing = [op for op in api_operations() if op not in API_RULES]
    assert not missing, f"API operations without an access rule in {__name__}: {missing}"
    assert not [op for op in API_RULES if op not in api_operations()]


@pytest.fixture
def world(make_user: Any, make_person: Any) -> World:
    officer_a = make_user("town_officer", TOWN_A, name="甲镇干部")
    return World(
        officer_a=officer_a,
        person_a=make_person(VILLAGE_A, name="甲村张三"),
        person_b=make_person(VILLAGE_B, name="乙村李四"),
    )


ADMIN_SAMPLES = {"app_label": "people", "object_id": "1", "content_type_id": "1", "url": "x", "model": "person"}


def _admin_url(name: str, pattern: URLPattern) -> str:
    if pattern.name is None:  # the admin's catch-all
        return "/admin/no-such-page/"
    keys = list(pattern.pattern.regex.groupindex)
    return reverse(name, kwargs={k: ADMIN_SAMPLES[k] for k in keys})


def _send(client: Any, method: str, url: str, body: dict[str, Any] | None, *, as_json: bool) -> Any:
    if method == "GET":
        return client.get(url)
    if as_json:
        return client.generic(method, url, json.dumps(body or {}), content_type="application/json")
    return client.post(url, body or {})


@pytest.mark.parametrize("name", web_url_names())
def test_web_url_keeps_town_b_from_town_a(name: str, world: World, web_as: Any, client: Any) -> None:
    rule = rule_for(name)
    assert rule is not None
    a_client = web_as(world.officer_a)
    if rule.kind == "admin":
        pattern = dict(_walk(get_resolver().url_patterns))[name]
        url = _admin_url(name, pattern)
        response = a_client.get(url)
        if name == "admin:login":  # the login form itself is open; it shows nothing
            assert world.person_b.name not in response.content.decode()
        else:
            assert response.status_code in (302, 404, 405), "the admin is for superusers only"
        return
    kwargs_b = rule.b(world) if rule.b else {}
    kwargs_a = rule.a(world) if rule.a else {}
    if rule.kind == "public":
        response = client.get(reverse(name, kwargs=kwargs_b))
        assert response.status_code in (200, 302)
        assert world.person_b.name not in response.content.decode()
        return
    if rule.kind == "signed_in":
        anonymous = _send(client, rule.method, reverse(name, kwargs=kwargs_b), None, as_json=False)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        response = _send(a_client, rule.method, reverse(name, kwargs=kwargs_b), None, as_json=False)
        assert response.status_code in (200, 302)
        assert world.person_b.name not in response.content.decode()
        return
    _check_scoped(rule, name, world, a_client, kwargs_a, kwargs_b, as_json=False, anonymous=client)


@pytest.mark.parametrize("operation", api_operations())
def test_api_operation_keeps_town_b_from_town_a(operation: str, world: World, api_as: Any, client: Any) -> None:
    rule = API_RULES[operation]
    method, path = operation.split(" ", 1)
    a_client = api_as(world.officer_a)
    kwargs_b = rule.b(world) if rule.b else {}
    kwargs_a = rule.a(world) if rule.a else {}
    if rule.kind == "public":
        response = _send(client, method, path.format(**kwargs_b), {}, as_json=True)
        assert response.status_code in (200, 201, 400, 422)
        assert world.person_b.name not in response.content.decode()
        return
    if rule.kind == "signed_in":
        assert _send(client, method, path.format(**kwargs_b), {}, as_json=True).status_code == 401
        response = _send(a_client, method, path.format(**kwargs_b), {}, as_json=True)
        assert response.status_code == 200
        assert world.person_b.name not in response.content.decode()
        return
    assert _send(client, method, path.format(**kwargs_a) + rule.query_a, {}, as_json=True).status_code == 401
    _check_scoped(rule, path, world, a_client, kwargs_a, kwargs_b, as_json=True, anonymous=None)


def _url(name_or_path: str, kwargs: dict[str, Any], *, as_json: bool) -> str:
    return name_or_path.format(**kwargs) if as_json else reverse(name_or_path, kwargs=kwargs)


def _check_scoped(
    rule: Rule,
    target: str,
    world: World,
    a_client: Any,
    kwargs_a: dict[str, Any],
    kwargs_b: dict[str, Any],
    *,
    as_json: bool,
    anonymous: Any,
) -> None:
    if anonymous is not None:
        response = anonymous.get(_url(target, kwargs_a, as_json=as_json))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    if rule.marker_a and rule.marker_b:
        shown = a_client.get(_url(target, kwargs_a, as_json=as_json) + rule.query_a)
        assert shown.status_code == 200 and rule.marker_a(world) in shown.content.decode()
        hidden = a_client.get(_url(target, kwargs_b, as_json=as_json) + rule.query_b)
        assert hidden.status_code == 200 and rule.marker_b(world) not in hidden.content.decode()
        return
    if rule.body_b:
        refused = _send(
            a_client, rule.method, _url(target, kwargs_b, as_json=as_json), rule.body_b(world), as_json=as_json
        )
        if as_json:
            assert refused.status_code == 404, refused.content
        else:  # a form refuses a village outside the user's regions as an invalid choice
            assert refused.status_code == 200 and "乙村" not in refused.content.decode()
        world.person_b.refresh_from_db()
        assert world.person_b.phone != "13900000000"
        from cunshe.people.models import Person

        assert not Person.objects.filter(id_number=NEW_B).exists()
        assert rule.body_a is not None
        done = _send(
            a_client, rule.method, _url(target, kwargs_a, as_json=as_json), rule.body_a(world), as_json=as_json
        )
        assert done.status_code in (200, 201, 302), done.content
        return
    assert a_client.get(_url(target, kwargs_b, as_json=as_json)).status_code == 404
    assert a_client.get(_url(target, kwargs_a, as_json=as_json)).status_code == 200
    if not as_json:
        posted = a_client.post(_url(target, kwargs_b, as_json=as_json), {})
        assert posted.status_code in (404, 405)
