from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunshe.elections.tally import TallyInputError, count_from_json, outcome_text, outcome_to_json, tally


class Command(BaseCommand):
    help = "选举：tally 按计票单（JSON，格式见 docs/elections.md）计票，列出结果及每一步依据的规则，不保存。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        count = sub.add_parser("tally", help="按计票单计票（不保存）")
        count.add_argument("file", help="计票单 JSON 文件")
        count.add_argument(
            "--json", action="store_true", help="以 JSON 输出结果（与 POST /api/v1/elections/tally-check 相同）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "tally":
            self.tally(Path(options["file"]), as_json=options["json"])

    def tally(self, path: Path, *, as_json: bool) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"无法读取计票单 {path}：{error.strerror or error}") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"计票单 {path} 不是有效的 JSON：{error}") from error
        try:
            count, rules = count_from_json(data)
            outcome = tally(count, rules)
        except TallyInputError as error:
            details = "\n".join(f"  {name}：{'；'.join(texts)}" for name, texts in error.errors.items())
            raise CommandError(f"{error.message}\n{details}") from error
        if as_json:
            self.stdout.write(json.dumps(outcome_to_json(outcome), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(outcome_text(outcome))
