"""Appending to the record book. Services call `record()` inside their own transaction, so an entry exists
exactly when the change it describes was committed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from cunshe.records.kept import forget_change_numbers
from cunshe.records.models import RecordChain, RecordEntry

GENESIS = "0" * 64


def chain_of(region_code: str) -> str:
    """One chain per county; changes made above county level (a province-wide import) chain on their own code."""
    return region_code[:6] if len(region_code) >= 6 else region_code or "00"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def canonical(entry: RecordEntry) -> bytes:
    """The bytes a hash covers: every field of the entry, in a fixed order and encoding."""
    payload = {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "region": entry.region_id,
        "module": entry.module,
        "event": entry.event,
        "summary": entry.summary,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(entry: RecordEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Pending:
    """One entry to append with `record_many`: the arguments of one `record()` call but the actor."""

    region_code: str
    event: str
    summary: str
    obj: Model | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("record() must run inside the transaction of the change it records")


def _entry(actor: Any, pending: Pending, *, seq: int, prev_hash: str) -> RecordEntry:
    """The entry `pending` becomes at this place of its chain, with its hash."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    obj = pending.obj
    entry = RecordEntry(
        chain=chain_of(pending.region_code),
        seq=seq,
        at=timezone.now(),
        actor=user,
        actor_name=(user.display_name if user is not None else "系统"),
        region_id=pending.region_code or None,
        module=pending.event.split(".", 1)[0],
        event=pending.event,
        summary=pending.summary[:300],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=_plain(pending.before) if pending.before is not None else None,
        after=_plain(pending.after) if pending.after is not None else None,
        prev_hash=prev_hash or GENESIS,
    )
    entry.hash = digest(entry)
    return entry


def record(
    *,
    actor: Any,
    region_code: str,
    event: str,
    summary: str,
    obj: Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> RecordEntry:
    """Append one entry. `event` is "<module>.<what happened>"; must run inside the service's transaction."""
    _require_transaction()
    pending = Pending(region_code=region_code, event=event, summary=summary, obj=obj, before=before, after=after)
    chain_key = chain_of(region_code)
    last_seq, last_hash = _lock_head(chain_key)
    entry = _entry(actor, pending, seq=last_seq + 1, prev_hash=last_hash)
    entry.save()
    _move_head(chain_key, entry.seq, entry.hash)
    forget_change_numbers()  # a page that goes on after this write shows it (records.kept)
    return entry


# The chain's head is read, locked and moved with statements written out: every write of every service passes here,
# and through the ORM the three statements (with get_or_create's) cost about 1 ms of CPU to build, several times
# what the database takes to run them, while the chain stays locked (issue 15). The entry itself is saved through
# the ORM: its JSON and datetime fields are adapted there.
_CHAIN = RecordChain._meta.db_table


def _lock_head(chain_key: str) -> tuple[int, str]:
    """The head of the chain, locked until the transaction ends (SQLite: the transaction holds the write lock
    already), created empty on the chain's first entry."""
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT last_seq, last_hash FROM {quote(_CHAIN)} WHERE chain = %s{lock}"
    with connection.cursor() as cursor:
        cursor.execute(select, [chain_key])
        head = cursor.fetchone()
        if head is None:  # the chain's first entry; a concurrent first writer's row wins and is then locked here
            cursor.execute(
                f"INSERT INTO {quote(_CHAIN)} (chain, last_seq, last_hash) VALUES (%s, 0, '') "
                "ON CONFLICT (chain) DO NOTHING",
                [chain_key],
            )
            cursor.execute(select, [chain_key])
            head = cursor.fetchone()
    return int(head[0]), str(head[1])


def _move_head(chain_key: str, last_seq: int, last_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(_CHAIN)} SET last_seq = %s, last_hash = %s WHERE chain = %s",
            [last_seq, last_hash, chain_key],
        )


def record_many(*, actor: Any, entries: Iterable[Pending]) -> list[RecordEntry]:
    """Append many entries in the given order: the same chain, entry for entry, as one `record()` call each,
    but with one lock and one head update per chain and one bulk insert, for imports that touch thousands of
    villages at once. Must run inside the service's transaction."""
    _require_transaction()
    pending = list(entries)
    if not pending:
        return []
    keys = sorted({chain_of(p.region_code) for p in pending})
    RecordChain.objects.bulk_create([RecordChain(chain=k) for k in keys], ignore_conflicts=True)
    # Locked in one order (by key), so two imports touching the same counties cannot deadlock.
    heads = {
        h.chain: (h.last_seq, h.last_hash)
        for h in RecordChain.objects.select_for_update().filter(chain__in=keys).order_by("chain")
    }
    made: list[RecordEntry] = []
    for p in pending:
        seq, prev_hash = heads[chain_of(p.region_code)]
        entry = _entry(actor, p, seq=seq + 1, prev_hash=prev_hash)
        heads[entry.chain] = (entry.seq, entry.hash)
        made.append(entry)
    RecordEntry.objects.bulk_create(made, batch_size=500)
    for key, (last_seq, last_hash) in heads.items():
        RecordChain.objects.filter(chain=key).update(last_seq=last_seq, last_hash=last_hash)
    forget_change_numbers()
    return made


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only what changed, so an entry reads as "field: old → new"."""
    keys = [k for k in after if _plain(before.get(k)) != _plain(after.get(k))]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
