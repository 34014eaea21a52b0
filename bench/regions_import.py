"""Benchmark of `regions_import` (cunshe.regions.services) into a fresh database.

    .venv/bin/python bench/regions_import.py                       # whole country, SQLite temp file
    .venv/bin/python bench/regions_import.py --under 37            # Shandong province
    .venv/bin/python bench/regions_import.py --under 371681        # one county (邹平市)
    .venv/bin/python bench/regions_import.py --database-url postgres://user:pass@127.0.0.1/postgres

Runs the import once into an empty, migrated database, then again over the same files (the idempotent
re-import must create and update nothing), then times prefix queries on the region tree and prints their plans.
Each run prints one JSON line and one human-readable row; the JSON lines are also appended to
bench/results/regions_import.jsonl (see --jsonl).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import (
    RESULTS_DIR,
    database_size_bytes,
    emit,
    fmt_int,
    fresh_database,
    machine,
    measure,
    region_files,
    server_version,
)

LEVEL_NAMES = {1: "province", 2: "city", 3: "county", 4: "town", 5: "village"}
PREFERRED_TOWN = "371681001"  # 邹平市 黛溪街道, inside every scale the README names


def scope_label(under: str) -> str:
    return under or "national"


def level_counts(under: str) -> dict[str, int]:
    """Rows per level now in the database within the import's scope (the subtree and its ancestors)."""
    from django.db.models import Count, Q

    from cunshe.regions.models import Region

    qs = Region.objects.all()
    if under:
        ancestors = [under[:n] for n in (2, 4, 6, 9) if n < len(under)]
        qs = qs.filter(Q(code__startswith=under) | Q(code__in=ancestors))
    rows = qs.order_by().values("level").annotate(n=Count("code"))
    return {LEVEL_NAMES[r["level"]]: r["n"] for r in sorted(rows, key=lambda r: r["level"])}


def record_entries() -> int:
    from cunshe.records.models import RecordEntry

    return RecordEntry.objects.count()


def run_import(files: list[Path], under: str, *, trace: bool) -> tuple[Any, Any]:
    from cunshe.regions.services import regions_import

    return measure(lambda: regions_import(actor=None, files=files, under=under), trace=trace)


def import_record(label: str, run: str, db: Any, under: str, report: Any, m: Any, trace: bool) -> dict[str, Any]:
    rows = report.total
    return {
        "bench": "regions_import",
        "run": run,
        "db": db.vendor,
        "server": server_version(),
        "under": scope_label(under),
        "rows": rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad_rows": len(report.bad_rows),
        "rows_per_level": {LEVEL_NAMES[k]: v for k, v in sorted(report.per_level.items())},
        "rows_per_second": round(rows / m.seconds) if m.seconds else None,
        "tracemalloc": trace,
        **m.as_dict(),
        "machine": machine(),
    }


def human_import_row(rec: dict[str, Any]) -> str:
    peak = f"peak RSS {rec['peak_rss_mb']:,.0f} MB (+{rec['peak_rss_growth_mb']:,.0f})" if rec["peak_rss_mb"] else ""
    traced = f", tracemalloc peak {rec['tracemalloc_peak_mb']:,.0f} MB" if rec["tracemalloc_peak_mb"] else ""
    return (
        f"# {rec['db']:<10} {rec['under']:<9} {rec['run']:<9} {fmt_int(rec['rows']):>9} rows "
        f"{rec['seconds']:>8.2f} s {fmt_int(rec['rows_per_second'] or 0):>8} rows/s  "
        f"created {fmt_int(rec['created'])} updated {fmt_int(rec['updated'])} unchanged {fmt_int(rec['unchanged'])}  "
        f"{peak}{traced}"
    )


# --- prefix queries ---------------------------------------------------------------------------------------


def uses_index(vendor: str, plan: str) -> bool:
    if vendor == "sqlite":
        # SEARCH ... USING (COVERING) INDEX / PRIMARY KEY means an index range; SCAN <table> without an index is
        # a full scan.
        return (
            "USING" in plan
            and ("INDEX" in plan or "PRIMARY KEY" in plan)
            and "SCAN regions_region\n" not in (plan + "\n")
        )
    return "Index" in plan and "Seq Scan" not in plan


def timed(fn: Any, repeat: int) -> tuple[Any, float, float]:
    """Result of the first call, median and min milliseconds over `repeat` calls."""
    result, times = None, []
    for i in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - start) * 1000)
        if i == 0:
            result = value
    return result, statistics.median(times), min(times)


def prefix_queries(under: str, repeat: int, analyze: bool) -> list[dict[str, Any]]:
    from django.db import connection

    from cunshe.regions.models import Level, Region
    from cunshe.regions.selectors import region_children, region_subtree

    if analyze and connection.vendor == "postgresql":
        # A fresh bulk load has no planner statistics until autovacuum gets to it; a live database has them.
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    town = PREFERRED_TOWN if Region.objects.filter(code=PREFERRED_TOWN).exists() else None
    if town is None:
        town = Region.objects.filter(level=Level.TOWN, code__startswith=under).values_list("code", flat=True).first()
    province = (under or town or "37")[:2]
    county = (town or "")[:6]
    cases: list[tuple[str, Any]] = [
        (f"villages under town {town}", region_subtree(town, level=Level.VILLAGE)),
        (f"children of town {town}", region_children(Region(code=town))),
        (f"villages under county {county}", region_subtree(county, level=Level.VILLAGE)),
        (f"everything under province {province}", region_subtree(province)),
        (f"villages under province {province}", region_subtree(province, level=Level.VILLAGE)),
    ]
    out = []
    for label, qs in cases:
        plan = qs.explain()
        rows, fetch_ms, fetch_min = timed(lambda qs=qs: len(list(qs.values_list("code", "name"))), repeat)
        _count, count_ms, _ = timed(lambda qs=qs: qs.count(), repeat)
        out.append(
            {
                "query": label,
                "sql": str(qs.query),
                "rows": rows,
                "fetch_ms_median": round(fetch_ms, 2),
                "fetch_ms_min": round(fetch_min, 2),
                "count_ms_median": round(count_ms, 2),
                "uses_index": uses_index(connection.vendor, plan),
                "plan": plan,
            }
        )
    return out


# --- main -------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--under", default="", help="import only this subtree: '' (whole country), 37, 371681 …")
    parser.add_argument(
        "--source", default=None, help="folder with the five official files (default ../shared/data/regions)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="postgres://user:pass@host/admin_db — a fresh database is created there and dropped",
    )
    parser.add_argument("--sqlite-path", default=None, help="SQLite file to create instead of a temp file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (prints where)")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations (peak heap); makes the timed runs 2-3x slower",
    )
    parser.add_argument("--no-reimport", action="store_true", help="skip the second, idempotent import")
    parser.add_argument("--no-queries", action="store_true", help="skip the prefix-query timings")
    parser.add_argument("--no-analyze", action="store_true", help="PostgreSQL: do not ANALYZE before the queries")
    parser.add_argument("--repeat", type=int, default=5, help="times each query is run (median reported)")
    parser.add_argument(
        "--jsonl", default=str(RESULTS_DIR / "regions_import.jsonl"), help="append JSON lines here ('' for stdout only)"
    )
    args = parser.parse_args(argv)
    under = args.under.strip()
    files = region_files(args.source)
    jsonl = Path(args.jsonl) if args.jsonl else None

    with fresh_database(args.database_url, keep=args.keep, sqlite_path=args.sqlite_path) as db:
        report, m = run_import(files, under, trace=args.tracemalloc)
        if report.bad_rows:
            for bad in report.bad_rows[:20]:
                print(bad, file=sys.stderr)
            print(f"import failed: {len(report.bad_rows)} bad rows", file=sys.stderr)
            return 1
        rec = import_record("import", "import", db, under, report, m, args.tracemalloc)
        rec["rows_in_db_per_level"] = level_counts(under)
        rec["record_entries"] = record_entries()
        rec["database_bytes"] = database_size_bytes()
        emit(rec, human_import_row(rec), jsonl)
        ok = rec["rows_in_db_per_level"] == rec["rows_per_level"] and report.created == report.total

        if not args.no_reimport:
            entries_before = record_entries()
            report2, m2 = run_import(files, under, trace=args.tracemalloc)
            rec2 = import_record("reimport", "reimport", db, under, report2, m2, args.tracemalloc)
            rec2["record_entries_added"] = record_entries() - entries_before
            rec2["changed_nothing"] = (
                report2.created == 0
                and report2.updated == 0
                and rec2["record_entries_added"] == 0
                and report2.unchanged == report.total
            )
            emit(
                rec2, human_import_row(rec2) + ("" if rec2["changed_nothing"] else "  !! RE-IMPORT CHANGED DATA"), jsonl
            )
            ok = ok and rec2["changed_nothing"]

        if not args.no_queries:
            queries = prefix_queries(under, args.repeat, analyze=not args.no_analyze)
            qrec = {
                "bench": "regions_prefix_queries",
                "db": db.vendor,
                "server": server_version(),
                "under": scope_label(under),
                "analyzed": db.vendor == "postgresql" and not args.no_analyze,
                "queries": queries,
            }
            lines = []
            for q in queries:
                lines.append(
                    f"# {db.vendor:<10} {q['query']:<36} {fmt_int(q['rows']):>7} rows  fetch {q['fetch_ms_median']:>8.2f} ms"
                    f"  count {q['count_ms_median']:>7.2f} ms  index={'yes' if q['uses_index'] else 'NO'}"
                )
                lines.append("#   " + q["sql"])
                lines.extend("#   | " + p for p in q["plan"].splitlines())
            emit(qrec, "\n".join(lines), jsonl)
            ok = ok and all(q["uses_index"] for q in queries)
        if args.keep:
            print(f"# kept database: {db.name}" + (f" ({db.url})" if db.url else ""))
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
