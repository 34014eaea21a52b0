"""Benchmark of the commitments ledger in Excel (cunshe.commitments.services): import, export and re-import.

    .venv/bin/python bench/commitments_ledger.py                     # 100,000 commitments, SQLite temp file
    .venv/bin/python bench/commitments_ledger.py --rows 20000 --under 3716
    .venv/bin/python bench/commitments_ledger.py --database-url postgres://user:pass@127.0.0.1/postgres

Imports the official regions under --under (default 37, Shandong) into a fresh database, writes a county-style ledger
of --rows commitments (four per village, without ledger numbers, as an official would keep it), then times:
1. the import (validation of every row, bulk insert, per-village summaries and record-book entries);
2. the export of the whole ledger in the same layout;
3. the re-import of the exported file, which must change nothing.
Prints one JSON line and one human-readable row per step; JSON lines are appended to bench/results/.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cunshe.core.actors import SYSTEM

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._env import RESULTS_DIR, emit, fmt_int, fresh_database, machine, measure, region_files, server_version

CATEGORIES = (
    "改善生产生活条件",
    "发展壮大集体经济",
    "化解信访矛盾隐患",
    "走访慰问党员群众",
    "提升改善村容村貌",
    "抓好班子带好队伍",
)
WEIGHTS = (2820, 347, 454, 1652, 9115, 871)
STATUSES = ("未开始", "推进中", "已完成")


def ledger_rows(villages: list[str], rows: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    per_village = max(1, -(-rows // len(villages)))
    for village in villages:
        for n in range(per_village):
            if len(out) == rows:
                return out
            status = rng.choice(STATUSES)
            out.append(
                {
                    "region": village,
                    "kind": "开门一件事",
                    "year": 2026,
                    "category": rng.choices(CATEGORIES, WEIGHTS)[0],
                    "title": f"第{n + 1}件：整治村内环境并硬化道路",
                    "content": "组织党员志愿者清理杂物、硬化主街，修缮党群服务中心四面一栏",
                    "target": "村容整洁，群众满意",
                    "deadline": date(2026, 3, 1) + timedelta(days=rng.randint(0, 300)),
                    "responsible_post": "村党组织书记",
                    "source": "入户走访",
                    "status": status,
                    "completed_on": date(2026, 2, 1) if status == "已完成" else None,
                    "evidence": "验收照片存档" if status == "已完成" else "",
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--under", default="37", help="regions to import; villages are taken from here")
    parser.add_argument("--source", default=None, help="folder with the five official region files")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jsonl", default=str(RESULTS_DIR / "commitments_ledger.jsonl"))
    args = parser.parse_args(argv)
    jsonl = Path(args.jsonl) if args.jsonl else None

    with fresh_database(args.database_url) as db, tempfile.TemporaryDirectory() as tmp:
        from cunshe.commitments.models import Commitment
        from cunshe.commitments.services import LEDGER_COLUMNS, ledger_export, ledger_import
        from cunshe.records.models import RecordEntry
        from cunshe.regions.models import Level, Region
        from cunshe.regions.services import regions_import
        from cunshe.spreadsheets.layout import write_workbook

        regions_import(actor=SYSTEM, files=region_files(args.source), under=args.under)
        villages = list(
            Region.objects.filter(code__startswith=args.under, level=Level.VILLAGE)
            .order_by("code")
            .values_list("code", flat=True)[: -(-args.rows // 4)]
        )
        source = Path(tmp) / "ledger.xlsx"
        with source.open("wb") as out:
            write_workbook("开门一件事台账", LEDGER_COLUMNS, ledger_rows(villages, args.rows, args.seed), out)
        base = {
            "bench": "commitments_ledger",
            "database": db.vendor,
            "server": server_version(),
            "machine": machine(),
            "rows": args.rows,
            "villages": len(villages),
            "file_mb": round(source.stat().st_size / 2**20, 1),
        }
        ok = True

        def run_import(path: Path) -> Any:
            with path.open("rb") as stream:
                return ledger_import(actor=SYSTEM, stream=stream)

        report, m = measure(lambda: run_import(source))
        ok = ok and report.saved and report.created == args.rows
        step = {**base, "step": "import", **m.as_dict(), "rows_per_second": round(args.rows / m.seconds)}
        step |= {
            "created": report.created,
            "bad_rows": len(report.bad_rows),
            "record_entries": RecordEntry.objects.count(),
        }
        emit(
            step,
            f"import   {fmt_int(args.rows)} rows in {m.seconds:.1f}s = {fmt_int(args.rows / m.seconds)} rows/s, "
            f"peak RSS {m.peak_rss_mb} MB",
            jsonl,
        )

        exported = Path(tmp) / "exported.xlsx"

        def run_export() -> int:
            with exported.open("wb") as out:
                return ledger_export(
                    commitments=Commitment.objects.select_related("region")
                    .order_by("region_id", "ledger_no")
                    .iterator(chunk_size=2000),
                    target=out,
                )

        written, m = measure(run_export)
        ok = ok and written == args.rows
        emit(
            {**base, "step": "export", **m.as_dict(), "rows_per_second": round(written / m.seconds)},
            f"export   {fmt_int(written)} rows in {m.seconds:.1f}s = {fmt_int(written / m.seconds)} rows/s, "
            f"peak RSS {m.peak_rss_mb} MB",
            jsonl,
        )

        entries = RecordEntry.objects.count()
        again, m = measure(lambda: run_import(exported))
        unchanged = again.unchanged == args.rows and again.created == again.updated == 0
        unchanged = unchanged and RecordEntry.objects.count() == entries
        ok = ok and unchanged
        emit(
            {
                **base,
                "step": "reimport",
                **m.as_dict(),
                "rows_per_second": round(args.rows / m.seconds),
                "changed_nothing": unchanged,
            },
            f"reimport {fmt_int(args.rows)} rows in {m.seconds:.1f}s = {fmt_int(args.rows / m.seconds)} rows/s, "
            f"peak RSS {m.peak_rss_mb} MB" + ("" if unchanged else "  !! RE-IMPORT CHANGED DATA"),
            jsonl,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
