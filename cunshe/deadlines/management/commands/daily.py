from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunshe.deadlines.daily import job_names, run_daily


class Command(BaseCommand):
    help = "每日运行一次（建议凌晨）：标记逾期事项、刷新各汇总表中的逾期数。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="按哪一天计算（默认今天），YYYY-MM-DD"
        )
        parser.add_argument("--only", nargs="*", choices=job_names(), help="只运行这些任务")

    def handle(self, *args: Any, **options: Any) -> None:
        results = run_daily(options["date"], only=options["only"])
        for r in results:
            line = f"{r.name}: {r.message}"
            self.stdout.write(self.style.SUCCESS(line) if r.ok else self.style.ERROR(line))
        failed = [r.name for r in results if not r.ok]
        if failed:
            raise CommandError(f"以下每日任务失败：{'、'.join(failed)}")
