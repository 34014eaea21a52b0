"""Benchmark data at county, province or national scale: the official regions, then sample people.

    .venv/bin/python bench/generate.py --scale county                      # 371681 邹平市, fresh SQLite temp file
    .venv/bin/python bench/generate.py --scale province --people-per-village 5
    .venv/bin/python bench/generate.py --scale national --database-url postgres://user:pass@127.0.0.1/postgres
    .venv/bin/python bench/generate.py --scale county --sqlite-path /tmp/county.sqlite3 --keep   # keep it for later

As a module, for later benchmarks (list pages, dashboards):

    from bench._env import fresh_database
    with fresh_database(database_url) as db:
        from bench import generate
        steps = generate.generate("province", people_per_village=5)   # or call the steps one by one:
        generate.import_regions(generate.SCALES["county"])
        generate.create_people(generate.SCALES["county"], per_village=5)

People are written with `Person.objects.bulk_create`: fast enough for millions of rows, and it is the BENCHMARK path
only. It skips what the application's write path, `cunshe.people.services.person_create`, does for each person:
the access check, validation, the optimistic-concurrency version and the record-book entry. Data made here is valid
(GB 11643 ID numbers with correct check characters, birth date and gender matching the number, unique numbers,
party-joining dates only for party members) but has no record-book history.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cunshe.core.actors import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import (
    RESULTS_DIR,
    Measurement,
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

# The scales named in ../shared/data/regions/README.md.
SCALES = {"county": "371681", "province": "37", "national": ""}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦"
    "付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红玲建国建华志强春梅海燕文学德福庆丰新民淑珍凤英立新永刚"
EDUCATION_WEIGHTS = (
    ("primary", 22),
    ("junior_high", 38),
    ("high_school", 15),
    ("secondary_vocational", 8),
    ("college", 9),
    ("bachelor", 7),
    ("postgraduate", 1),
)
OLDEST, YOUNGEST = date(1935, 1, 1), date(2022, 12, 31)
ADULT_BORN_BY = date(2004, 12, 31)  # adults get an education, a phone, maybe party membership
PARTY_JOINED_BY = date(2024, 6, 30)


@dataclass
class StepResult:
    """One step of the generator: what it made, how long it took, how much memory it needed."""

    step: str
    scale_under: str
    rows: int
    measurement: Measurement
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.measurement.seconds if self.measurement.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "under": self.scale_under or "national",
            "rows": self.rows,
            "rows_per_second": round(self.rows_per_second),
            **self.measurement.as_dict(),
            **self.details,
        }

    def human(self, vendor: str) -> str:
        m = self.measurement
        peak = f"peak RSS {m.peak_rss_mb:,.0f} MB" if m.peak_rss_mb is not None else f"maxrss {m.ru_maxrss_mb:,.0f} MB"
        return (
            f"# {vendor:<10} {self.scale_under or 'national':<9} {self.step:<15} {fmt_int(self.rows):>10} rows "
            f"{m.seconds:>8.2f} s {fmt_int(self.rows_per_second):>8} rows/s  {peak}  cpu {m.cpu_seconds:,.1f} s"
            + (f" + server {m.server_cpu_seconds:,.1f} s" if m.server_cpu_seconds is not None else "")
            + f", load {m.load_before}→{m.load_after}"
        )


# --- step 1: regions --------------------------------------------------------------------------------------


def import_regions(under: str, *, source: str | Path | None = None, trace: bool = False) -> StepResult:
    """Import the official regions under `under` (and its ancestors) with the application's importer."""
    from cunshe.regions.services import regions_import

    files = region_files(source)
    report, m = measure(lambda: regions_import(actor=SYSTEM, files=files, under=under), trace=trace)
    if report.bad_rows:
        raise RuntimeError(f"region import failed: {len(report.bad_rows)} bad rows, first: {report.bad_rows[0]}")
    return StepResult(
        "regions",
        under,
        report.total,
        m,
        {"created": report.created, "unchanged": report.unchanged, "per_level": dict(sorted(report.per_level.items()))},
    )


# --- step 2: people ---------------------------------------------------------------------------------------


def counties_under(under: str) -> list[str]:
    """County codes in scope, from the regions already in the database."""
    from cunshe.regions.models import Level, Region

    if len(under) >= 6:
        return [under[:6]]
    return list(
        Region.objects.filter(code__startswith=under, level=Level.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)
    )


def villages_of(county: str, under: str = "") -> list[str]:
    """Village codes of one county (restricted to `under` when it is below county level): one range of the
    (level, code) index."""
    from cunshe.regions.models import Level
    from cunshe.regions.selectors import region_subtree

    prefix = under if len(under) > 6 else county
    return list(region_subtree(prefix, level=Level.VILLAGE).order_by("code").values_list("code", flat=True))


class PersonFactory:
    """Deterministic sample people for one seed. ID numbers are unique per (county, birth date, sequence)."""

    def __init__(self, seed: int = 11643) -> None:
        self.rng = random.Random(seed)
        self.span_days = (YOUNGEST - OLDEST).days
        self.used: dict[tuple[date, int], int] = {}  # (birth date, parity) → sequences taken, for the current county
        self.county = ""
        educations, weights = zip(*EDUCATION_WEIGHTS, strict=True)
        self.educations, self.education_weights = list(educations), list(weights)
        from cunshe.people.models import ETHNICITIES

        self.minorities = [e for e in ETHNICITIES if e != "汉族"]

    def _sequence(self, county: str, born: date, male: bool) -> int | None:
        if county != self.county:
            self.county, self.used = county, {}
        parity = 1 if male else 0
        taken = self.used.get((born, parity), 0)
        # Men take 1, 3, … 999; women 2, 4, … 998 (000 is avoided): 500 and 499 people per county and birth date.
        sequence = 2 * taken + (1 if male else 2)
        if sequence > 999:
            return None
        self.used[(born, parity)] = taken + 1
        return sequence

    def values(self, village: str) -> dict[str, Any]:
        """Field values (by attname) of one new person in `village`."""
        from cunshe.people.id_numbers import make

        rng = self.rng
        county = village[:6]
        while True:
            born = OLDEST + timedelta(days=rng.randrange(self.span_days))
            male = rng.random() < 0.51
            sequence = self._sequence(county, born, male)
            if sequence is not None:
                break
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        adult = born <= ADULT_BORN_BY
        is_party_member = adult and rng.random() < 0.07
        joined = None
        if is_party_member:
            earliest = born + timedelta(days=18 * 366)
            joined = earliest + timedelta(days=rng.randrange(max(1, (PARTY_JOINED_BY - earliest).days)))
        return {
            "region_id": village,
            "name": name,
            "gender": "M" if male else "F",
            "birth_date": born,
            "ethnicity": "汉族" if rng.random() < 0.92 else rng.choice(self.minorities),
            "education": rng.choices(self.educations, self.education_weights)[0] if adult else "",
            "is_party_member": is_party_member,
            "party_joined_on": joined,
            "phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" if adult and rng.random() < 0.8 else "",
            "id_number": make(county, born, sequence),
        }

    def person(self, village: str) -> Any:
        """An unsaved Person in `village`."""
        from cunshe.people.models import Person

        return Person(**self.values(village))

    def people(self, villages: list[str], per_village: int) -> Iterator[dict[str, Any]]:
        for village in villages:
            for _ in range(per_village):
                yield self.values(village)


class BulkCreateWriter:
    """Person.objects.bulk_create: the ORM's bulk path (model instances, auto_now fields, returned ids)."""

    name = "bulk_create"

    def __init__(self, batch_size: int) -> None:
        from cunshe.people.models import Person

        self.model, self.batch_size = Person, batch_size

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.model.objects.bulk_create([self.model(**row) for row in rows], batch_size=self.batch_size)


class ExecuteManyWriter:
    """One prepared INSERT run with cursor.executemany over plain tuples, values adapted by each field's
    get_db_prep_save (as bulk_create would), without model instances or per-row SQL compilation."""

    name = "executemany"

    def __init__(self, batch_size: int) -> None:
        from django.db import connection

        from cunshe.people.models import Person

        self.connection = connection
        meta = Person._meta
        self.fields = [f for f in meta.concrete_fields if not f.primary_key]
        qn = connection.ops.quote_name
        self.sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in self.fields)}) "
            f"VALUES ({', '.join(['%s'] * len(self.fields))})"
        )

    # Values of these field types reach the driver unchanged; the others go through get_db_prep_save.
    PASS_THROUGH = frozenset({"CharField", "BooleanField", "ForeignKey", "PositiveIntegerField"})

    def write(self, rows: list[dict[str, Any]]) -> None:
        from django.utils import timezone

        now = timezone.now()
        constants = {"version": 1, "created_at": now, "updated_at": now}
        columns = []
        for f in self.fields:
            if f.attname in constants:
                value = f.get_db_prep_save(constants[f.attname], self.connection)
                columns.append([value] * len(rows))
            elif f.get_internal_type() in self.PASS_THROUGH:
                columns.append([row[f.attname] for row in rows])
            else:
                columns.append([f.get_db_prep_save(row[f.attname], self.connection) for row in rows])
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, list(zip(*columns, strict=True)))


class CopyWriter(ExecuteManyWriter):
    """PostgreSQL only: the same tuples through `COPY … FROM STDIN` (executemany sends one INSERT per row, which
    costs the server more than Django's UNNEST bulk insert; COPY costs it least)."""

    name = "copy"

    def __init__(self, batch_size: int) -> None:
        super().__init__(batch_size)
        if self.connection.vendor != "postgresql":
            raise ValueError("--method copy needs PostgreSQL")
        qn = self.connection.ops.quote_name
        from cunshe.people.models import Person

        self.copy_sql = f"COPY {qn(Person._meta.db_table)} ({', '.join(qn(f.column) for f in self.fields)}) FROM STDIN"

    def write(self, rows: list[dict[str, Any]]) -> None:
        from django.utils import timezone

        now = timezone.now()
        constants = {"version": 1, "created_at": now, "updated_at": now}
        with self.connection.cursor() as cursor, cursor.cursor.copy(self.copy_sql) as copy:
            for row in rows:
                copy.write_row([row[f.attname] if f.attname in row else constants[f.attname] for f in self.fields])


WRITERS = {"bulk_create": BulkCreateWriter, "executemany": ExecuteManyWriter, "copy": CopyWriter}


def create_people(
    under: str,
    *,
    per_village: int = 5,
    seed: int = 11643,
    batch_size: int = 5000,
    method: str = "bulk_create",
    trace: bool = False,
) -> StepResult:
    """Create `per_village` people in every village under `under` (benchmark path only, see the module docstring).

    `method` is "bulk_create" (Person.objects.bulk_create), "executemany" (same rows, one prepared INSERT; ~4x
    faster on SQLite) or "copy" (PostgreSQL COPY; fastest there), see bench/results/generate.jsonl. Commits every `batch_size` rows, so memory stays flat at any scale.
    Expects no generated people in scope yet (ID numbers would collide with an earlier run of the same seed)."""
    from django.db import transaction

    factory = PersonFactory(seed)
    writer = WRITERS[method](batch_size)
    counts = {"counties": 0, "villages": 0}

    def run() -> int:
        created = 0
        buffer: list[dict[str, Any]] = []

        def flush() -> None:
            nonlocal created, buffer
            with transaction.atomic():
                writer.write(buffer)
            created += len(buffer)
            buffer = []

        for county in counties_under(under):
            villages = villages_of(county, under)
            counts["counties"] += 1
            counts["villages"] += len(villages)
            for row in factory.people(villages, per_village):
                buffer.append(row)
                if len(buffer) >= batch_size:
                    flush()
        if buffer:
            flush()
        return created

    created, m = measure(run, trace=trace)
    return StepResult(
        "people",
        under,
        created,
        m,
        {"per_village": per_village, "seed": seed, "batch_size": batch_size, **counts, "path": writer.name},
    )


def check_people(under: str, *, sample: int = 1000) -> dict[str, Any]:
    """Count people under `under` through the prefix query; re-validate a random sample (full_clean, and the ID
    number's birth date and gender against the stored ones)."""
    from django.core.exceptions import ValidationError
    from django.db.models import Max, Min

    from cunshe.people import id_numbers
    from cunshe.people.models import Person

    in_scope = Person.objects.filter(region__startswith=under)
    start = time.perf_counter()
    total = in_scope.count()
    count_ms = (time.perf_counter() - start) * 1000
    plan = in_scope.order_by().values("id").explain()  # the plan of count(): no ORDER BY
    ids = Person.objects.filter(region__startswith=under).aggregate(low=Min("id"), high=Max("id"))
    picked: list[int] = []
    if ids["low"] is not None:
        span = range(ids["low"], ids["high"] + 1)
        picked = random.Random(0).sample(span, min(sample, len(span)))
    bad = 0
    for person in Person.objects.filter(pk__in=picked):
        parsed = id_numbers.parse(person.id_number)
        try:
            person.full_clean()  # field choices, lengths, the unique ID number, the region exists
        except ValidationError:
            bad += 1
            continue
        bad += parsed.birth_date != person.birth_date or parsed.gender != person.gender
    return {
        "people_under": total,
        "count_ms": round(count_ms, 2),
        "count_plan": plan,
        "sampled": len(picked),
        "sample_mismatches": bad,
    }


# --- everything -------------------------------------------------------------------------------------------


def generate(
    scale: str,
    *,
    people_per_village: int = 5,
    source: str | Path | None = None,
    seed: int = 11643,
    batch_size: int = 5000,
    method: str = "bulk_create",
    trace: bool = False,
) -> list[StepResult]:
    """Regions for the scale, then people; the database must be set up (see bench._env.fresh_database)."""
    under = SCALES[scale]
    steps = [import_regions(under, source=source, trace=trace)]
    if people_per_village > 0:
        steps.append(
            create_people(
                under, per_village=people_per_village, seed=seed, batch_size=batch_size, method=method, trace=trace
            )
        )
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scale", choices=sorted(SCALES), default="county", help="county 371681, province 37, national"
    )
    parser.add_argument("--people-per-village", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11643)
    parser.add_argument("--batch-size", type=int, default=5000, help="rows per bulk_create and per commit")
    parser.add_argument(
        "--method",
        choices=sorted(WRITERS),
        default="bulk_create",
        help="how people are written: Person.objects.bulk_create, plain executemany (faster on SQLite), "
        "or COPY (PostgreSQL only, fastest there)",
    )
    parser.add_argument("--source", default=None, help="folder with the five official region files")
    parser.add_argument("--database-url", default=None, help="postgres://user:pass@host/admin_db (fresh db created)")
    parser.add_argument("--sqlite-path", default=None, help="SQLite file to create instead of a temp file")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (for later benchmarks)")
    parser.add_argument("--debug", action="store_true", help="keep DEBUG=True from cunshe.settings.local")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations (slower)")
    parser.add_argument(
        "--jsonl", default=str(RESULTS_DIR / "generate.jsonl"), help="append JSON lines here ('' for stdout only)"
    )
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None
    with fresh_database(args.database_url, keep=args.keep, sqlite_path=args.sqlite_path, debug=args.debug) as db:
        steps = generate(
            args.scale,
            people_per_village=args.people_per_village,
            source=args.source,
            seed=args.seed,
            batch_size=args.batch_size,
            method=args.method,
            trace=args.tracemalloc,
        )
        under = SCALES[args.scale]
        checks = check_people(under) if args.people_per_village > 0 else {}
        size = database_size_bytes()
        for step in steps:
            rec = {
                "bench": "generate",
                "scale": args.scale,
                "db": db.vendor,
                "server": server_version(),
                "server_settings": server_settings(),
                "tracemalloc": args.tracemalloc,
                **step.as_dict(),
                "code": code_version("cunshe/regions/services.py", "cunshe/people/models.py", "bench/generate.py"),
                "machine": machine(),
            }
            if step.step == "people":
                rec.update(checks)
                rec["database_bytes"] = size
            emit(rec, step.human(db.vendor), jsonl)
        if args.keep:
            print(f"# kept database: {db.name}" + (f" ({db.url})" if db.url else ""))
        ok = not checks or (checks["sample_mismatches"] == 0 and checks["people_under"] == steps[-1].rows)
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
