"""Joint review at county scale: one round for a county of 800 villages (about 3,000 candidates, 15 departments),
built through the services, then the slowest pages timed (median of N requests, with their query counts).

    .venv/bin/python bench/reviews_round.py                       # SQLite in a temp file
    .venv/bin/python bench/reviews_round.py --database-url postgres://cunshe:…@127.0.0.1:5432/postgres

Uses the shipped slice of 邹平市 (859 villages) and submits candidates from its first 800 villages, one batch per
town, released to all departments at once; every department marks about 1% 不通过 and 1% 存疑 and clears the rest."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cunshe.core.actors import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import fresh_database

PASSWORD = "Cunshe@2026"


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def build(villages_wanted: int, per_village: float) -> dict[str, Any]:
    from django.utils import timezone

    from cunshe.access.roles import Role
    from cunshe.accounts.models import Department
    from cunshe.accounts.services import account_create, role_assign
    from cunshe.eligibility.models import ExclusionRule
    from cunshe.eligibility.services import exclusion_rules_install_defaults
    from cunshe.people import id_numbers
    from cunshe.regions.models import Level, Region
    from cunshe.regions.services import regions_import
    from cunshe.regions.slice import DEMO_COUNTY, SLICE_FILES
    from cunshe.reviews.models import DepartmentReview
    from cunshe.reviews.services import (
        CandidateRow,
        answer_give,
        answers_clear_rest,
        batch_release,
        batch_submit,
        department_head_set,
        department_review_sign,
        departments_install_defaults,
        round_open,
    )

    phases: dict[str, float] = {}
    t = time.perf_counter()
    regions_import(actor=SYSTEM, files=SLICE_FILES, under=DEMO_COUNTY)
    departments_install_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=DEMO_COUNTY)
    organizer = account_create(
        actor=SYSTEM, username="zzb", display_name="组织部", password=PASSWORD, region_code=DEMO_COUNTY
    )
    role_assign(actor=SYSTEM, user=organizer, role=Role.COUNTY_ORGANIZER, region_code=DEMO_COUNTY)
    reviewers = {}
    for n, department in enumerate(Department.objects.filter(county_id=DEMO_COUNTY).order_by("name")):
        user = account_create(
            actor=SYSTEM, username=f"rev{n}", display_name=f"{department.name}审查员", password=PASSWORD,
            region_code=DEMO_COUNTY,
        )  # fmt: skip
        role_assign(actor=SYSTEM, user=user, role=Role.REVIEWER, region_code=DEMO_COUNTY, department=department)
        department_head_set(actor=SYSTEM, department=department, user=user)
        reviewers[department.pk] = user
    phases["setup_s"] = time.perf_counter() - t

    review_round = round_open(actor=organizer, county_code=DEMO_COUNTY, opened_on=date(2026, 10, 20))
    villages = list(
        Region.objects.filter(code__startswith=DEMO_COUNTY, level=Level.VILLAGE).order_by("code")[:villages_wanted]
    )
    by_town: dict[str, list[str]] = {}
    for v in villages:
        by_town.setdefault(v.code[:9], []).append(v.code)
    t = time.perf_counter()
    batches, serial = [], 0
    for town, codes in by_town.items():
        rows = []
        wanted = round(len(codes) * per_village)
        for i in range(wanted):
            serial += 1
            born = date(1965 + serial % 30, 1 + serial % 12, 1 + serial % 28)
            rows.append(
                CandidateRow(
                    line=i + 2,
                    name=f"人选{serial}",
                    id_number=id_numbers.make(DEMO_COUNTY, born, serial % 1000),
                    village=codes[i % len(codes)],
                )
            )
        batches.append(batch_submit(actor=organizer, review_round=review_round, town_code=town, rows=rows))
    phases["submit_s"] = time.perf_counter() - t
    tz = timezone.get_current_timezone()
    released_at = datetime(2026, 10, 20, 9, 0, tzinfo=tz)
    t = time.perf_counter()
    for b in batches:
        batch_release(actor=organizer, batch=b, expected_version=b.version, now=released_at)
    phases["release_s"] = time.perf_counter() - t
    rules = list(ExclusionRule.objects.filter(county_id=DEMO_COUNTY).order_by("code"))
    t = time.perf_counter()
    clear_ms: list[float] = []
    for b in batches:
        candidates = list(b.candidates.order_by("position"))
        for k, review in enumerate(DepartmentReview.objects.filter(batch=b).select_related("department", "batch")):
            reviewer = reviewers[review.department_id]
            for j, c in enumerate(candidates):
                if (j * 7 + k) % 100 == 0:
                    answer_give(
                        actor=reviewer, review=review, candidate=c, verdict="excluded", rule=rules[(j + k) % 10],
                        reason="模拟：查有实据",
                    )  # fmt: skip
                elif (j * 7 + k) % 100 == 1:
                    answer_give(actor=reviewer, review=review, candidate=c, verdict="doubtful", reason="模拟：待核")
            clear_ms.append(timed(lambda r=review, u=reviewer: answers_clear_rest(actor=u, review=r)))
            signed_at = datetime(2026, 10, 20 + (k % 3), 10 + k % 6, 0, tzinfo=tz)
            department_review_sign(
                actor=reviewer, review=review, conclusion="模拟结论", expected_version=review.version, now=signed_at
            )
    phases["answer_and_sign_s"] = time.perf_counter() - t
    phases["clear_rest_ms_max"] = max(clear_ms)
    largest = max(batches, key=lambda b: b.candidate_count)
    return {
        "organizer": organizer,
        "reviewer": next(iter(reviewers.values())),
        "round": review_round,
        "largest": largest,
        "phases": phases,
        "candidates": serial,
        "batches": len(batches),
        "villages": len(villages),
        "departments": len(reviewers),
    }


def measure(world: dict[str, Any], repeat: int) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cunshe.accounts.services import token_issue
    from cunshe.reviews.models import DepartmentReview

    organizer, reviewer, largest = world["organizer"], world["reviewer"], world["largest"]
    org, rev = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    org.force_login(organizer)
    rev.force_login(reviewer)
    _token, raw = token_issue(user=organizer)
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")
    own = DepartmentReview.objects.get(batch=largest, department=reviewer.role_assignments.get().department)
    candidate = largest.candidates.order_by("position").first()
    pk = world["round"].pk
    pages = [
        ("组织部 轮次进度页", org, f"/reviews/rounds/{pk}/"),
        ("组织部 批次页（最大批）", org, f"/reviews/batches/{largest.pk}/"),
        ("组织部 人选详情", org, f"/reviews/candidates/{candidate.pk}/"),
        ("组织部 联审报告 Excel", org, f"/reviews/rounds/{pk}/report.xlsx"),
        ("组织部 联审报告 PDF", org, f"/reviews/rounds/{pk}/report.pdf"),
        ("API 轮次进度", api, f"/api/v1/reviews/rounds/{pk}"),
        ("API 批次（最大批）", api, f"/api/v1/reviews/batches/{largest.pk}"),
        ("审查员 任务列表", rev, "/reviews/desk/"),
        ("审查员 批次页（最大批）", rev, f"/reviews/desk/{own.pk}/"),
        ("审查员 人选详情", rev, f"/reviews/desk/{own.pk}/candidates/{candidate.pk}/"),
        ("审查员 首页待办", rev, "/home/"),
        ("组织部 首页待办", org, "/home/"),
    ]
    out = []
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
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="postgres://user:pass@host/admin_db (a fresh DB is made)")
    parser.add_argument("--villages", type=int, default=800)
    parser.add_argument("--per-village", type=float, default=3.75, help="candidates per village (3.75 × 800 = 3,000)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with fresh_database(args.database_url) as db:
        world = build(args.villages, args.per_village)
        print(
            f"{db.vendor}: {world['villages']} villages, {world['batches']} batches, {world['candidates']} candidates, "
            f"{world['departments']} departments, largest batch {world['largest'].candidate_count}"
        )
        for key, value in world["phases"].items():
            print(f"  {key:<22} {value:10.1f}")
        print(f"  {'page':<28} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for row in sorted(measure(world, args.repeat), key=lambda r: -r["ms_median"]):
            print(f"  {row['page']:<28} {row['ms_median']:>10} {row['ms_max']:>8} {row['queries']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
