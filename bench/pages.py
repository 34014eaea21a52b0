"""Pages as a browser sees them: gunicorn (2 sync workers, production settings) and a load generator, each page
family beside a bare view with the same middleware (issue 15).

    .venv/bin/python bench/pages.py                                  # SQLite, demo county, ~2-3 minutes
    .venv/bin/python bench/pages.py --database-url postgres://cunshe:…@127.0.0.1:5432/postgres
    .venv/bin/python bench/pages.py --duration 2 --rounds 1 --only bare,home   # quicker

1. A fresh database (SQLite in a temp file, or a new PostgreSQL database) gets the demo county (`build_demo`, the
   same as `run.py demo`); each demo account gets a signed-in session, the county organizer an API token.
2. gunicorn serves `cunshe.wsgi` with `bench.pages_site` (production settings plus `/__bench__/bare/`, a view that
   touches neither the database nor a template) on 127.0.0.1, 2 sync workers.
3. Every target is checked once (status 200), then the targets are loaded in turn, `--rounds` times
   (alternating, so a busy neighbour on the shared machine hits all of them alike), `--duration` seconds each with
   `--connections` keep-alive connections: `wrk` (Debian: `apt-get install -y wrk`) or, when wrk is missing, a
   bounded Python client (threads, http.client) — the script says which. rps, p50 and p99 are the medians over the
   rounds; `ratio` is rps / rps of the signed-in bare view.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import PROJECT_DIR, RESULTS_DIR, code_version, emit, fresh_database, machine, percentile, run_threads

COUNTY, TOWN = "371681", "371681001"
BARE = "/__bench__/bare/"
SECRET = "bench-pages-" + "k" * 60  # production settings want ≥ 50 characters; sessions are signed with it


@dataclass
class Target:
    name: str
    path: str
    account: str = ""  # demo username whose session cookie is sent; "" = anonymous
    token: bool = False  # API: Authorization: Bearer <token of the account>


def targets() -> list[Target]:
    return [
        Target("bare anonymous", BARE),
        Target("bare signed-in", BARE, "zzb"),
        Target("login page", "/accounts/login/"),
        Target("home county organizer", "/home/", "zzb"),
        Target("home town officer", "/home/", "daixi"),
        Target("home village cadre", "/home/", "cungb"),
        Target("home reviewer", "/home/", "gongan"),
        Target("list commitments ledger", "/commitments/", "zzb"),
        Target("list people", "/people/", "zzb"),
        Target("list term changes", "/termchanges/", "zzb"),
        Target("rollup commitments county", f"/commitments/rollup/{COUNTY}/", "zzb"),
        Target("rollup 两票一度 county", f"/assessments/overview/{COUNTY}/", "zzb"),
        Target("rollup visit coverage", "/visits/", "zzb"),
        Target("rollup issue board", "/issueboard/", "zzb"),
        Target("rollup readiness", "/readiness/", "zzb"),
        Target("command county", f"/command/{COUNTY}/", "zzb"),
        Target("list elections", "/elections/", "zzb"),
        Target("board election day", "/counts/board/", "zzb"),
        Target("list requests", "/requests/", "zzb"),
        Target("api commitments list", "/api/v1/commitments?limit=200", "zzb", token=True),
        Target("api people list", "/api/v1/people", "zzb", token=True),
    ]


# --- setup (in this process, before gunicorn starts) -----------------------------------------------------------


def build(
    database_url: str | None, sqlite_path: Path | None, demo_copy: Path | None = None
) -> tuple[dict[str, str], str, dict[str, Any]]:
    """The demo county in a fresh database; session cookies per demo account and one API token.

    SQLite with `demo_copy`: the demo is built once into that file and copied from it on later runs (building the
    demo takes a minute or two on a busy machine; the pages measured do not change it)."""
    os.environ["DJANGO_SECRET_KEY"] = SECRET
    if sqlite_path is not None and demo_copy is not None and demo_copy.exists():
        shutil.copyfile(demo_copy, sqlite_path)
        return _sign_in(sqlite_path)
    with fresh_database(database_url, keep=True, sqlite_path=sqlite_path) as db:
        from django.db import transaction
        from django.test import Client

        from cunshe.accounts.models import User
        from cunshe.accounts.services import token_issue
        from cunshe.demo.county import build_demo

        started = time.perf_counter()
        accounts = build_demo()
        built = time.perf_counter() - started
        cookies: dict[str, str] = {}
        for account in accounts:
            client = Client()
            client.force_login(User.objects.get(username=account.username))
            cookies[account.username] = client.cookies["sessionid"].value
        with transaction.atomic():  # the service records the issue in the record book, inside its transaction
            _, token = token_issue(user=User.objects.get(username="zzb"), name="bench")
        info = {"database": db.describe(), "url": db.url, "demo_build_seconds": round(built, 1)}
    if sqlite_path is not None and demo_copy is not None:
        shutil.copyfile(sqlite_path, demo_copy)
    return cookies, token, info


def _sign_in(sqlite_path: Path | None, database_url: str | None = None) -> tuple[dict[str, str], str, dict[str, Any]]:
    """A copy of a demo database (SQLite), or a PostgreSQL database that holds the demo county (`--reuse`: one kept
    by scale.py, at county, province or national size): migrate (the code may have moved on), then sessions and a
    token as in build()."""
    import django

    os.environ["DJANGO_SECRET_KEY"] = SECRET  # the sessions must read under gunicorn's settings
    os.environ["DJANGO_SETTINGS_MODULE"] = "cunshe.settings.local"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CUNSHE_SQLITE_PATH"] = str(sqlite_path)
    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction
    from django.test import Client

    from cunshe.accounts.models import User
    from cunshe.accounts.services import token_issue
    from cunshe.demo.county import demo_accounts

    call_command("migrate", verbosity=0, interactive=False)
    cookies: dict[str, str] = {}
    for account in demo_accounts():
        client = Client()
        client.force_login(User.objects.get(username=account.username))
        cookies[account.username] = client.cookies["sessionid"].value
    with transaction.atomic():
        _, token = token_issue(user=User.objects.get(username="zzb"), name="bench")
    connections.close_all()
    if database_url:
        return (
            cookies,
            token,
            {
                "database": {"vendor": "postgresql", "name": database_url.rsplit("/", 1)[-1]},
                "url": database_url,
                "reused": True,
            },
        )
    return cookies, token, {"database": {"vendor": "sqlite", "name": str(sqlite_path)}, "url": None}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(port: int, env_db: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **env_db,
        "DJANGO_SETTINGS_MODULE": "bench.pages_site",
        "DJANGO_SECRET_KEY": SECRET,
        "CUNSHE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    # As docs/deploy.md section 4, without --max-requests (a worker restart mid-run is an import, not a page) and
    # without the access log (nginx keeps it in front).
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "cunshe.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
    ]
    log = open(Path(tempfile.gettempdir()) / f"cunshe-pages-gunicorn-{port}.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, env=env, start_new_session=True, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{BARE}", timeout=5) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited on start")
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop_gunicorn(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# --- load ---------------------------------------------------------------------------------------------------------


def headers_for(t: Target, cookies: dict[str, str], token: str) -> dict[str, str]:
    h = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    if t.token:
        h["Authorization"] = f"Bearer {token}"
    elif t.account:
        h["Cookie"] = f"sessionid={cookies[t.account]}"
    return h


def warm(port: int, t: Target, headers: dict[str, str], workers: int, batches: int = 3) -> float:
    """The target answers 200 in every worker: `batches` times, `workers` requests at once over new connections (a
    sync worker serves one at a time, so requests in flight together land in different workers; one after another
    they mostly landed in the same one, and the other worker's first view — its templates, its kept values, a
    minute's rebuild — fell inside the measured window, where one 0.5 s build was a 3-s round's p99). Returns the
    slowest answer of the first batch in ms: a first view when the page was not kept yet."""
    slowest = [0.0]
    failed: list[str] = []

    def one() -> None:
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", t.path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        conn.close()
        slowest[0] = max(slowest[0], (time.perf_counter() - started) * 1000)
        if r.status != 200:
            failed.append(f"{t.name}: {t.path} answered {r.status}: {body[:200]!r}")

    first = 0.0
    for batch in range(batches):
        run_threads([threading.Thread(target=one) for _ in range(workers)])
        if failed:
            raise RuntimeError(failed[0])
        if batch == 0:
            first = slowest[0]
    return first


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNIT[m.group(2)]


def run_wrk(port: int, t: Target, headers: dict[str, str], duration: float, connections: int) -> dict[str, Any]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "30s", "--latency"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{t.path}"], capture_output=True, text=True, check=True)
    text = out.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "rps": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def run_python(port: int, t: Target, headers: dict[str, str], duration: float, connections: int) -> dict[str, Any]:
    """Bounded fallback: `connections` threads, each a keep-alive connection, for `duration` seconds."""
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        wrong = 0
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            conn.request("GET", t.path, headers=headers)
            r = conn.getresponse()
            r.read()
            mine.append((time.perf_counter() - start) * 1000)
            wrong += r.status >= 400
        conn.close()
        with lock:
            latencies.extend(mine)
            bad[0] += wrong

    elapsed = run_threads([threading.Thread(target=worker) for _ in range(connections)])
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5),
        "p99_ms": percentile(latencies, 0.99),
        "non_2xx": bad[0],
        "socket_errors": 0,
    }


# --- main ---------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or None)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per target per round (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over all targets (default 2)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent keep-alive connections (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--only", default="", help="comma-separated words; a target runs if its name has one")
    parser.add_argument("--python-client", action="store_true", help="use the Python client even if wrk exists")
    parser.add_argument("--demo-copy", default="", help="SQLite: build the demo once into FILE, copy it later")
    parser.add_argument(
        "--reuse", default="", help="PostgreSQL URL of a database holding the demo county (kept by scale.py); kept"
    )
    parser.add_argument("--label", default="", help="a note stored with the results (e.g. before / after)")
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "pages.jsonl"))
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None

    wrk = shutil.which("wrk")
    if args.python_client or not wrk:
        if not wrk:
            print("# wrk not found (Debian: apt-get install -y wrk): using the bounded Python client", flush=True)
        runner, client = run_python, "python"
    else:
        runner, client = run_wrk, "wrk"

    chosen = targets()
    if args.only:
        words = [w.strip() for w in args.only.split(",") if w.strip()]
        chosen = [t for t in chosen if t.name == "bare signed-in" or any(w in t.name for w in words)]

    tmp = Path(tempfile.mkdtemp(prefix="cunshe-pages-"))
    proc = None
    info: dict[str, Any] = {}
    try:
        if args.reuse:
            cookies, token, info = _sign_in(None, args.reuse)
        else:
            cookies, token, info = build(
                args.database_url,
                None if args.database_url else tmp / "bench.sqlite3",
                Path(args.demo_copy) if args.demo_copy else None,
            )
        env_db = {"DATABASE_URL": info["url"]} if info["url"] else {"CUNSHE_SQLITE_PATH": str(tmp / "bench.sqlite3")}
        if not info["url"]:
            os.environ.pop("DATABASE_URL", None)
        port = free_port()
        proc = start_gunicorn(port, env_db, args.workers)
        runs: dict[str, list[dict[str, Any]]] = {t.name: [] for t in chosen}
        first_views: dict[str, list[float]] = {t.name: [] for t in chosen}
        for _ in range(args.rounds):
            for t in chosen:
                # warmed right before its window: a page kept on the minute is cold again a round later
                first_views[t.name].append(warm(port, t, headers_for(t, cookies, token), args.workers))
                runs[t.name].append(runner(port, t, headers_for(t, cookies, token), args.duration, args.connections))
        common = {
            "bench": "pages",
            "label": args.label,
            "client": client,
            "vendor": info["database"]["vendor"],
            "workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "load": round(os.getloadavg()[0], 2),
            "database": info["database"]["name"] if info.get("reused") else "",
            "code": code_version("cunshe/settings/base.py", "cunshe/web/views.py", "cunshe/deadlines/work_items.py"),
            "machine": machine(),
        }
        base = statistics.median(r["rps"] for r in runs["bare signed-in"])
        print(
            f"# {info['database']['vendor']}, {client}, {args.workers} workers, {args.connections} connections, "
            f"{args.rounds}×{args.duration:g} s; ratio = rps / rps(bare signed-in)",
            flush=True,
        )
        print(
            f"# {'target':<28} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'p99/p50':>7} {'first ms':>8}",
            flush=True,
        )
        for t in chosen:
            rs = runs[t.name]
            rps = statistics.median(r["rps"] for r in rs)
            p50 = statistics.median(r["p50_ms"] for r in rs)
            p99 = statistics.median(r["p99_ms"] for r in rs)
            errors = sum(r["non_2xx"] + r["socket_errors"] for r in rs)
            first = max(first_views[t.name])  # the slowest first view of a round: a cold page's cost, kept apart
            record = {
                **common,
                "target": t.name,
                "path": t.path,
                "rps": round(rps, 1),
                "p50_ms": round(p50, 2),
                "p99_ms": round(p99, 2),
                "ratio": round(rps / base, 2) if base else None,
                "first_view_ms": round(first, 1),
                "errors": errors,
                "runs": rs,
            }
            flag = f"  !! {errors} errors" if errors else ""
            human = (
                f"# {t.name:<28} {rps:>8.1f} {p50:>8.2f} {p99:>8.2f} {rps / base:>6.2f} "
                f"{(p99 / p50 if p50 else 0):>7.1f} {first:>8.1f}{flag}"
            )
            emit(record, human, jsonl)
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        if info.get("url") and not info.get("reused"):
            from bench._env import _drop_pg_database

            _drop_pg_database(args.database_url or "", info["database"]["name"])
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
