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
import threading
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
    debug: bool = False,
) -> Iterator[Database]:
    """A new, empty, migrated database for this process, removed afterwards unless `keep`.

    - no `database_url`: SQLite in a temporary directory (or at `sqlite_path`, which must not exist yet);
    - `database_url` = postgres://user:pass@host/admin_db: CREATE DATABASE cunshe_bench_<time>_<pid> using that
      connection, point Django at it, DROP it at the end.

    cunshe.settings.local has DEBUG = True, which makes Django keep every SQL statement (with its parameters
    quoted into text) in connection.queries; that costs time and memory no production import pays. `debug=False`
    (the default) turns DEBUG off after setup so the numbers match production; `debug=True` keeps local's value.
    """
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cunshe.settings.local"
    created_dir: str | None = None
    if database_url:
        name = f"cunshe_bench_{datetime.now(UTC):%Y%m%d_%H%M%S}_{os.getpid()}"
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
        if not debug:
            from django.conf import settings

            settings.DEBUG = False
        if migrate:
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        yield db
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            if db.vendor == "postgresql":
                _drop_pg_database(database_url or "", db.name)
            elif created_dir:
                shutil.rmtree(created_dir, ignore_errors=True)
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(db.name + suffix).unlink(missing_ok=True)


def _drop_pg_database(url: str, name: str) -> None:
    """DROP DATABASE ends autovacuum workers itself; WITH (FORCE) would also need the right to signal them (a
    superuser's processes), which a CREATEDB role lacks. So: plain DROP, retried briefly, FORCE as a last resort."""
    import psycopg

    with _pg_admin_connect(url) as admin:
        for attempt in range(10):
            try:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.5 * (attempt + 1))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def server_settings() -> dict[str, str]:
    """The settings that decide write speed: SQLite pragmas, or PostgreSQL's memory and durability knobs."""
    from django.db import connection

    out: dict[str, str] = {}
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for pragma in ("journal_mode", "synchronous", "cache_size", "foreign_keys"):
                cur.execute(f"PRAGMA {pragma}")
                out[pragma] = str(cur.fetchone()[0])
        elif connection.vendor == "postgresql":
            for name in (
                "shared_buffers",
                "work_mem",
                "maintenance_work_mem",
                "synchronous_commit",
                "fsync",
                "max_wal_size",
                "lc_collate",
            ):
                cur.execute(f"SHOW {name}")
                out[name] = str(cur.fetchone()[0])
    return out


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


def _backend_pid() -> int | None:
    """PostgreSQL: the server process serving Django's connection (None for SQLite, or if Django isn't set up)."""
    try:
        from django.db import connection

        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            return int(cur.fetchone()[0])
    except Exception:
        return None


def _process_cpu(pid: int | None) -> float | None:
    """utime + stime of a local process, from /proc (needs the same machine and the right to read it)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


@dataclass
class Measurement:
    seconds: float = 0.0
    rss_before_mb: float | None = None
    peak_rss_mb: float | None = None  # peak resident set during the step (VmHWM after a reset)
    ru_maxrss_mb: float = 0.0  # process-wide getrusage peak, read after the step
    tracemalloc_peak_mb: float | None = None  # Python-heap peak during the step (only with tracemalloc on)
    cpu_seconds: float = 0.0  # user + system CPU of this process during the step
    server_cpu_seconds: float | None = None  # PostgreSQL: CPU of this connection's backend process (same machine)
    load_before: float | None = None  # 1-minute load average: the machine is shared, so say how busy it was
    load_after: float | None = None
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
            "cpu_seconds": round(self.cpu_seconds, 3),
            "server_cpu_seconds": round(self.server_cpu_seconds, 3) if self.server_cpu_seconds is not None else None,
            "load_before": self.load_before,
            "load_after": self.load_after,
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
    m.load_before = _load()
    if trace:
        tracemalloc.start()
        tracemalloc.reset_peak()
    backend = _backend_pid()
    server_before = _process_cpu(backend)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    try:
        result = step()
    finally:
        m.seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
        m.cpu_seconds = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
        server_after = _process_cpu(backend)
        if server_before is not None and server_after is not None:
            m.server_cpu_seconds = server_after - server_before
        m.load_after = _load()
        if trace:
            m.tracemalloc_peak_mb = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
    hwm = _status_kib("VmHWM") if reset else None
    m.peak_rss_mb = round(hwm / 1024, 1) if hwm is not None else None
    # ru_maxrss is in KiB on Linux.
    m.ru_maxrss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result, m


def code_version(*paths: str) -> dict[str, str]:
    """The commit the tree is at, and a short hash of the files a benchmark exercises (the tree is shared and
    changes under a long campaign; this says which importer a number belongs to)."""
    import hashlib
    import subprocess

    out: dict[str, str] = {}
    try:
        out["head"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["head"] = "?"
    for path in paths:
        file = PROJECT_DIR / path
        out[path] = hashlib.sha256(file.read_bytes()).hexdigest()[:12] if file.exists() else "missing"
    return out


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


def run_threads(threads: list[threading.Thread]) -> float:
    """Start the threads together, wait for all; the seconds it took (the load generators of pages.py, writes.py)."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(ordered: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank); 0.0 for no values."""
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0
