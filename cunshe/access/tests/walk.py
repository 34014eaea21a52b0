"""The vocabulary of the access walk (test_every_url.py), shared with the modules' tests/access_rules.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Literal

import python_calamine

from cunshe.accounts.models import User
from cunshe.people.models import Person

Kind = Literal["public", "signed_in", "scoped", "admin"]


@dataclass
class World:
    officer_a: User  # 黛溪街道 (town A) officer: the default actor
    organizer_a: User  # 邹平市 organizer, for what only organizers reach
    person_a: Person  # in a village of town A
    person_b: Person  # in a village of town B (黄山街道)
    account_a: User  # registered in town A
    account_b: User  # registered in another county
    # What modules add: their town-A and town-B records and any extra actors, by name.
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, name: str) -> User:
        user = getattr(self, name, None) or self.extra[name]
        assert isinstance(user, User)
        return user


Probe = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    kind: Kind
    actor: str = "officer_a"
    # URL kwargs naming the actor's own object (must work) and the other region's (must be a 404).
    a: Probe | None = None
    b: Probe | None = None
    # Lists and searches: query strings that would show each marker; B's must stay out.
    query_a: str = ""
    query_b: str = ""
    marker_a: Callable[[World], str] | None = None
    marker_b: Callable[[World], str] | None = None
    method: str = "GET"
    body_a: Probe | None = None
    body_b: Probe | None = None
    # A form that offers only the actor's regions answers the other region as an invalid choice (200, not 404).
    refused_status: int = 404
    # After the refused write: nothing about B changed.
    b_unchanged: Callable[[World], bool] | None = None
    # How to read the response as text (Excel downloads are zipped).
    as_text: Callable[[bytes], str] = lambda content: content.decode()


def pk(key: str, name: str = "pk", **more: Any) -> Probe:
    """URL kwargs naming the primary key of the record a module's setup put in World.extra[key]."""
    return lambda w: {name: w.extra[key].pk, **more}


def pks(key: str, name: str = "pk", **more: Any) -> tuple[Probe, Probe]:
    """The pair (a, b) of a rule for World.extra[key + "_a"] (the actor's) and [key + "_b"] (the other town's)."""
    return pk(f"{key}_a", name, **more), pk(f"{key}_b", name, **more)


def code(value: str, name: str = "code") -> Probe:
    """URL kwargs naming a region by its code."""
    return lambda w: {name: value}


def version(key: str, **more: Any) -> Probe:
    """A body naming the version World.extra[key] has now (read again: an earlier rule may have moved the record),
    with the rest of the body in `more`."""

    def body(w: World) -> dict[str, Any]:
        obj = w.extra[key]
        return {"version": type(obj)._default_manager.get(pk=obj.pk).version, **more}

    return body


def xlsx_text(content: bytes) -> str:
    """A downloaded workbook's first sheet as text (a line per row, tab between cells), for the markers to find."""
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()
    return "\n".join("\t".join(str(c) for c in r) for r in rows)


def no_text(content: bytes) -> str:
    """A file (PDF, image) read as no text: its answer, not what it says, is what the walk checks."""
    return ""
