"""Appending many entries at once (imports) makes exactly the chain that one `record()` call per entry makes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import OTHER_VILLAGE, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.records.models import RecordChain, RecordEntry
from cunshe.records.services import Pending, record, record_many
from cunshe.records.verification import verify_chain


class Undo(Exception):
    """Raised to roll a block back after reading what it wrote."""


def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sequence of moments for each run: an entry's time is part of its hash."""
    start = datetime(2026, 3, 1, 9, tzinfo=timezone.get_current_timezone())
    ticks: Iterator[int] = itertools.count()
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(microseconds=next(ticks)))


def _written(since: int) -> list[tuple[Any, ...]]:
    fields = ("chain", "seq", "at", "actor_name", "region_id", "event", "object_id", "before", "after", "prev_hash")
    return list(RecordEntry.objects.filter(pk__gt=since).order_by("pk").values_list(*fields, "hash"))


def _heads() -> dict[str, tuple[int, str]]:
    return {h.chain: (h.last_seq, h.last_hash) for h in RecordChain.objects.all()}


@pytest.fixture
def pending(make_user: Any, make_person: Any, other_county: Any) -> tuple[Any, list[Pending]]:
    """Entries of two counties, interleaved, with an object, an actor and values that need converting."""
    officer = make_user("town_officer", VILLAGE_A[:9], name="记录员")
    person = make_person(VILLAGE_A, name="被记录的人")
    entries = [
        Pending(
            region_code=code,
            event="commitments.imported",
            summary=f"第 {n} 条",
            obj=person if n % 2 else None,
            before={"金额": Decimal("12.50")} if n == 3 else None,
            after={"日期": date(2026, 3, n + 1), "件数": n, "清单": ["甲", "乙"]},
        )
        for n, code in enumerate([VILLAGE_A, OTHER_VILLAGE, VILLAGE_B, VILLAGE_A, OTHER_VILLAGE, VILLAGE_A])
    ]
    return officer, entries


def test_record_many_writes_the_same_chain_as_one_record_call_each(
    pending: tuple[Any, list[Pending]], monkeypatch: pytest.MonkeyPatch
) -> None:
    actor, entries = pending
    last = RecordEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before_heads = _heads()
    _clock(monkeypatch)
    try:
        with transaction.atomic():
            for e in entries:
                record(
                    actor=actor,
                    region_code=e.region_code,
                    event=e.event,
                    summary=e.summary,
                    obj=e.obj,
                    before=e.before,
                    after=e.after,
                )
            one_by_one, heads_one_by_one = _written(last), _heads()
            raise Undo
    except Undo:
        pass
    assert _heads() == before_heads and not _written(last)

    _clock(monkeypatch)
    with transaction.atomic():
        made = record_many(actor=actor, entries=entries)
    monkeypatch.undo()
    assert _written(last) == one_by_one and _heads() == heads_one_by_one
    assert [m.hash for m in made] == [row[-1] for row in one_by_one]
    assert [row[0] for row in one_by_one] == ["371681", "371699", "371681", "371681", "371699", "371681"]
    assert verify_chain("371681") is None and verify_chain("371699") is None
    out = StringIO()
    call_command("records", "verify", stdout=out)
    assert "全部校验通过" in out.getvalue()


def test_record_after_record_many_continues_the_chain(pending: tuple[Any, list[Pending]]) -> None:
    actor, entries = pending
    with transaction.atomic():
        made = record_many(actor=actor, entries=entries)
        after = record(actor=SYSTEM, region_code=VILLAGE_A, event="people.x", summary="之后")
    last_a = [m for m in made if m.chain == "371681"][-1]
    assert (after.seq, after.prev_hash) == (last_a.seq + 1, last_a.hash)
    assert RecordChain.objects.get(chain="371681").last_hash == after.hash
    assert verify_chain("371681") is None and verify_chain("371699") is None


def test_record_many_starts_a_new_chain_from_the_genesis(zouping: Any) -> None:
    with transaction.atomic():
        made = record_many(
            actor=SYSTEM,
            entries=[Pending(region_code="37", event="regions.imported", summary=f"{n}") for n in range(3)],
        )
    assert [(m.chain, m.seq) for m in made] == [("37", 1), ("37", 2), ("37", 3)]
    assert made[0].prev_hash == "0" * 64 and verify_chain("37") is None


def test_record_many_of_nothing_writes_nothing(zouping: Any) -> None:
    heads, count = _heads(), RecordEntry.objects.count()
    with transaction.atomic():
        assert record_many(actor=SYSTEM, entries=[]) == []
    assert _heads() == heads and RecordEntry.objects.count() == count


def test_record_many_outside_a_transaction_is_a_programming_error(transactional_db: Any, zouping: Any) -> None:
    with pytest.raises(RuntimeError):
        record_many(actor=SYSTEM, entries=[Pending(region_code=VILLAGE_A, event="people.x", summary="x")])
    assert not RecordEntry.objects.filter(event="people.x").exists()
