from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.regions.services import regions_import


class Command(BaseCommand):
    help = "行政区划：import 导入统计用区划代码（可按 --under 只导入某一子树）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="导入区划代码 CSV 文件（provinces/cities/areas/streets/villages，可为 .gz）"
        )
        imp.add_argument("--under", default="", help="只导入此代码之下的区划（及其上级），如 371681")
        imp.add_argument("files", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = regions_import(actor=SYSTEM, files=options["files"], under=options["under"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if report.bad_rows:
            for bad in report.bad_rows[:200]:
                self.stderr.write(str(bad))
            more = len(report.bad_rows) - 200
            if more > 0:
                self.stderr.write(f"……另有 {more} 行错误")
            raise CommandError(f"导入失败：{len(report.bad_rows)} 行有误，未保存任何数据。")
        self.stdout.write(
            f"导入完成：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}"
            f"（共 {report.total} 条，范围 {report.under or '全国'}）。"
        )
