"""Every worked example of docs/elections.md, run through the command and checked against what the page states, so
the page cannot drift from the count."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cunshe.elections.tally import POST_LABELS, count_from_json, tally

DOC = Path(__file__).resolve().parents[3] / "docs" / "elections.md"
LABEL_POSTS = {label: post for post, label in POST_LABELS.items()}


@dataclass
class Example:
    title: str
    sheet: str
    status: str = ""
    elected: dict[str, list[str]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def examples() -> list[Example]:
    found: list[Example] = []
    text = DOC.read_text(encoding="utf-8").split("## Worked examples", 1)[1]
    for part in re.split(r"^### ", text, flags=re.M)[1:]:
        title = part.splitlines()[0]
        sheet = re.search(r"```json\n(.*?)```", part, flags=re.S)
        assert sheet, f"{title}: no count sheet"
        example = Example(title, sheet.group(1))
        for line in part[sheet.end() :].splitlines():
            if line.startswith("结果："):
                status, *posts = line.removeprefix("结果：").split(" · ")
                example.status = status.strip("`")
                for item in posts:
                    label, names = item.split("：", 1)
                    example.elected[LABEL_POSTS[label]] = [] if names == "无" else names.split("、")
            elif line.startswith("依据："):
                example.reasons.append(line.removeprefix("依据：").strip("「」"))
        assert example.status and example.reasons, f"{title}: no stated outcome"
        found.append(example)
    return found


EXAMPLES = examples()


def test_the_page_has_the_examples_the_law_asks_for() -> None:
    assert len(EXAMPLES) >= 5
    statuses = {e.status for e in EXAMPLES}
    assert {"rerun", "further_round", "elected", "tie"} <= statuses


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.title for e in EXAMPLES])
def test_each_example_counts_as_the_page_says(example: Example, tmp_path: Path) -> None:
    count, rules = count_from_json(json.loads(example.sheet))
    outcome = tally(count, rules)
    assert outcome.status == example.status
    for post, names in example.elected.items():
        assert [c.name for p in outcome.posts if p.post == post for c in p.elected] == names, post
    sheet = tmp_path / "example.json"
    sheet.write_text(example.sheet, encoding="utf-8")
    out = StringIO()
    call_command("elections", "tally", str(sheet), stdout=out)
    printed = out.getvalue()
    for reason in example.reasons:
        assert reason in printed, reason
