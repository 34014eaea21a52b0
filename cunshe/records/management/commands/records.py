from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunshe.records.anchors import AnchorsNotConfigured, anchor_take, anchors_check
from cunshe.records.verification import verify_all


class Command(BaseCommand):
    help = "记录本：verify 校验哈希链并与锚点核对；anchor 把当前链头导出为签名的锚点文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验记录本的哈希链，并与锚点文件核对")
        verify.add_argument("--chain", action="append", help="只校验这些县级代码的链")
        verify.add_argument(
            "--before",
            type=date.fromisoformat,
            help="只与这一天之前的锚点核对（恢复备份后用备份那一天，见 docs/deploy.md 第 9 节）",
        )
        sub.add_parser("anchor", help="把当前链头导出为签名的锚点文件，并打印当天的摘要")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            try:
                anchor = anchor_take()
            except AnchorsNotConfigured as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(anchor.printout())
            self.stdout.write(f"锚点文件：{anchor.path}")
            return
        count, broken = verify_all(options.get("chain"))
        try:
            anchors, problems = anchors_check(chains=options.get("chain"), before=options.get("before"))
        except AnchorsNotConfigured as exc:
            raise CommandError(f"有锚点文件但无法核对：{exc}") from exc
        for link in broken:
            self.stderr.write(f"断链：{link}")
        for problem in problems:
            self.stderr.write(f"与锚点不符：{problem}")
        if broken or problems:
            raise CommandError(
                f"记录本校验失败：{len(broken)} 条链断开（共 {count} 条链），{len(problems)} 处与锚点不符。"
            )
        if anchors:
            self.stdout.write(
                f"记录本完好：{count} 条链全部校验通过，并与 {anchors} 个锚点一致（锚点之后写入的记录只校验了链本身）。"
            )
        else:
            self.stdout.write(
                f"记录本完好：{count} 条链全部校验通过。没有锚点文件：这只说明记录本前后一致，"
                "不能排除有人改写后重算了全部哈希（见 docs/deploy.md 第 9 节）。"
            )
