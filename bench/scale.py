"""The county's command view and roll-ups in a county-size and in a province-size database, alternately (issue 15
item 4). PostgreSQL only.

    .venv/bin/python bench/scale.py --database-url "$BENCH_DATABASE_URL"                    # Shandong (37)
    .venv/bin/python bench/scale.py --database-url "$BENCH_DATABASE_URL" --scale national   # the whole country
    .venv/bin/python bench/scale.py --database-url … --reuse cunshe_bench_A cunshe_bench_B  # measure kept databases

Setup (untimed, printed with its timings):

1. **county** database: the demo county (`cunshe.demo.county.build_demo`: 邹平市, its accounts and every module's
   demo rows, all through the services) in a fresh database;
2. **province** (or **national**) database: `CREATE DATABASE … TEMPLATE county`, so the measured county's rows are the
   very same; then the scale's regions (the application's importer), `generate.py`'s people (COPY) in every other
   county, and the module rows: `clone_modules` copies every row of every module table that belongs to a region
   (a `RegionKey` or other foreign key to `Region`) from the demo county into each other county of the scale, in
   one `INSERT … SELECT` per table on the server — the i-th village of the demo county becomes the i-th village of the
   other county (the i-th town, the county, its city likewise), ids are shifted by a stride per county, and foreign
   keys to copied tables (term changes, batches, commitments …) are shifted alike, so each county has its own term
   change with its own rows, shaped like the demo's. Each county also gets its record-book chain head. Rows whose
   region has no counterpart (a county with fewer villages) are left out. Deterministic: same demo seed, same rows.

Then the measurement, in two worker processes (one per database, each with its own kept-value cache, production
settings of `bench/pages_site.py`, Django's test client, the county organizer `zzb` signed in), driven alternately
by this process, `--rounds` times per target: `--warm` repeat requests (kept values and kept fragments), and
`--cold` requests each right after a recorded change in the county (`person_create` in one of its villages, untimed),
which moves the county's change number, so the kept tables are read and rendered again. Per target and database:
p50 wall ms and CPU ms (the worker's `process_time`), queries; the ratio province / county of the p50s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import (
    PROJECT_DIR,
    RESULTS_DIR,
    _pg_admin_connect,
    _with_database,
    code_version,
    emit,
    machine,
)

COUNTY = "371681"
SCALES = {"province": "37", "national": ""}
TARGETS = [
    ("command county", f"/command/{COUNTY}/"),
    ("command town", f"/command/{COUNTY}001/"),
    ("rollup commitments", f"/commitments/rollup/{COUNTY}/"),
    ("rollup 两票一度", f"/assessments/overview/{COUNTY}/"),
    ("rollup visit coverage", "/visits/"),
    ("rollup issue board", "/issueboard/"),
    ("rollup readiness", "/readiness/"),
]
# Not copied: the regions themselves, people (generate.py's bulk path fills them), accounts and their grants, the
# record book (one chain head per county is added instead), sessions.
SKIP_APPS = {"regions", "people", "accounts", "records", "access", "notifications"}


def _log(text: str) -> None:
    print(f"# {text}", flush=True)


# --- setup: the county database ------------------------------------------------------------------------------


def setup_county(database_url: str) -> str:
    """A fresh database with the demo county; its name."""
    from bench._env import fresh_database

    with fresh_database(database_url, keep=True) as db:
        from cunshe.demo.county import build_demo

        started = time.perf_counter()
        build_demo()
        _log(f"demo county built in {time.perf_counter() - started:.0f} s into {db.name}")
        return db.name


def copy_database(database_url: str, template: str, name: str) -> None:
    with _pg_admin_connect(database_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


# --- setup: filling the bigger database (run in a child process bound to it) --------------------------------


def fill(scale: str, source: str | None, people_per_village: int) -> dict[str, Any]:
    """Regions of the scale, people in every other county, module rows copied from the demo county."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cunshe.settings.local"
    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    from bench import generate

    out: dict[str, Any] = {}
    under = SCALES[scale]
    started = time.perf_counter()
    regions = generate.import_regions(under, source=source)
    out["regions_seconds"] = round(time.perf_counter() - started, 1)
    out["regions_created"] = regions.rows
    _log(f"regions of {scale or 'the country'}: {regions.rows} new rows in {out['regions_seconds']} s")
    started = time.perf_counter()
    people = 0
    if people_per_village:
        for county in generate.counties_under(under) if under else _all_counties():
            if county == COUNTY:
                continue  # the demo's own people are there
            people += generate.create_people(county, per_village=people_per_village, method="copy").rows
    out["people"] = people
    out["people_seconds"] = round(time.perf_counter() - started, 1)
    _log(f"people: {people} in {out['people_seconds']} s")
    started = time.perf_counter()
    out["modules"] = clone_modules(under)
    out["modules_seconds"] = round(time.perf_counter() - started, 1)
    out["module_rows"] = sum(t["rows"] for t in out["modules"]["tables"])
    _log(f"module rows copied: {out['module_rows']} in {out['modules_seconds']} s")
    started = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    out["analyze_seconds"] = round(time.perf_counter() - started, 1)
    return out


def _all_counties() -> list[str]:
    from cunshe.regions.models import Level, Region

    return list(Region.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", flat=True))


def _region_columns(model: Any) -> list[Any]:
    from cunshe.regions.models import Region

    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Region and not f.primary_key]


def clone_modules(under: str) -> dict[str, Any]:
    """Copy the demo county's module rows into every other county under `under` (see the module docstring)."""
    from django.apps import apps
    from django.db import connection, transaction

    from cunshe.regions.models import Level

    qn = connection.ops.quote_name
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in SKIP_APPS
        and m.__module__.startswith("cunshe.")
        and not m._meta.proxy
        and m._meta.managed
        and _region_columns(m)
        and m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    ]
    counties = [c for c in (_counties(under)) if c != COUNTY]
    demo_villages = _codes(COUNTY, Level.VILLAGE)
    demo_towns = _codes(COUNTY, Level.TOWN)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_region_map")
        cur.execute("CREATE UNLOGGED TABLE bench_region_map (k integer, old varchar(12), new varchar(12))")
        rows: list[tuple[int, str, str]] = []
        for k, county in enumerate(counties, start=1):
            rows.append((k, COUNTY, county))
            rows.append((k, COUNTY[:4], county[:4]))
            for old, new in zip(demo_towns, _codes(county, Level.TOWN), strict=False):
                rows.append((k, old, new))
            for old, new in zip(demo_villages, _codes(county, Level.VILLAGE), strict=False):
                rows.append((k, old, new))
        with cur.cursor.copy("COPY bench_region_map (k, old, new) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute("CREATE UNIQUE INDEX ON bench_region_map (k, old)")
        cur.execute("ANALYZE bench_region_map")
        # The stride of each copied table: above its largest id, so county k's copy of row n is n + k * stride.
        strides: dict[Any, int] = {}
        for model in models:
            cur.execute(f"SELECT coalesce(max(id), 0) FROM {qn(model._meta.db_table)}")
            strides[model] = int(cur.fetchone()[0]) + 1
    ordered = _dependency_order(models)
    done: set[Any] = set()  # tables actually copied: a foreign key to any other keeps pointing at the demo's row
    tables: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    for model in ordered:
        table = qn(model._meta.db_table)
        stride = strides[model]
        source_rows = model._default_manager.filter(**{f"{_region_columns(model)[0].name}__startswith": COUNTY}).count()
        if not source_rows or stride <= 1:
            continue
        columns, values, wheres = [], [], []
        region_fields = _region_columns(model)
        for f in model._meta.concrete_fields:
            col = qn(f.column)
            columns.append(col)
            if f.primary_key:
                values.append(f"t.{col} + c.k::bigint * {stride}")
            elif f in region_fields:
                values.append(f"(SELECT m.new FROM bench_region_map m WHERE m.k = c.k AND m.old = t.{col})")
                wheres.append(
                    f"(t.{col} IS NULL OR EXISTS (SELECT 1 FROM bench_region_map m WHERE m.k = c.k AND m.old = t.{col}))"
                )
            elif f.is_relation and (f.related_model in done or f.related_model is model):
                values.append(f"t.{col} + c.k::bigint * {strides[f.related_model]}")
                if f.related_model is not model:
                    # the parent's copy may be missing (a county with fewer towns): leave such a row out
                    parent = qn(f.related_model._meta.db_table)
                    wheres.append(
                        f"(t.{col} IS NULL OR EXISTS (SELECT 1 FROM {parent} p WHERE "
                        f"p.{qn(f.target_field.column)} = t.{col} + c.k::bigint * {strides[f.related_model]}))"
                    )
            elif f.unique and f.get_internal_type() in ("CharField", "SlugField") and f.max_length:
                # a number, a token, a code unique across the country: the county's copy gets its own (the demo's
                # value, cut to leave room, and the copy's number)
                values.append(f"left(t.{col}, {max(f.max_length - 6, 1)}) || '~' || lpad(c.k::text, 5, '0')")
            else:
                values.append(f"t.{col}")
        first = qn(region_fields[0].column)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} t "
            f"CROSS JOIN generate_series(1, {len(counties)}) AS c(k) "
            f"WHERE t.{first} LIKE '{COUNTY}%' AND {' AND '.join(wheres) if wheres else 'true'} "
            f"AND t.id < {stride}"
        )
        started = time.perf_counter()
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
                n = cur.rowcount
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        except Exception as exc:  # a unique constraint the copy breaks: say so, leave the table to the demo
            skipped.append({"table": model._meta.db_table, "error": str(exc).splitlines()[0][:200]})
            _log(f"  !! {model._meta.db_table} not copied: {skipped[-1]['error']}")
            continue
        done.add(model)
        tables.append(
            {
                "table": model._meta.db_table,
                "demo_rows": source_rows,
                "rows": n,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
        _log(f"  {model._meta.db_table}: {source_rows} demo rows → {n} copies ({tables[-1]['seconds']} s)")
    with connection.cursor() as cur:
        # Each county's record-book chain head, as the demo county's (the kept values sum the heads in scope).
        cur.execute(
            "INSERT INTO records_recordchain (chain, last_seq, last_hash) "
            "SELECT m.new, h.last_seq, h.last_hash FROM records_recordchain h JOIN bench_region_map m "
            "ON m.old = h.chain AND length(m.old) = 6 ON CONFLICT (chain) DO NOTHING"
        )
        cur.execute("DROP TABLE bench_region_map")
    return {"counties": len(counties), "tables": tables, "skipped": skipped}


def _counties(under: str) -> list[str]:
    from cunshe.regions.models import Level, Region

    qs = Region.objects.filter(level=Level.COUNTY)
    if under:
        qs = qs.filter(code__startswith=under)
    return list(qs.order_by("code").values_list("code", flat=True))


def _codes(county: str, level: int) -> list[str]:
    from cunshe.regions.models import Region

    return list(
        Region.objects.filter(code__startswith=county, level=level).order_by("code").values_list("code", flat=True)
    )


def _dependency_order(models: list[Any]) -> list[Any]:
    """Parents before children among the copied tables (the foreign keys are deferred, but a plain order reads
    better in the log)."""
    chosen = set(models)
    done: list[Any] = []
    seen: set[Any] = set()

    def visit(model: Any) -> None:
        if model in seen:
            return
        seen.add(model)
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in chosen and f.related_model is not model:
                visit(f.related_model)
        done.append(model)

    for model in sorted(models, key=lambda m: m._meta.db_table):
        visit(model)
    return done


# --- measuring: one worker process per database ---------------------------------------------------------------


def worker(database_url: str) -> None:
    """Answers requests on stdin (one JSON line each) with timings on stdout, against one database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.pages_site"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-scale-" + "k" * 60)
    os.environ["CUNSHE_SSL_REDIRECT"] = "0"
    import django

    django.setup()
    from datetime import date, timedelta

    from django.db import connection
    from django.test import Client

    from cunshe.accounts.models import User
    from cunshe.core.actors import SYSTEM
    from cunshe.people import id_numbers
    from cunshe.people.services import person_create
    from cunshe.regions.models import Level, Region

    client = Client(headers={"x-forwarded-proto": "https"}, HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="zzb"))
    villages = list(
        Region.objects.filter(code__startswith=COUNTY, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    from cunshe.people.models import Person

    changes = [Person.objects.filter(name="测试人员").count()]  # people made by earlier runs on this database

    def change() -> None:
        # A recorded change in the county: its chain moves, so every kept table of the county is stale.
        n = changes[0] = changes[0] + 1
        person_create(
            actor=SYSTEM,
            region_code=villages[n % len(villages)],
            id_number=id_numbers.make(COUNTY, date(1930, 1, 1) + timedelta(days=n // 90), 900 + n % 90),
            name="测试人员",
            ethnicity="汉族",
            education="high_school",
            is_party_member=False,
            phone="13800000000",
        )

    class Counter:
        n = 0

        def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            self.n += 1
            return execute(sql, params, many, context)

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        results = []
        for _ in range(ask["n"]):
            if ask["cold"]:
                change()
            counter = Counter()
            with connection.execute_wrapper(counter):
                wall0, cpu0 = time.perf_counter(), time.process_time()
                response = client.get(ask["path"])
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            if response.status_code != 200:
                results.append({"error": response.status_code})
                continue
            results.append({"wall_ms": wall * 1000, "cpu_ms": cpu * 1000, "queries": counter.n})
        print(json.dumps(results), flush=True)


class Worker:
    def __init__(self, label: str, database_url: str) -> None:
        self.label = label
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "worker", database_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=PROJECT_DIR,
        )
        ready = self._read()
        if not ready.get("ready"):
            raise RuntimeError(f"{label} worker did not start")

    def _read(self) -> Any:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(("{", "[")):
                return json.loads(line)
        raise RuntimeError(f"{self.label} worker ended")

    def ask(self, path: str, n: int, cold: bool) -> list[dict[str, Any]]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"path": path, "n": n, "cold": cold}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def measure_all(urls: dict[str, str], rounds: int, warm: int, cold: int, jsonl: Path | None, common: dict) -> None:
    workers = {label: Worker(label, url) for label, url in urls.items()}
    try:
        for _, path in TARGETS:  # first answers: templates, connections
            for w in workers.values():
                w.ask(path, 2, False)
        samples: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for _ in range(rounds):
            for name, path in TARGETS:
                for kind, n in (("cold", cold), ("warm", warm)):
                    for label, w in workers.items():
                        samples.setdefault((name, kind, label), []).extend(w.ask(path, n, kind == "cold"))
        _log(f"{'target':<24} {'kind':<5} " + " ".join(f"{lab + ' ms (cpu)':>22} {'q':>3}" for lab in urls) + "  ratio")
        first, second = list(urls)
        for name, path in TARGETS:
            for kind in ("cold", "warm"):
                row: dict[str, Any] = {"target": name, "path": path, "kind": kind}
                for label in urls:
                    got = samples[(name, kind, label)]
                    ok = [s for s in got if "error" not in s]
                    row[label] = {
                        "n": len(ok),
                        "errors": len(got) - len(ok),
                        "p50_ms": round(statistics.median(s["wall_ms"] for s in ok), 2) if ok else None,
                        "cpu_p50_ms": round(statistics.median(s["cpu_ms"] for s in ok), 2) if ok else None,
                        "queries": ok[-1]["queries"] if ok else None,
                    }
                a, b = row[first], row[second]
                row["ratio"] = round(b["p50_ms"] / a["p50_ms"], 2) if a["p50_ms"] and b["p50_ms"] else None
                row["cpu_ratio"] = (
                    round(b["cpu_p50_ms"] / a["cpu_p50_ms"], 2) if a["cpu_p50_ms"] and b["cpu_p50_ms"] else None
                )
                if name != TARGETS[0][0] or kind != "cold":
                    row["setup"] = None
                cells = " ".join(
                    f"{row[lab]['p50_ms']:>12} ({row[lab]['cpu_p50_ms']:>6}) {row[lab]['queries']:>3}" for lab in urls
                )
                emit(
                    {**common, **row, "load": round(os.getloadavg()[0], 2)},  # the setup on the run's first line
                    f"# {name:<24} {kind:<5} {cells}  {row['ratio']}",
                    jsonl,
                )
    finally:
        for w in workers.values():
            w.close()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        worker(argv[1])
        return 0
    if argv[:1] == ["fill"]:
        print(json.dumps(fill(argv[1], argv[2] or None, int(argv[3]))), flush=True)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="postgres://user:pass@host/admin_db")
    parser.add_argument("--scale", choices=sorted(SCALES), default="province")
    parser.add_argument("--source", default=None, help="folder with the five official region files")
    parser.add_argument("--people-per-village", type=int, default=5)
    parser.add_argument("--reuse", nargs=2, metavar=("COUNTY_DB", "BIG_DB"), help="measure databases kept earlier")
    parser.add_argument(
        "--county-db", help="a county database kept from an earlier run: the template, instead of building the demo"
    )
    parser.add_argument("--keep", action="store_true", help="keep both databases (printed at the end)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=10, help="repeat requests per round (default 10)")
    parser.add_argument("--cold", type=int, default=3, help="requests after a recorded change per round (default 3)")
    parser.add_argument("--label", default="")
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "scale.jsonl"))
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None
    setup: dict[str, Any] = {}
    if args.reuse:
        county_db, big_db = args.reuse
    elif args.county_db:
        county_db = args.county_db
    else:
        # The county database is built by a child process (Django binds one database per process).
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(PROJECT_DIR)!r}); from bench.scale import "
             f"setup_county; print('DB=' + setup_county({args.database_url!r}))"],
            cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
        )  # fmt: skip
        county_db = next(line[3:] for line in out.stdout.splitlines() if line.startswith("DB="))
        setup["county_seconds"] = round(time.perf_counter() - started, 1)
        _log(f"county database {county_db} in {setup['county_seconds']} s")
    if not args.reuse:
        big_db = f"cunshe_bench_{args.scale}_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
        copy_database(args.database_url, county_db, big_db)
        env = {**os.environ, "DATABASE_URL": _with_database(args.database_url, big_db)}
        started = time.perf_counter()
        filled = subprocess.run(
            [sys.executable, __file__, "fill", args.scale, args.source or "", str(args.people_per_village)],
            cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, text=True, check=True,
        )  # fmt: skip
        for line in filled.stdout.splitlines():
            if line.startswith("#"):
                print(line, flush=True)
        setup.update(json.loads(filled.stdout.splitlines()[-1]))
        setup["fill_seconds"] = round(time.perf_counter() - started, 1)
        _log(f"{args.scale} database {big_db} filled in {setup['fill_seconds']} s")
    urls = {
        "county": _with_database(args.database_url, county_db),
        args.scale: _with_database(args.database_url, big_db),
    }
    sizes = {}
    with _pg_admin_connect(args.database_url) as admin:
        for label, name in (("county", county_db), (args.scale, big_db)):
            sizes[label] = admin.execute("SELECT pg_database_size(%s)", (name,)).fetchone()[0]
    common = {
        "bench": "scale",
        "label": args.label,
        "scale": args.scale,
        "databases": {"county": county_db, args.scale: big_db},
        "database_bytes": sizes,
        "rounds": args.rounds,
        "warm": args.warm,
        "cold": args.cold,
        "setup": setup if setup else None,
        "code": code_version("cunshe/records/kept.py", "cunshe/command/selectors.py", "bench/scale.py"),
        "machine": machine(),
    }
    try:
        measure_all(urls, args.rounds, args.warm, args.cold, jsonl, common)
    finally:
        if args.keep or args.reuse:
            _log(f"kept databases: {county_db} {big_db}")
        else:
            from bench._env import _drop_pg_database

            for name in (big_db,) if args.county_db else (big_db, county_db):  # a --county-db is not ours to drop
                _drop_pg_database(args.database_url, name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
