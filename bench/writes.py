"""Concurrent writes through the services on SQLite (or PostgreSQL): no "database is locked", bounded latency.

    .venv/bin/python bench/writes.py                       # SQLite: 1 writer, then 20, 10 s each
    .venv/bin/python bench/writes.py --writers 50 --database-url postgres://cunshe:…@127.0.0.1:5432/postgres

A fresh database gets the demo county's regions (the real importer). Then writers — threads, each with its own
database connection, as gunicorn workers each have theirs — call `people.services.person_create` (validation, the
insert and a record-book entry in the county's chain, one IMMEDIATE transaction on SQLite) as fast as they can for
`--seconds`: first one writer alone, then `--writers` at once. For each phase: writes, writes/s, p50/p99 latency of a
write, and the failures — "database is locked" counted apart from any other error. The last line compares the two:
throughput ratio and p99 / single writer's p99. Exit status 2 if any write failed.

`--processes`: the writers are processes instead of threads (forked from this one after its connections are
closed, so each opens its own, as gunicorn's sync workers do), released together by a barrier; each sends its
latencies and failures back through a pipe. Threads of one process share the GIL, so the holder of a lock can wait
for the interpreter behind 19-49 other writers; processes do not.

`--hold`: also time, inside each write, how long the county's chain head is locked (from `record()`'s
SELECT … FOR UPDATE to the commit) and how long the whole transaction runs, to see what a write queues on.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, code_version, emit, fresh_database, machine, percentile, run_threads


def _write_loop(
    index: int, seconds: float, counties: list[list[str]], next_number: Any, start: Any, interval: float = 0.0
) -> tuple[list[float], int, list[str], float, float]:
    """One writer: `person_create` as fast as it can for `seconds` after `start()` returns; its latencies (ms),
    "locked" failures, other failures, and when it started and stopped (time.time, comparable across processes).

    With an `interval` (`--pace`) the writer is open-loop instead: a write falls due every `interval` seconds (the
    writers' schedules spread evenly over one interval) and its latency counts from when it fell due, so a write
    that waited behind a slow one carries that wait too (no coordinated omission)."""
    from django.db import OperationalError, connection

    from cunshe.core.actors import SYSTEM
    from cunshe.people import id_numbers
    from cunshe.people.services import person_create

    mine: list[float] = []
    n_locked = 0
    errors: list[str] = []
    villages = counties[index % len(counties)]  # writer i writes into county i mod K (its record-book chain)
    start()
    began = time.time()
    stop_at = time.perf_counter() + seconds
    due = time.perf_counter() + interval * random.Random(index).random()
    try:
        while time.perf_counter() < stop_at:
            n = next_number()
            born = date(1940, 1, 1) + timedelta(days=n // 1000)
            if interval:
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                t0 = due
                due += interval
            else:
                t0 = time.perf_counter()
            try:
                person_create(
                    actor=SYSTEM,
                    region_code=villages[(index + n) % len(villages)],
                    id_number=id_numbers.make(villages[0][:6], born, n % 1000),
                    name="测试人员",
                    ethnicity="汉族",
                    education="high_school",
                    is_party_member=False,
                    phone="13800000000",
                )
            except OperationalError as exc:
                if "locked" in str(exc):
                    n_locked += 1
                else:
                    errors.append(repr(exc)[:200])
                continue
            except Exception as exc:  # any other failure is a finding too
                errors.append(repr(exc)[:200])
                continue
            mine.append((time.perf_counter() - t0) * 1000)
    finally:
        connection.close()
    return mine, n_locked, errors, began, time.time()


class HoldTimer:
    """`--hold`: per write, how long it held what other writers queue on, and how long its transaction ran.

    - PostgreSQL: the county's chain head, from `record()`'s SELECT … FOR UPDATE returning to the COMMIT being sent
      (`chain_held`), and the COMMIT itself (`commit`); `transaction` from the first statement to the COMMIT sent.
    - SQLite: the whole database is the writer's from the fair write lock (cunshe.core.sqlite) to its release, so
      `chain_held` is that span, timed inside the lock's own acquire and release.

    Times are taken before giving up the lock: on 2 CPUs a writer may wait a long time for the CPU right after it,
    which is not time anyone queued behind it. Wraps this process's connections only; the application is unchanged.
    """

    def __init__(self) -> None:
        self.held: list[float] = []
        self.transaction: list[float] = []
        self.commit: list[float] = []

    def install(self) -> None:
        from django.db import connection
        from django.db.backends.signals import connection_created

        self._receiver = lambda sender, connection, **kw: self.wrap(connection)
        connection_created.connect(self._receiver, weak=False)
        self.wrap(connection)

    def uninstall(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.disconnect(self._receiver)

    def wrap(self, conn: Any) -> None:
        if getattr(conn, "_bench_hold", False):
            return
        conn._bench_hold = True
        state: dict[str, float | None] = {"begin": None, "locked": None}

        if conn.vendor == "sqlite":
            acquire, release = conn._write_lock_acquire, conn._write_lock_release

            def _acquire() -> None:
                acquire()
                state["locked"] = time.perf_counter()

            def _release() -> None:
                if state["locked"] is not None and conn._write_lock_held:
                    self.held.append((time.perf_counter() - state["locked"]) * 1000)
                state["locked"] = None
                release()

            conn._write_lock_acquire, conn._write_lock_release = _acquire, _release

        def execute_wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if state["begin"] is None and conn.in_atomic_block:
                state["begin"] = time.perf_counter()
            result = execute(sql, params, many, context)
            chain_head = "FOR UPDATE" in sql and "records_recordchain" in sql
            if conn.vendor == "postgresql" and state["locked"] is None and chain_head:
                state["locked"] = time.perf_counter()  # the chain head's row lock is ours from here
            return result

        commit, rollback = conn._commit, conn._rollback

        def _commit() -> Any:
            sent = time.perf_counter()
            if state["begin"] is not None:
                self.transaction.append((sent - state["begin"]) * 1000)
            if conn.vendor == "postgresql" and state["locked"] is not None:
                self.held.append((sent - state["locked"]) * 1000)
                state["locked"] = None
            result = commit()
            self.commit.append((time.perf_counter() - sent) * 1000)
            state["begin"] = None
            return result

        def _rollback() -> Any:
            state["begin"] = None
            if conn.vendor == "postgresql":
                state["locked"] = None
            return rollback()

        conn.execute_wrappers.append(execute_wrapper)
        conn._commit, conn._rollback = _commit, _rollback


def _summary(
    writers: int, latencies: list[float], locked: int, other: list[str], elapsed: float, hold: HoldTimer | None
) -> dict[str, Any]:
    latencies.sort()
    n = len(latencies)
    out: dict[str, Any] = {
        "writers": writers,
        "writes": n,
        "elapsed_s": round(elapsed, 2),
        "writes_per_s": round(n / elapsed, 1) if elapsed else None,
        "p50_ms": round(percentile(latencies, 0.5), 1) if n else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if n else None,
        "max_ms": round(latencies[-1], 1) if n else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if n else None,
        "locked": locked,
        "other_errors": len(other),
        "first_errors": other[:3],
    }
    if hold is not None:
        for name, values in (("chain_held", hold.held), ("transaction", hold.transaction), ("commit", hold.commit)):
            values = sorted(values)
            if values:
                out[f"{name}_p50_ms"] = round(percentile(values, 0.5), 2)
                out[f"{name}_p99_ms"] = round(percentile(values, 0.99), 2)
                out[f"{name}_mean_ms"] = round(statistics.fmean(values), 2)
    return out


def phase(
    writers: int,
    seconds: float,
    villages: list[list[str]],
    numbers: itertools.count[int],
    hold: bool,
    interval: float = 0.0,
) -> dict:
    """Writers as threads of this process (each thread gets its own connection from Django)."""
    latencies: list[float] = []
    locked = [0]
    other: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)
    spans: list[tuple[float, float]] = []
    timer = HoldTimer() if hold else None
    if timer is not None:
        timer.install()

    def next_number() -> int:
        with lock:
            return next(numbers)

    def writer(index: int) -> None:
        mine, n_locked, errors, began, ended = _write_loop(
            index, seconds, villages, next_number, barrier.wait, interval
        )
        with lock:
            latencies.extend(mine)
            locked[0] += n_locked
            other.extend(errors)
            spans.append((began, ended))

    run_threads([threading.Thread(target=writer, args=(i,)) for i in range(writers)])
    if timer is not None:
        timer.uninstall()
    elapsed = max(e for _, e in spans) - min(b for b, _ in spans)
    return {"mode": "threads", **_summary(writers, latencies, locked[0], other, elapsed, timer)}


def _process_writer(
    index: int,
    writers: int,
    base: int,
    seconds: float,
    villages: list[list[str]],
    barrier: Any,
    out: Any,
    hold: bool,
    interval: float = 0.0,
) -> None:
    """A forked writer: numbers base + index, base + index + writers, … (no two processes share one)."""
    counter = itertools.count(base + index, writers)
    timer = HoldTimer() if hold else None
    if timer is not None:
        timer.install()
    try:
        mine, n_locked, errors, began, ended = _write_loop(
            index, seconds, villages, lambda: next(counter), barrier.wait, interval
        )
        held = (timer.held, timer.transaction, timer.commit) if timer is not None else None
        out.send((mine, n_locked, errors, began, ended, held))
    except BaseException as exc:
        out.send(([], 0, [repr(exc)[:200]], time.time(), time.time(), None))
        raise
    finally:
        out.close()


def phase_processes(
    writers: int, seconds: float, villages: list[list[str]], base: int, hold: bool, interval: float = 0.0
) -> dict:
    """Writers as forked processes, each opening its own connection, released together by a barrier."""
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(writers)
    pipes, procs = [], []
    for index in range(writers):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=_process_writer,
            args=(index, writers, base, seconds, villages, barrier, send, hold, interval),
            daemon=True,
        )
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    latencies: list[float] = []
    locked = 0
    other: list[str] = []
    spans: list[tuple[float, float]] = []
    timer = HoldTimer() if hold else None
    for receive in pipes:
        try:
            mine, n_locked, errors, began, ended, held = receive.recv()
        except EOFError:
            other.append("a writer process died without a report")
            continue
        latencies.extend(mine)
        locked += n_locked
        other.extend(errors)
        spans.append((began, ended))
        if timer is not None and held is not None:
            timer.held.extend(held[0])
            timer.transaction.extend(held[1])
            timer.commit.extend(held[2])
    for proc in procs:
        proc.join(timeout=60)
    elapsed = max(e for _, e in spans) - min(b for b, _ in spans) if spans else 0.0
    return {"mode": "processes", **_summary(writers, latencies, locked, other, elapsed, timer)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or None)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (default 10)")
    parser.add_argument(
        "--processes", action="store_true", help="writers are forked processes (as gunicorn workers), not threads"
    )
    parser.add_argument("--hold", action="store_true", help="also time the chain head's lock and the transaction")
    parser.add_argument(
        "--counties",
        type=int,
        default=1,
        help="writers spread over this many counties (each its own record-book chain; imports Shandong's regions)",
    )
    parser.add_argument("--source", default=None, help="folder with the region files (for --counties > 1)")
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="open loop: the many writers together offer this fraction of the lone writer's measured rate (e.g. 0.7)",
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "writes.jsonl"))
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None

    with fresh_database(args.database_url) as db:
        from django.conf import settings

        from cunshe.core.actors import SYSTEM
        from cunshe.regions.models import Level, Region
        from cunshe.regions.services import regions_import
        from cunshe.regions.slice import DEMO_COUNTY, SLICE_FILES

        if args.counties > 1:
            from bench._env import region_files

            regions_import(actor=SYSTEM, files=region_files(args.source), under="37")
        else:
            regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
        codes = [DEMO_COUNTY] + [
            c
            for c in Region.objects.filter(level=Level.COUNTY, code__startswith="37")
            .order_by("code")
            .values_list("code", flat=True)
            if c != DEMO_COUNTY
        ]
        villages = []
        for county in codes:
            found = list(
                Region.objects.filter(level=Level.VILLAGE, code__startswith=county)
                .order_by("code")
                .values_list("code", flat=True)
            )
            if found:
                villages.append(found)
            if len(villages) == args.counties:
                break
        numbers = itertools.count()
        common = {
            "bench": "writes",
            "label": args.label,
            "vendor": db.vendor,
            "seconds": args.seconds,
            "counties": len(villages),
            "database_options": {
                k: v for k, v in settings.DATABASES["default"].get("OPTIONS", {}).items() if k != "password"
            },
            "code": code_version("cunshe/settings/base.py", "cunshe/records/services.py"),
            "machine": machine(),
        }
        results: list[dict[str, Any]] = []
        for number, writers in enumerate((1, args.writers)):
            load = round(os.getloadavg()[0], 2)
            # --pace: the lone writer runs flat out; the many then offer a fixed share of its rate between them.
            interval = writers / (args.pace * results[0]["writes_per_s"]) if args.pace and results else 0.0
            if args.processes:
                # Each phase its own range of ID-number sequences (1,000,000 apart: ~27 years of birth dates).
                r = phase_processes(writers, args.seconds, villages, 1_000_000 * (number + 1), args.hold, interval)
            else:
                r = phase(writers, args.seconds, villages, numbers, args.hold, interval)
            if interval:
                r = {**r, "pace": args.pace, "offered_per_s": round(writers / interval, 1)}
            results.append(r)
            flag = f"  !! {r['locked']} locked, {r['other_errors']} other" if r["locked"] or r["other_errors"] else ""
            emit(
                {**common, **r, "load": load, "load_after": round(os.getloadavg()[0], 2)},
                f"# {db.vendor:<10} {r['mode']:<9} {writers:>3} writers {r['writes']:>6} writes {r['writes_per_s']:>7} /s "
                f"p50 {r['p50_ms']} ms p99 {r['p99_ms']} ms max {r['max_ms']} ms"
                + (f" (offered {r['offered_per_s']} /s)" if "offered_per_s" in r else "")
                + (
                    f" | held p50 {r['chain_held_p50_ms']} p99 {r['chain_held_p99_ms']} mean {r['chain_held_mean_ms']} ms,"
                    f" transaction p50 {r['transaction_p50_ms']} mean {r['transaction_mean_ms']},"
                    f" commit p50 {r.get('commit_p50_ms')} ms"
                    if "chain_held_p50_ms" in r
                    else ""
                )
                + f" (load {load}){flag}",
                jsonl,
            )
        one, many = results
        if one["writes_per_s"] and one["p99_ms"] and many["p99_ms"]:
            print(
                f"# {args.writers} writers vs 1: throughput {many['writes_per_s'] / one['writes_per_s']:.2f}, "
                f"p99 {many['p99_ms'] / one['p99_ms']:.1f}× the single writer's",
                flush=True,
            )
    return 2 if any(r["locked"] or r["other_errors"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
