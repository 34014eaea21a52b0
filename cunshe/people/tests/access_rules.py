"""Access rules of the close-relatives page action and API (the other people rules are in
cunshe/access/tests/test_every_url.py)."""

from typing import Any

from cunshe.access.tests.walk import Rule, World
from cunshe.people.models import Relation


def setup(world: World, make_person: Any, **_: Any) -> None:
    world.extra["relative_a"] = make_person(world.person_a.region_id, name="甲村亲属")
    world.extra["relative_b"] = make_person(world.person_b.region_id, name="乙村亲属")


def _person(which: str) -> Any:
    return lambda w: {"person_id": getattr(w, f"person_{which}").pk}


def _page(which: str) -> Any:
    return lambda w: {"pk": getattr(w, f"person_{which}").pk}


def _body(which: str, field: str) -> Any:
    return lambda w: {field: w.extra[f"relative_{which}"].pk, "kinship": "sibling"}


def _b_unchanged(w: World) -> bool:
    return not Relation.objects.filter(person=w.person_b).exists()


WEB_RULES = {
    "people:relation_new": Rule(
        "scoped",
        method="POST",
        a=_page("a"),
        b=_page("b"),
        body_a=_body("a", "relative"),
        body_b=_body("b", "relative"),
        b_unchanged=_b_unchanged,
    ),
}

API_RULES = {
    "GET /api/v1/people/{person_id}/relations": Rule("scoped", a=_person("a"), b=_person("b")),
    "POST /api/v1/people/{person_id}/relations": Rule(
        "scoped",
        method="POST",
        a=_person("a"),
        b=_person("b"),
        body_a=_body("a", "relative_id"),
        body_b=_body("b", "relative_id"),
        b_unchanged=_b_unchanged,
    ),
}
