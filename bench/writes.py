"""Concurrent writes through the services on SQLite (or PostgreSQL): no "database is locked", bounded latency.

    .venv/bin/python bench/writes.py                       # SQLite: 1 writer, then 20, 10 s each
    .venv/bin/python bench/writes.py --writers 50 --database-url postgres://cunshe:…@127.0.0.1:5432/postgres

A fresh database gets the demo county's regions (the real importer). Then writers — threads, each with its own
database connection, as gunicorn workers each have theirs — call `people.services.person_create` (validation, the
insert and a record-book entry in the county's chain, one IMMEDIATE transaction on SQLite) as fast as they can for
`--seconds`: first one writer alone, then `--writers` at once. For each phase: writes, writes/s, p50/p99 latency of a
write, and the failures — "database is locked" counted apart from any other error. The last line compares the two:
throughput ratio and p99 / single writer's p99. Exit status 2 if any write failed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, code_version, emit, fresh_database, machine, percentile, run_threads


def phase(writers: int, seconds: float, villages: list[str], numbers: itertools.count[int]) -> dict[str, Any]:
    from django.db import OperationalError, connection

    from cunshe.core.actors import SYSTEM
    from cunshe.people import id_numbers
    from cunshe.people.services import person_create

    latencies: list[float] = []
    locked = [0]
    other: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def writer(index: int) -> None:
        mine: list[float] = []
        n_locked = 0
        errors: list[str] = []
        barrier.wait()
        stop_at = time.perf_counter() + seconds
        try:
            while time.perf_counter() < stop_at:
                with lock:
                    n = next(numbers)
                born = date(1940, 1, 1) + timedelta(days=n // 1000)
                start = time.perf_counter()
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
                mine.append((time.perf_counter() - start) * 1000)
        finally:
            connection.close()
        with lock:
            latencies.extend(mine)
            locked[0] += n_locked
            other.extend(errors)

    elapsed = run_threads([threading.Thread(target=writer, args=(i,)) for i in range(writers)])
    latencies.sort()
    n = len(latencies)
    return {
        "writers": writers,
        "writes": n,
        "writes_per_s": round(n / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5), 1) if n else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if n else None,
        "max_ms": round(latencies[-1], 1) if n else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if n else None,
        "locked": locked[0],
        "other_errors": len(other),
        "first_errors": other[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or None)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (default 10)")
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

        regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
        villages = list(Region.objects.filter(level=Level.VILLAGE).order_by("code").values_list("code", flat=True))
        numbers = itertools.count()
        common = {
            "bench": "writes",
            "label": args.label,
            "vendor": db.vendor,
            "seconds": args.seconds,
            "database_options": {
                k: v for k, v in settings.DATABASES["default"].get("OPTIONS", {}).items() if k != "password"
            },
            "code": code_version("cunshe/settings/base.py", "cunshe/records/services.py"),
            "machine": machine(),
        }
        results = []
        for writers in (1, args.writers):
            load = round(os.getloadavg()[0], 2)
            r = phase(writers, args.seconds, villages, numbers)
            results.append(r)
            flag = f"  !! {r['locked']} locked, {r['other_errors']} other" if r["locked"] or r["other_errors"] else ""
            emit(
                {**common, **r, "load": load},
                f"# {db.vendor:<10} {writers:>3} writers {r['writes']:>6} writes {r['writes_per_s']:>7} /s "
                f"p50 {r['p50_ms']} ms p99 {r['p99_ms']} ms max {r['max_ms']} ms{flag}",
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
