"""What every benchmark needs before and around Django: a fresh database, timing and memory measurement.

Django reads DATABASES once, when settings are imported, so a process gets one database: call
`fresh_database()` before anything imports Django models, then import the project modules inside it.

    with fresh_database(database_url=None) as db:   # SQLite in a temp file, migrated
        from cunshe.regions.services import regions_import
        ...
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_SOURCE = (PROJECT_DIR.parent / "shared" / "data" / "regions").resolve()
RESULTS_DIR = BENCH_DIR / "results"
REGION_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv.gz")

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))


def region_files(source: str | Path | None = None) -> list[Path]:
    """The five official files, parents first; raises if one is missing."""
    folder = Path(source) if source else DEFAULT_SOURCE
    paths = [folder / name for name in REGION_FILES]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError("region files not found: " + ", ".join(missing))
    return paths


# --- database ---------------------------------------------------------------------------------------------


@dataclass
class Database:
    vendor: str  # "sqlite" or "postgresql"
    name: str  # file path or database name
    url: str | None = None  # the DATABASE_URL Django uses (PostgreSQL only)
    kept: bool = False

    def describe(self) -> dict[str, Any]:
        return {"vendor": self.vendor, "name": self.name}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _pg_admin_connect(url: str) -> Any:
    import psycopg

    # The URL's own database (default "postgres") is only used to CREATE / DROP the benchmark database.
    parts = urlsplit(url)
    admin_db = parts.path.lstrip("/") or "postgres"
    return psycopg.connect(
        _with_database(url, admin_db).replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    )


@contextlib.contextmanager
def fresh_database(
    database_url: str | None = None,
    *,
    keep: bool = False,
    sqlite_path: str | Path | None = None,
    migrate: bool = True,
) -> Iterator[Database]:
    """A new, empty, migrated database for this process, removed afterwards unless `keep`.

    - no `database_url`: SQLite in a temporary directory (or at `sqlite_path`, which must not exist yet);
    - `database_url` = postgres://user:pass@host/admin_db: CREATE DATABASE cunshe_bench_<time>_<pid> using that
      connection, point Django at it, DROP it at the end.
    """
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cunshe.settings.local"
    created_dir: str | None = None
    if database_url:
        name = f"cunshe_bench_{datetime.now():%Y%m%d_%H%M%S}_{os.getpid()}"
        with _pg_admin_connect(database_url) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = _with_database(database_url, name)
        os.environ["DATABASE_URL"] = url
        db = Database("postgresql", name, url, keep)
    else:
        os.environ.pop("DATABASE_URL", None)
        if sqlite_path:
            path = Path(sqlite_path).resolve()
            if path.exists():
                raise FileExistsError(f"{path} exists; the benchmark wants a fresh database")
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            created_dir = tempfile.mkdtemp(prefix="cunshe-bench-")
            path = Path(created_dir) / "bench.sqlite3"
        os.environ["CUNSHE_SQLITE_PATH"] = str(path)
        db = Database("sqlite", str(path), None, keep)
    try:
        django.setup()
        if migrate:
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        yield db
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            if db.vendor == "postgresql":
                with _pg_admin_connect(database_url or "") as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
            elif created_dir:
                shutil.rmtree(created_dir, ignore_errors=True)
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(db.name + suffix).unlink(missing_ok=True)


def database_size_bytes() -> int | None:
    """Size of the current database (after a WAL checkpoint on SQLite)."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_database_size(current_database())")
            return int(cur.fetchone()[0])
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("PRAGMA page_count")
            pages = cur.fetchone()[0]
            cur.execute("PRAGMA page_size")
            return int(pages * cur.fetchone()[0])
    return None


def server_version() -> str:
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return f"PostgreSQL {cur.fetchone()[0]}"


# --- measuring --------------------------------------------------------------------------------------------


def _status_kib(key: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets the high-water mark (VmHWM, and with it ru_maxrss)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


@dataclass
class Measurement:
    seconds: float = 0.0
    rss_before_mb: float | None = None
    peak_rss_mb: float | None = None  # peak resident set during the step (VmHWM after a reset)
    ru_maxrss_mb: float = 0.0  # process-wide getrusage peak, read after the step
    tracemalloc_peak_mb: float | None = None  # Python-heap peak during the step (only with tracemalloc on)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "seconds": round(self.seconds, 3),
            "rss_before_mb": self.rss_before_mb,
            "peak_rss_mb": self.peak_rss_mb,
            "peak_rss_growth_mb": (
                round(self.peak_rss_mb - self.rss_before_mb, 1)
                if self.peak_rss_mb is not None and self.rss_before_mb is not None
                else None
            ),
            "ru_maxrss_mb": self.ru_maxrss_mb,
            "tracemalloc_peak_mb": self.tracemalloc_peak_mb,
        }
        out.update(self.extra)
        return out


def measure[T](step: Callable[[], T], *, trace: bool = False) -> tuple[T, Measurement]:
    """Run `step` once; wall-clock seconds, peak RSS during it, and (if `trace`) the tracemalloc peak.

    tracemalloc makes allocation-heavy code 2-3x slower, so its runs are for memory, not for time.
    """
    import gc

    gc.collect()
    m = Measurement()
    reset = _reset_peak_rss()
    rss = _status_kib("VmRSS")
    m.rss_before_mb = round(rss / 1024, 1) if rss is not None else None
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
    start = time.perf_counter()
    try:
        result = step()
    finally:
        m.seconds = time.perf_counter() - start
        if trace:
            m.tracemalloc_peak_mb = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
    hwm = _status_kib("VmHWM") if reset else None
    m.peak_rss_mb = round(hwm / 1024, 1) if hwm is not None else None
    # ru_maxrss is in KiB on Linux.
    m.ru_maxrss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result, m


def machine() -> dict[str, Any]:
    try:
        with open("/proc/meminfo") as info:
            total_kib = int(info.readline().split()[1])
    except OSError:
        total_kib = 0
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(total_kib / 2**20, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def emit(record: dict[str, Any], human: str, jsonl: Path | None) -> None:
    """One JSON line and one human-readable row on stdout; the JSON line is also appended to `jsonl`."""
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), **record}
    line = json.dumps(record, ensure_ascii=False, default=str)
    print(line, flush=True)
    print(human, flush=True)
    if jsonl is not None:
        jsonl.parent.mkdir(parents=True, exist_ok=True)
        with jsonl.open("a", encoding="utf-8") as out:
            out.write(line + "\n")


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"
