"""CPU time per request of each page family beside the bare view, in one process (Django's test client, the settings
of bench/pages.py), with an optional cProfile of each page (issue 15).

    cp /tmp/demo.sqlite3 /tmp/prof.sqlite3      # a demo database made by `pages.py --demo-copy /tmp/demo.sqlite3`
    CUNSHE_SQLITE_PATH=/tmp/prof.sqlite3 .venv/bin/python bench/pages_cpu.py             # every page, 20 requests
    CUNSHE_SQLITE_PATH=/tmp/prof.sqlite3 .venv/bin/python bench/pages_cpu.py --profile rollup ledger

On a machine shared with other work, wall-clock rates say as much about the neighbours as about the code; the
process's own CPU seconds per request (`time.process_time`) hardly do, so before/after comparisons of a change are
made with this script (run the two checkouts alternately) and pages.py gives the figures under load. The ratio is
CPU of the bare signed-in view / CPU of the page; it leaves out gunicorn's own cost per request, which pages.py
includes, so its ratios are lower than pages.py's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import BARE, SECRET, Target, targets


class QueryCounter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.n += 1
        return execute(sql, params, many, context)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="only targets whose name has one of these words")
    parser.add_argument(
        "--path",
        action="append",
        default=[],
        help="also measure this path as the county organizer (zzb), or as ACCOUNT with ACCOUNT=PATH; repeatable",
    )
    parser.add_argument("--requests", type=int, default=20, help="requests per target (default 20)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each target")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats: cumulative, tottime, ...)")
    parser.add_argument("--lines", type=int, default=40, help="the profile's number of lines (default 40)")
    parser.add_argument("--callers", default="", help="with --profile: who calls the functions matching this")
    args = parser.parse_args(argv)
    if not os.environ.get("CUNSHE_SQLITE_PATH"):
        parser.error("set CUNSHE_SQLITE_PATH to a copy of a demo database (pages.py --demo-copy)")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.pages_site"
    os.environ["DJANGO_SECRET_KEY"] = SECRET
    os.environ["CUNSHE_SSL_REDIRECT"] = "0"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client

    from cunshe.accounts.models import User
    from cunshe.accounts.services import token_issue

    clients: dict[str, Client] = {}
    token = ""

    def client_for(account: str, api: bool) -> Client:
        nonlocal token
        if api:
            if not token:
                with transaction.atomic():
                    _, token = token_issue(user=User.objects.get(username=account), name="pages_cpu")
            return Client(
                headers={"x-forwarded-proto": "https", "authorization": f"Bearer {token}"}, HTTP_HOST="127.0.0.1"
            )
        key = account or "-"
        if key not in clients:
            clients[key] = Client(headers={"x-forwarded-proto": "https"}, HTTP_HOST="127.0.0.1")
            if account:
                clients[key].force_login(User.objects.get(username=account))
        return clients[key]

    chosen = [
        t
        for t in targets()
        if t.name == "bare signed-in" or (not args.path and not args.words) or any(w in t.name for w in args.words)
    ]
    for said in args.path:  # pages outside the measured families (every module's index, found one by one)
        account, _, path = ("zzb", "", said) if said.startswith("/") else said.partition("=")
        chosen.append(Target(path, path, account))
    bare_cpu = 0.0
    print(f"# {'target':<28} {'cpu ms':>8} {'wall ms':>8} {'queries':>7} {'ratio':>6}", flush=True)
    for t in chosen:
        c = client_for(t.account, t.token)
        for _ in range(2):  # warm: template loaders, the home page's summary
            response = c.get(t.path)
            if response.status_code != 200:
                raise RuntimeError(f"{t.name}: {t.path} answered {response.status_code}")
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            c.get(t.path)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            c.get(t.path)
        cpu = (time.process_time() - cpu0) / args.requests * 1000
        wall = (time.perf_counter() - wall0) / args.requests * 1000
        if t.path == BARE and t.account:
            bare_cpu = cpu
        ratio = bare_cpu / cpu if bare_cpu and cpu else 0.0
        print(f"# {t.name:<28} {cpu:>8.2f} {wall:>8.2f} {counter.n:>7} {ratio:>6.2f}", flush=True)
        if args.profile and t.path != BARE:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                c.get(t.path)
            profile.disable()
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
            if args.callers:
                stats.print_callers(args.callers)
            else:
                stats.print_stats(args.lines)
            print(out.getvalue(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
