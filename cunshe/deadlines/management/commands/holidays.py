"""`cunshe holidays show 2027` and `cunshe holidays load 2027 --off ... --work ... --source ...`: the year's State
Council holiday schedule (docs/deploy.md, upkeep). Loading from the command line is the system administrator's act
and is recorded as 系统 in the record book."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError
from cunshe.deadlines.holidays import SOURCE_LABELS, loaded_schedule, source_of, statutory_holidays
from cunshe.deadlines.services import holiday_schedule_load, parse_days


class Command(BaseCommand):
    help = "国务院放假调休安排：show 查看某年法定节假日与调休安排；load 载入某年安排（系统管理员）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="查看某年的法定节假日与调休安排")
        show.add_argument("year", type=int)
        load = sub.add_parser("load", help="载入某年的国务院放假调休安排（已有则替换）")
        load.add_argument("year", type=int)
        load.add_argument("--off", nargs="+", required=True, help="放假日期，如 2027-02-05至2027-02-11 2027-04-05")
        load.add_argument("--work", nargs="*", default=[], help="调休上班日期（周末），如 2027-02-14")
        load.add_argument("--source", required=True, help="依据：国务院办公厅通知的名称或文号")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if options["action"] == "load":
            try:
                holiday_schedule_load(
                    actor=SYSTEM,
                    year=year,
                    days_off=parse_days(" ".join(options["off"]), field="off"),
                    workdays=parse_days(" ".join(options["work"]), field="work"),
                    source=options["source"],
                )
            except DomainError as exc:
                details = "；".join(m for ms in exc.field_errors.values() for m in ms)
                raise CommandError(f"{exc.message}{details}") from exc
            self.stdout.write(self.style.SUCCESS(f"已载入 {year} 年国务院放假调休安排。"))
        self.stdout.write(f"{year} 年：{SOURCE_LABELS[source_of(year)]}")
        self.stdout.write("法定节假日：" + "、".join(f"{d:%m-%d}{n}" for d, n in statutory_holidays(year).items()))
        loaded = loaded_schedule(year)
        if loaded is not None:
            self.stdout.write("放假：" + "、".join(f"{d:%m-%d}" for d in sorted(loaded.days_off)))
            self.stdout.write("调休上班：" + ("、".join(f"{d:%m-%d}" for d in sorted(loaded.workdays)) or "无"))
