from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunshe.records.verification import verify_all


class Command(BaseCommand):
    help = "记录本：verify 校验哈希链，指出第一处被改动、删除或插入的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验记录本的哈希链")
        verify.add_argument("--chain", action="append", help="只校验这些县级代码的链")

    def handle(self, *args: Any, **options: Any) -> None:
        count, broken = verify_all(options.get("chain"))
        if broken:
            for link in broken:
                self.stderr.write(f"断链：{link}")
            raise CommandError(f"记录本校验失败：{len(broken)} 条链断开（共 {count} 条链）。")
        self.stdout.write(f"记录本完好：{count} 条链全部校验通过。")
