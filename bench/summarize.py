"""Markdown tables from the JSON lines in bench/results/ (median of repeated runs, with min–max).

.venv/bin/python bench/summarize.py                    # all results
.venv/bin/python bench/summarize.py --since 2026-11-23 # only runs at or after this ISO time
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
SCOPE_ORDER = {"371681": 0, "37": 1, "national": 2}


def load(path: Path, since: str, max_load: float | None) -> list[dict[str, Any]]:
    """Records at or after `since`; with `max_load`, only timed runs during which the 1-minute load average stayed
    at or below it (other work on a shared machine slows wall-clock time)."""
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("at", "") >= since]
    if max_load is not None:
        rows = [r for r in rows if max(r.get("load_before") or 0, r.get("load_after") or 0) <= max_load]
    return rows


def spread(values: Iterable[float], fmt: str = "{:,.1f}") -> str:
    values = list(values)
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def table(headers: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def imports(records: list[dict[str, Any]]) -> str:
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r.get("bench") == "regions_import":
            key = (r["db"], r["under"], r["importer"], r["run"], r.get("debug", False), r.get("tracemalloc", False))
            groups[key].append(r)
    rows = []
    for key in sorted(groups, key=lambda k: (k[0], SCOPE_ORDER.get(k[1], 9), k[2], k[3] != "import", k[4], k[5])):
        db, under, importer, run, debug, traced = key
        rs = groups[key]
        mode = ", ".join(x for x, on in (("DEBUG on", debug), ("tracemalloc", traced)) if on) or "–"
        rows.append(
            [
                db,
                under,
                importer,
                run,
                mode,
                str(len(rs)),
                f"{rs[0]['rows']:,}",
                spread((r["seconds"] for r in rs), "{:,.2f}"),
                spread((r["cpu_seconds"] for r in rs if "cpu_seconds" in r), "{:,.2f}"),
                spread((r["server_cpu_seconds"] for r in rs if r.get("server_cpu_seconds") is not None), "{:,.2f}"),
                spread((r["rows_per_second"] for r in rs), "{:,.0f}"),
                spread(r["peak_rss_mb"] for r in rs if r.get("peak_rss_mb") is not None),
                spread(r["peak_rss_growth_mb"] for r in rs if r.get("peak_rss_growth_mb") is not None),
                spread(r["tracemalloc_peak_mb"] for r in rs if r.get("tracemalloc_peak_mb") is not None),
                "yes" if all(r.get("changed_nothing", True) for r in rs) and run == "reimport" else "",
            ]
        )
    return table(
        ["db", "scope", "importer", "run", "mode", "n", "rows", "seconds", "client CPU s", "server CPU s", "rows/s", "peak RSS MB", "RSS growth MB",
         "tracemalloc peak MB", "changed nothing"],
        rows,
    )  # fmt: skip


def queries(records: list[dict[str, Any]]) -> str:
    rows = []
    seen = set()
    for r in reversed(records):  # newest first; one table row per (db, scope, variant, query)
        if r.get("bench") != "regions_prefix_queries":
            continue
        for q in r["queries"]:
            key = (r["db"], r["under"], r["variant"], q["query"])
            if key in seen:
                continue
            seen.add(key)
            how = "code range" if q["code_range"] else ("parent_id =" if q["parent_lookup"] else "**no code range**")
            rows.append(
                [
                    r["db"],
                    r["under"],
                    r["variant"],
                    q["query"],
                    f"{q['rows']:,}",
                    f"{q['fetch_ms_median']:,.2f}",
                    f"{q['count_ms_median']:,.2f}",
                    f"`{','.join(q['indexes']) or '-'}` ({how})",
                ]
            )
    rows.sort(key=lambda row: (row[0], SCOPE_ORDER.get(row[1], 9), row[2]))
    return table(["db", "scope", "variant", "query", "rows", "fetch ms", "count ms", "index used"], rows)


def generated(records: list[dict[str, Any]]) -> str:
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r.get("bench") == "generate":
            groups[(r["db"], r["scale"], r["step"], r.get("path", ""))].append(r)
    rows = []
    order = {"county": 0, "province": 1, "national": 2}
    for key in sorted(groups, key=lambda k: (k[0], order.get(k[1], 9), k[2] != "regions", k[3])):
        db, scale, step, path = key
        rs = groups[key]
        rows.append(
            [
                db,
                scale,
                step,
                path or "regions_import",
                str(len(rs)),
                f"{rs[0]['rows']:,}",
                spread((r["seconds"] for r in rs), "{:,.2f}"),
                spread((r["cpu_seconds"] for r in rs if "cpu_seconds" in r), "{:,.2f}"),
                spread((r["server_cpu_seconds"] for r in rs if r.get("server_cpu_seconds") is not None), "{:,.2f}"),
                spread((r["rows_per_second"] for r in rs), "{:,.0f}"),
                spread(r["peak_rss_mb"] for r in rs if r.get("peak_rss_mb") is not None),
                spread(r["database_bytes"] / 2**20 for r in rs if r.get("database_bytes")),
            ]
        )
    return table(
        [
            "db",
            "scale",
            "step",
            "path",
            "n",
            "rows",
            "seconds",
            "client CPU s",
            "server CPU s",
            "rows/s",
            "peak RSS MB",
            "db size MB",
        ],
        rows,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--since", default="", help="only records whose 'at' is at or after this ISO time")
    parser.add_argument("--max-load", type=float, default=None, help="drop runs made while the load average was higher")
    args = parser.parse_args(argv)
    records = load(RESULTS / "regions_import.jsonl", args.since, args.max_load)
    print("## regions_import\n\n" + imports(records) + "\n")
    print("## prefix queries\n\n" + queries(records) + "\n")
    print("## generate\n\n" + generated(load(RESULTS / "generate.jsonl", args.since, args.max_load)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
