"""`cunshe elections tally FILE.json`: the same count from a file, read by a person or as JSON."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cunshe.elections.tally_api import EXAMPLE


def run(*args: str) -> str:
    out = StringIO()
    call_command("elections", "tally", *args, stdout=out)
    return out.getvalue()


def test_prints_the_outcome_in_chinese(tmp_path: Path) -> None:
    sheet = tmp_path / "count.json"
    sheet.write_text(json.dumps(EXAMPLE, ensure_ascii=False), encoding="utf-8")
    text = run(str(sheet))
    assert text.startswith("计票结果：全部当选")
    assert "参加投票 601 人，超过登记选民 1200 人的半数（须至少 601 人）" in text
    assert "主任（应选 1 名）：当选 张三 352 票" in text


def test_json_output_is_the_api_answer(tmp_path: Path) -> None:
    sheet = tmp_path / "count.json"
    sheet.write_text(json.dumps({**EXAMPLE, "returned": 621}), encoding="utf-8")
    data = json.loads(run(str(sheet), "--json"))
    assert data["status"] == "rerun" and data["valid"] is False


def test_bad_sheets_and_files_are_refused_in_chinese(tmp_path: Path) -> None:
    sheet = tmp_path / "count.json"
    sheet.write_text(json.dumps({**EXAMPLE, "invalid": -1}), encoding="utf-8")
    with pytest.raises(CommandError, match="无效票数不能为负数"):
        run(str(sheet))
    sheet.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        run(str(sheet))
    with pytest.raises(CommandError, match="无法读取计票单"):
        run(str(tmp_path / "missing.json"))
