from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cunshe.core.actors import SYSTEM
from cunshe.points.services import points_expire, verify


class Command(BaseCommand):
    help = "信用+积分：verify 由流水重算每个账户的余额并核对；expire 按细则清零到期积分（先进先出）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="由流水重算余额并核对，余额不得为负")
        check.add_argument("--region", default="", help="只核对该区划代码下的账户")
        expire = sub.add_parser("expire", help="清零到期积分（重复运行不会重复清零）")
        expire.add_argument("--region", required=True, help="县、乡镇或村的区划代码")
        expire.add_argument("--on", type=date.fromisoformat, default=None, help="截至日期，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "expire":
            total = points_expire(actor=SYSTEM, region_code=options["region"], on=options["on"] or timezone.localdate())
            self.stdout.write(f"到期清零：共 {total} 分。")
            return
        checked, problems = verify(options["region"])
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"积分核对失败：{len(problems)} 处问题（共 {checked} 个账户）。")
        self.stdout.write(f"积分核对通过：{checked} 个账户的余额与流水一致，且从未为负。")
