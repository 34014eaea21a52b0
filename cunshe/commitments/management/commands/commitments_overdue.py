from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cunshe.commitments.services import commitments_mark_overdue


class Command(BaseCommand):
    help = "每日运行：将超过完成时限仍未完成的开门一件事标为“已逾期”（写入记录本）。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = commitments_mark_overdue()
        self.stdout.write(self.style.SUCCESS(f"已标记逾期事项 {count} 件。"))
