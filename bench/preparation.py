"""Term-change preparation dashboards (visit coverage, issue board, readiness, 两票一度) with a province's data.

    .venv/bin/python bench/preparation.py                        # Shandong (64,095 regions) into SQLite
    .venv/bin/python bench/preparation.py --under 371681         # one county
    .venv/bin/python bench/preparation.py --database-url postgres://cunshe:…@127.0.0.1:5432/postgres

The regions are imported with the real importer and a term change is opened in every county through the service.
Then every village gets the rows a busy preparation leaves behind — the roll-up rows the services keep (visit
coverage per group, issue tallies, readiness rows, 两票一度 summaries) and the raw issues and work-plan tasks the
overdue counts come from — written with bulk_create (benchmark path only: through the services a province would
take hours, and the dashboards read the same rows either way). About a third of the open issues and of the unfinished
tasks are past their deadline on the day measured.

Measured, for a county organizer of 邹平市 and a town officer of 黛溪街道: the four dashboards at county and at town
level and their Excel exports, the API tables, and the home page's to-do list — median and max of N requests and
the query count of one. The query count must not depend on the number of villages (compare `--under 371681`)."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cunshe.core.actors import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, code_version, emit, fresh_database, machine, region_files

COUNTY, TOWN = "371681", "371681001"
TODAY = date(2026, 11, 23)
ISSUES_PER_VILLAGE = 4
TASKS_PER_VILLAGE = 12


def build(under: str, seed: int) -> dict[str, Any]:
    from cunshe.access.roles import Role
    from cunshe.accounts.services import account_create, role_assign
    from cunshe.assessments.models import VillageSummary
    from cunshe.issueboard.models import Issue, IssueTally
    from cunshe.issueboard.models import Source as IssueSource
    from cunshe.issueboard.models import Status as IssueStatus
    from cunshe.readiness.models import Readiness, Risk, Task, TaskStatus
    from cunshe.regions.models import Level, Region
    from cunshe.regions.services import regions_import
    from cunshe.termchanges.services import term_change_open
    from cunshe.visits.models import Coverage, Group

    rng = random.Random(seed)
    phases: dict[str, float] = {}
    t = time.perf_counter()
    regions_import(actor=SYSTEM, files=region_files(), under=under)
    phases["regions_s"] = time.perf_counter() - t

    t = time.perf_counter()
    changes = {
        code: term_change_open(actor=SYSTEM, county_code=code, year=2026, opened_on=date(2026, 9, 1))
        for code in Region.objects.filter(code__startswith=under, level=Level.COUNTY).values_list("code", flat=True)
    }
    phases["term_changes_s"] = time.perf_counter() - t

    t = time.perf_counter()
    villages = list(Region.objects.filter(code__startswith=under, level=Level.VILLAGE).values_list("code", flat=True))
    open_statuses = [IssueStatus.OPEN, IssueStatus.IN_PROGRESS]
    counts = {"coverage": 0, "issues": 0, "tasks": 0}
    batch = 2000
    for start in range(0, len(villages), batch):
        coverage, tallies, readiness, summaries, issues, tasks = [], [], [], [], [], []
        for code in villages[start : start + batch]:
            tc = changes.get(code[:6])
            if tc is None:
                continue
            for group in Group.values:
                planned = rng.randint(5, 60)
                visited = rng.randint(0, planned)
                coverage.append(
                    Coverage(
                        term_change=tc, region_id=code, group=group, planned=planned, visited=visited,
                        by_phone=visited // 5, away=rng.randint(0, 3),
                    )
                )  # fmt: skip
            village_issues = []
            for n in range(ISSUES_PER_VILLAGE):
                closed = rng.random() < 0.4
                village_issues.append(
                    Issue(
                        term_change=tc, region_id=code, title=f"问题{n}", source=IssueSource.VISIT, owner="村支书",
                        due_on=TODAY + timedelta(days=rng.randint(-60, 60)),
                        status=IssueStatus.CLOSED if closed else rng.choice(open_statuses),
                        resolution="已化解" if closed else "", closed_on=TODAY if closed else None,
                    )
                )  # fmt: skip
            issues += village_issues
            open_n = sum(1 for i in village_issues if i.status != IssueStatus.CLOSED)
            tallies.append(
                IssueTally(
                    term_change=tc, region_id=code, open=open_n, closed=ISSUES_PER_VILLAGE - open_n,
                    is_difficult=rng.random() < 0.05,
                )
            )  # fmt: skip
            done = 0
            for n in range(TASKS_PER_VILLAGE):
                status = rng.choice(TaskStatus.values)
                done += status == TaskStatus.DONE
                tasks.append(
                    Task(
                        term_change=tc, region_id=code, position=n + 1, title=f"事项{n + 1}", owner="包村干部",
                        due_on=TODAY + timedelta(days=rng.randint(-40, 80)), status=status,
                        done_on=TODAY if status == TaskStatus.DONE else None,
                    )
                )  # fmt: skip
            readiness.append(
                Readiness(
                    term_change=tc, region_id=code, risk=rng.choice(Risk.values), assessed_on=TODAY,
                    tasks=TASKS_PER_VILLAGE, tasks_done=done, intents=rng.randint(0, 7),
                )
            )  # fmt: skip
            summaries.append(VillageSummary(term_change=tc, region_id=code, assessed=1, members=5, flagged=0))
        Coverage.objects.bulk_create(coverage)
        IssueTally.objects.bulk_create(tallies)
        Issue.objects.bulk_create(issues)
        Task.objects.bulk_create(tasks)
        Readiness.objects.bulk_create(readiness)
        VillageSummary.objects.bulk_create(summaries)
        counts["coverage"] += len(coverage)
        counts["issues"] += len(issues)
        counts["tasks"] += len(tasks)
    phases["rows_s"] = time.perf_counter() - t

    organizer = account_create(
        actor=SYSTEM, username="zzb", display_name="组织部", password="x" * 12, region_code=COUNTY
    )
    role_assign(actor=SYSTEM, user=organizer, role=Role.COUNTY_ORGANIZER, region_code=COUNTY)
    officer = account_create(actor=SYSTEM, username="daixi", display_name="黛溪", password="x" * 12, region_code=TOWN)
    role_assign(actor=SYSTEM, user=officer, role=Role.TOWN_OFFICER, region_code=TOWN)
    return {
        "villages": len(villages),
        "counties": len(changes),
        **counts,
        "phases": phases,
        "organizer": organizer,
        "officer": officer,
    }


def measure(world: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cunshe.accounts.services import token_issue

    org, town = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    org.force_login(world["organizer"])
    town.force_login(world["officer"])
    _token, raw = token_issue(user=world["organizer"])
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    pages = [
        ("组织部 走访覆盖 县", org, f"/visits/?under={COUNTY}"),
        ("组织部 走访覆盖 镇", org, f"/visits/?under={TOWN}"),
        ("组织部 走访覆盖 Excel", org, f"/visits/export/?under={COUNTY}"),
        ("组织部 问题清单 县", org, f"/issueboard/?under={COUNTY}"),
        ("组织部 问题清单 镇", org, f"/issueboard/?under={TOWN}"),
        ("组织部 问题清单 Excel", org, f"/issueboard/export/?under={COUNTY}"),
        ("组织部 选情 县", org, f"/readiness/?under={COUNTY}"),
        ("组织部 选情 镇", org, f"/readiness/?under={TOWN}"),
        ("组织部 选情 Excel", org, f"/readiness/export/?under={COUNTY}"),
        ("组织部 两票一度 县", org, f"/assessments/overview/{COUNTY}/"),
        ("组织部 两票一度 Excel", org, f"/assessments/overview/{COUNTY}/export/"),
        ("组织部 首页待办", org, "/home/"),
        ("乡镇 首页待办", town, "/home/"),
        ("乡镇 问题清单", town, "/issueboard/"),
        ("组织部 挂图 县 PDF", org, f"/issueboard/chart.pdf?under={COUNTY}"),
        ("乡镇 挂图 镇 PDF", town, f"/issueboard/chart.pdf?under={TOWN}"),
        ("乡镇 我的待办", town, "/deadlines/"),
        ("API 走访覆盖 县", api, f"/api/v1/visits/coverage?under={COUNTY}"),
        ("API 问题清单 县", api, f"/api/v1/issueboard/board?under={COUNTY}"),
        ("API 选情 县", api, f"/api/v1/readiness/table?under={COUNTY}"),
    ]
    out = []

    class Today(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return TODAY

    # The dashboards ask timezone.localdate(); pin it so the overdue share is the one built above on any day.
    patches = [mock.patch(f"{m}.date", Today) for m in ("cunshe.issueboard.selectors", "cunshe.readiness.selectors")]
    for p in patches:
        p.start()
    try:
        for label, client, url in pages:
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            out.append(
                {
                    "page": label,
                    "url": url,
                    "ms_median": round(statistics.median(times), 1),
                    "ms_max": round(max(times), 1),
                    "queries": len(queries),
                }
            )
    finally:
        for p in patches:
            p.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="postgres://user:pass@host/admin_db (a fresh DB is made)")
    parser.add_argument("--under", default="37", help="region code to import and fill (default Shandong)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database and print where it is")
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "preparation.jsonl"), help="'' for stdout only")
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None
    with fresh_database(args.database_url, keep=args.keep) as db:
        world = build(args.under, args.seed)
        rows = measure(world, args.repeat)
        for key, value in world["phases"].items():
            print(f"#   {key:<22} {value:10.1f} s")
        for row in rows:
            emit(
                {
                    "bench": "preparation",
                    "vendor": db.vendor,
                    "under": args.under,
                    "villages": world["villages"],
                    "issues": world["issues"],
                    "tasks": world["tasks"],
                    **row,
                    "load": Path("/proc/loadavg").read_text().split()[0],
                    "code": code_version("cunshe/issueboard/selectors.py", "cunshe/readiness/selectors.py"),
                    "machine": machine(),
                },
                f"#   {db.vendor} {args.under} {world['villages']} villages  {row['page']:<20} "
                f"{row['ms_median']:>8} ms (max {row['ms_max']})  {row['queries']} queries",
                jsonl,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
