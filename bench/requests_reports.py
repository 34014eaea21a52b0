"""Benchmark of the request reports (cunshe.requests.selectors): the daily report and the weekly review of a county.

    .venv/bin/python bench/requests_reports.py                          # 100,000 requests in 邹平市, SQLite temp file
    .venv/bin/python bench/requests_reports.py --rows 20000
    .venv/bin/python bench/requests_reports.py --database-url postgres://user:pass@127.0.0.1/postgres

Imports the regions of the county (--under, default 371681), adds --rows requests over the 90 days before
2026-12-05 spread over its villages with their roll-up rows (bulk inserted: the bench measures the reads, not the
filing), then times, as the county's organizer and as a town's officer: the daily report (county by town, town by
village) and the weekly review (the same plus the list of cases). Their query counts do not depend on --rows.
Prints one JSON line and one human-readable row per step; JSON lines are appended to bench/results/.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, emit, fmt_int, fresh_database, machine, measure, region_files, server_version

TODAY = date(2026, 12, 5)
STATUSES = ("closed",) * 7 + ("assigned", "in_progress", "reopened", "submitted")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--under", default="371681")
    parser.add_argument("--source", default=None)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "requests_reports.jsonl"))
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None

    with fresh_database(args.database_url) as db:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from cunshe.accounts.services import account_create, role_assign
        from cunshe.core.actors import SYSTEM
        from cunshe.regions.models import Level, Region
        from cunshe.regions.services import regions_import
        from cunshe.requests import selectors
        from cunshe.requests.models import DayTally, Request, VillageTally
        from cunshe.requests.services import category_create

        regions_import(actor=SYSTEM, files=region_files(args.source), under=args.under)
        county = Region.objects.get(code=args.under[:6])
        villages = list(
            Region.objects.filter(code__startswith=county.code, level=Level.VILLAGE).values_list("code", flat=True)
        )
        town = Region.objects.filter(code__startswith=county.code, level=Level.TOWN).order_by("code").first()
        assert town is not None
        category = category_create(
            actor=SYSTEM, county_code=county.code, code="road", name="道路破损", route="village",
            valid_from=date(2026, 1, 1),
        )  # fmt: skip
        rng = random.Random(args.seed)
        tz = timezone.get_current_timezone()
        now = datetime.combine(TODAY, time(18, 0), tz)
        day_counts: Counter[tuple[str, date, str]] = Counter()
        village_counts: Counter[tuple[str, str]] = Counter()
        batch: list[Request] = []

        def flush() -> None:
            Request.objects.bulk_create(batch, batch_size=2000)
            batch.clear()

        for n in range(args.rows):
            village = rng.choice(villages)
            submitted = now - timedelta(minutes=rng.randint(60, 90 * 24 * 60))
            status = rng.choice(STATUSES)
            due = submitted + timedelta(days=9)
            closed = submitted + timedelta(days=rng.randint(1, 12)) if status == "closed" else None
            closed = min(closed, now) if closed else None
            score = rng.choice((5, 5, 4, 4, 3, 2)) if closed and rng.random() < 0.6 else None
            reopened = 1 if status == "reopened" else 0
            batch.append(
                Request(
                    region_id=village, category=category, tier="general", route="village", channel="call",
                    title="路面破损", description="村内道路破损", status=status, submitted_at=submitted, due_at=due,
                    closed_at=closed, answer_satisfaction=score, answer_solved=score is not None and score >= 3,
                    answered_at=closed + timedelta(hours=2) if score else None, reopen_count=reopened,
                    token=f"bench{n:010d}", public=True,
                )
            )  # fmt: skip
            day_counts[(village, submitted.astimezone(tz).date(), "received")] += 1
            village_counts[(village, "received")] += 1
            if closed:
                day_counts[(village, closed.astimezone(tz).date(), "closed")] += 1
                village_counts[(village, "closed")] += 1
            else:
                village_counts[(village, "open")] += 1
                if due < now:
                    village_counts[(village, "overdue")] += 1
            if score:
                day_counts[(village, closed.astimezone(tz).date(), "rated")] += 1  # type: ignore[union-attr]
                day_counts[(village, closed.astimezone(tz).date(), "satisfaction_sum")] += score  # type: ignore[union-attr]
                village_counts[(village, "rated")] += 1
                village_counts[(village, "satisfaction_sum")] += score
            if reopened:
                village_counts[(village, "reopened")] += 1
            if len(batch) >= 2000:
                flush()
        flush()
        days: dict[tuple[str, date], dict[str, int]] = {}
        for (village, day, key), value in day_counts.items():
            days.setdefault((village, day), {})[key] = value
        DayTally.objects.bulk_create(
            [DayTally(village_id=v, day=d, **values) for (v, d), values in days.items()], batch_size=2000
        )
        per_village: dict[str, dict[str, int]] = {}
        for (village, key), value in village_counts.items():
            per_village.setdefault(village, {})[key] = value
        VillageTally.objects.bulk_create(
            [VillageTally(village_id=v, **values) for v, values in per_village.items()], batch_size=2000
        )
        organizer = account_create(
            actor=SYSTEM,
            username="bench_zzb",
            display_name="组织部",
            password="bench-Pass-2026!",
            region_code=county.code,
        )
        role_assign(actor=SYSTEM, user=organizer, role="county_organizer", region_code=county.code)
        officer = account_create(
            actor=SYSTEM, username="bench_town", display_name="乡镇", password="bench-Pass-2026!", region_code=town.code
        )
        role_assign(actor=SYSTEM, user=officer, role="town_officer", region_code=town.code)
        base = {
            "bench": "requests",
            "database": db.vendor,
            "server": server_version(),
            "machine": machine(),
            "rows": args.rows,
            "villages": len(villages),
            "day_rows": DayTally.objects.count(),
        }
        ok = True
        for who, user, region in (("county", organizer, county), ("town", officer, town)):
            for step, run in (
                ("daily", lambda u=user, r=region: selectors.daily_report(u, r, TODAY)),
                ("weekly", lambda u=user, r=region: selectors.weekly_review(u, r, TODAY)),
            ):
                user.__dict__.pop("_cunshe_grants", None)
                user.__dict__.pop("_cunshe_prefixes", None)
                with CaptureQueriesContext(connection) as queries:
                    report, m = measure(run)
                expected = Request.objects.filter(submitted_at__date=TODAY) if step == "daily" else None
                ok = ok and (expected is None or who != "county" or report.total.values["received"] == expected.count())
                emit(
                    {**base, "step": f"{who}_{step}", **m.as_dict(), "queries": len(queries), "rows_out": len(report.rows),
                     "cases": len(report.cases), "received": report.total.values["received"]},
                    f"{who:6} {step:6} {fmt_int(args.rows)} requests: {m.seconds * 1000:.0f} ms, {len(queries)} queries,"
                    f" {len(report.rows)} rows, {len(report.cases)} cases, open {report.total.values['open']}",
                    jsonl,
                )  # fmt: skip
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
