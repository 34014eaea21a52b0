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
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from cunshe.core.actors import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import (
    RESULTS_DIR,
    code_version,
    database_size_bytes,
    emit,
    fmt_int,
    fresh_database,
    machine,
    measure,
    region_files,
    server_settings,
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

    return measure(lambda: regions_import(actor=SYSTEM, files=files, under=under), trace=trace)


def import_record(run: str, db: Any, under: str, report: Any, m: Any, trace: bool) -> dict[str, Any]:
    from django.conf import settings

    rows = report.total
    return {
        "bench": "regions_import",
        "run": run,
        # Always the application's importer now; the field tells these runs from those of the bench-only prototype
        # (`proposed`) that lived in bench/ until the change was applied. `code` says which version ran.
        "importer": "current",
        "debug": settings.DEBUG,
        "db": db.vendor,
        "server": server_version(),
        "server_settings": server_settings(),
        "under": scope_label(under),
        "rows": rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad_rows": len(report.bad_rows),
        "rows_per_level": {LEVEL_NAMES[k]: v for k, v in sorted(report.per_level.items())},
        "rows_per_second": round(rows / m.seconds) if m.seconds else None,
        "code": code_version("cunshe/regions/services.py", "cunshe/regions/models.py"),
        "tracemalloc": trace,
        **m.as_dict(),
        "machine": machine(),
    }


def human_import_row(rec: dict[str, Any]) -> str:
    peak = f"peak RSS {rec['peak_rss_mb']:,.0f} MB (+{rec['peak_rss_growth_mb']:,.0f})" if rec["peak_rss_mb"] else ""
    server = f" + server {rec['server_cpu_seconds']:,.1f} s" if rec.get("server_cpu_seconds") is not None else ""
    traced = f", tracemalloc peak {rec['tracemalloc_peak_mb']:,.0f} MB" if rec["tracemalloc_peak_mb"] else ""
    return (
        f"# {rec['db']:<10} {rec['under']:<9} {rec['run'] + ' (' + rec['importer'] + ')':<20} {fmt_int(rec['rows']):>9} rows "
        f"{rec['seconds']:>8.2f} s {fmt_int(rec['rows_per_second'] or 0):>8} rows/s  "
        f"created {fmt_int(rec['created'])} updated {fmt_int(rec['updated'])} unchanged {fmt_int(rec['unchanged'])}  "
        f"{peak}{traced}  cpu {rec['cpu_seconds']:,.1f} s{server}, load {rec['load_before']}→{rec['load_after']}"
    )


# --- prefix queries ---------------------------------------------------------------------------------------


def plan_facts(vendor: str, plan: str) -> dict[str, Any]:
    """Which index the plan reads, and whether the code prefix is an index range (not a filter over rows)."""
    if vendor == "sqlite":
        found = re.findall(r"USING (?:COVERING )?(INDEX \S+|INTEGER PRIMARY KEY|PRIMARY KEY)(?: \(([^)]*)\))?", plan)
        indexes = [name.removeprefix("INDEX ") for name, _cond in found]
        code_range = any("code>" in cond for _name, cond in found)
        parent_lookup = any("parent_id=" in cond for _name, cond in found)
        full_scan = bool(re.search(r"\bSCAN regions_region\b(?! USING)", plan))
    else:
        indexes = re.findall(r"Index(?: Only)? Scan(?: Backward)? using (\S+)|Bitmap Index Scan on (\S+)", plan)
        indexes = [a or b for a, b in indexes]
        conds = " ".join(re.findall(r"Index Cond: (.*)", plan))
        code_range = bool(re.search(r"\bcode\)?(?:::text)? (?:~>=~|>=)", conds))
        parent_lookup = "parent_id" in conds
        full_scan = "Seq Scan" in plan
    return {"indexes": indexes, "code_range": code_range, "parent_lookup": parent_lookup, "full_scan": full_scan}


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


def query_cases(under: str) -> list[tuple[str, str, Any]]:
    """(label, what a good plan does, queryset) — the application's own selectors."""
    from cunshe.regions.models import Level, Region
    from cunshe.regions.selectors import region_children, region_subtree

    town = PREFERRED_TOWN if Region.objects.filter(code=PREFERRED_TOWN).exists() else None
    if town is None:
        town = Region.objects.filter(level=Level.TOWN, code__startswith=under).values_list("code", flat=True).first()
    province = (under or town or "37")[:2]
    county = (town or "")[:6]
    return [
        (f"villages under town {town}", "code_range", region_subtree(town, level=Level.VILLAGE)),
        (f"children of town {town}", "parent_lookup", region_children(Region(code=town))),
        (f"villages under county {county}", "code_range", region_subtree(county, level=Level.VILLAGE)),
        (f"everything under province {province}", "code_range", region_subtree(province)),
        (f"villages under province {province}", "code_range", region_subtree(province, level=Level.VILLAGE)),
    ]


def prefix_queries(under: str, repeat: int) -> list[dict[str, Any]]:
    from django.db import connection

    from cunshe.regions.models import Region

    table_rows = Region.objects.count()
    out = []
    for label, expect, qs in query_cases(under):
        plan = qs.explain()
        sql_text, params = qs.query.sql_with_params()
        rows, fetch_ms, fetch_min = timed(lambda qs=qs: len(list(qs.values_list("code", "name"))), repeat)
        _count, count_ms, _ = timed(lambda qs=qs: qs.count(), repeat)
        facts = plan_facts(connection.vendor, plan)
        out.append(
            {
                "query": label,
                "sql": sql_text,
                "params": list(params),
                "rows": rows,
                "fetch_ms_median": round(fetch_ms, 2),
                "fetch_ms_min": round(fetch_min, 2),
                "count_ms_median": round(count_ms, 2),
                "table_rows": table_rows,
                "expect": expect,
                # Reading the whole table is the right plan when the query wants most of it (a one-county database).
                "ok": (bool(facts[expect]) and not facts["full_scan"]) or rows > table_rows / 2,
                **facts,
                "plan": plan,
            }
        )
    return out


def run_queries(db: Any, under: str, repeat: int, variant: str, jsonl: Path | None) -> bool:
    queries = prefix_queries(under, repeat)
    rec = {
        "bench": "regions_prefix_queries",
        "db": db.vendor,
        "server": server_version(),
        "server_settings": server_settings(),
        "under": scope_label(under),
        "variant": variant,
        "load": _load_now(),
        "queries": queries,
    }
    lines = [f"# prefix queries on {db.vendor}, {variant}"]
    for q in queries:
        how = "code range" if q["code_range"] else ("parent_id" if q["parent_lookup"] else "NO code range")
        lines.append(
            f"# {q['query']:<36} {fmt_int(q['rows']):>7} rows  fetch {q['fetch_ms_median']:>8.2f} ms"
            f"  count {q['count_ms_median']:>8.2f} ms  index {','.join(q['indexes']) or '-'} ({how})"
            + ("" if q["ok"] else "  !! not the prefix index")
            + ("  (most of the table: a scan is fine)" if q["ok"] and not q[q["expect"]] else "")
        )
        lines.append(f"#   {q['sql']}  -- params {q['params']}")
        lines.extend("#   | " + p for p in q["plan"].splitlines())
    emit(rec, "\n".join(lines), jsonl)
    return all(q["ok"] for q in queries)


def _load_now() -> float | None:
    import os

    return round(os.getloadavg()[0], 2)


def sql(statement: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement)


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
        "--debug",
        action="store_true",
        help="keep DEBUG=True from cunshe.settings.local (Django then logs every query; slower)",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations (peak heap); makes the timed runs 2-3x slower",
    )
    parser.add_argument("--no-reimport", action="store_true", help="skip the second, idempotent import")
    parser.add_argument("--no-queries", action="store_true", help="skip the prefix-query timings")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="PostgreSQL: do not ANALYZE before the queries (a fresh load has no statistics yet)",
    )
    parser.add_argument(
        "--query-variants",
        action="store_true",
        help="re-run the queries without the (level, code) index, with only an index on level as before "
        "migration regions 0002, and on SQLite after ANALYZE",
    )
    parser.add_argument("--repeat", type=int, default=5, help="times each query is run (median reported)")
    parser.add_argument(
        "--jsonl", default=str(RESULTS_DIR / "regions_import.jsonl"), help="append JSON lines here ('' for stdout only)"
    )
    args = parser.parse_args(argv)
    under = args.under.strip()
    files = region_files(args.source)
    jsonl = Path(args.jsonl) if args.jsonl else None

    with fresh_database(args.database_url, keep=args.keep, sqlite_path=args.sqlite_path, debug=args.debug) as db:
        report, m = run_import(files, under, trace=args.tracemalloc)
        if report.bad_rows:
            for bad in report.bad_rows[:20]:
                print(bad, file=sys.stderr)
            print(f"import failed: {len(report.bad_rows)} bad rows", file=sys.stderr)
            return 1
        rec = import_record("import", db, under, report, m, args.tracemalloc)
        rec["rows_in_db_per_level"] = level_counts(under)
        rec["record_entries"] = record_entries()
        rec["database_bytes"] = database_size_bytes()
        emit(rec, human_import_row(rec), jsonl)
        ok = rec["rows_in_db_per_level"] == rec["rows_per_level"] and report.created == report.total

        if not args.no_reimport:
            entries_before = record_entries()
            report2, m2 = run_import(files, under, trace=args.tracemalloc)
            rec2 = import_record("reimport", db, under, report2, m2, args.tracemalloc)
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
            analyzed = db.vendor == "postgresql" and not args.no_analyze
            if analyzed:
                # A fresh bulk load has no planner statistics until autovacuum gets to it; a live database has them.
                sql("ANALYZE")
            base = "as migrated" + (" + ANALYZE" if analyzed else "")
            ok = run_queries(db, under, args.repeat, base, jsonl) and ok
            if args.query_variants:
                # The schema before migration regions 0002: an index on level alone, which SQLite prefers to the
                # code range for "level = 5 AND code LIKE '37%'" and so reads every village in the country.
                sql('DROP INDEX "region_level_code_idx"')
                sql('CREATE INDEX "bench_region_level" ON "regions_region" ("level")')
                if db.vendor == "postgresql":
                    sql("ANALYZE regions_region")
                run_queries(db, under, args.repeat, base + " - index (level, code) + index (level)", jsonl)
                sql('DROP INDEX "bench_region_level"')
                sql('CREATE INDEX "region_level_code_idx" ON "regions_region" ("level", "code")')
                if db.vendor == "sqlite":
                    # Alternative: planner statistics (what `cunshe dbshell` + ANALYZE or PRAGMA optimize gives).
                    sql("ANALYZE")
                    run_queries(db, under, args.repeat, "as migrated + ANALYZE (sqlite_stat1)", jsonl)
        if args.keep:
            print(f"# kept database: {db.name}" + (f" ({db.url})" if db.url else ""))
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
