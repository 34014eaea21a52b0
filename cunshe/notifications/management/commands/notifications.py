from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cunshe.notifications.services import deliveries_send, notifications_sweep


class Command(BaseCommand):
    help = "通知：sweep 生成即将到期（半个工作日内）和已逾期的通知（可重复运行，不重复通知）；send 发送待发的邮件、短信和群消息（失败按指数退避重试）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sweep", help="按各模块的待办生成即将到期和已逾期的通知")
        send = sub.add_parser("send", help="发送待发的通知（含每日汇总）")
        send.add_argument("--limit", type=int, default=200, help="本次最多发送的条数")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sweep":
            made = notifications_sweep()
            self.stdout.write(f"新通知 {made} 条。")
            return
        report = deliveries_send(limit=options["limit"])
        self.stdout.write(
            f"已发送 {report.sent} 条，待重试 {report.retrying} 条，失败 {report.failed} 条，"
            f"免打扰顺延 {report.held} 条，生成每日汇总 {report.digests} 条。"
        )
