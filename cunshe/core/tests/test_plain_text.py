"""plain_text answers printable text at once (issue 15) and removes exactly what it removed before."""

import sys
from datetime import date

import pytest

from cunshe.core.schema import CONTROL, Schema, plain_text


def test_every_character_is_kept_or_removed_as_the_pattern_says() -> None:
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert plain_text(f"甲{char}乙") == CONTROL.sub("", f"甲{char}乙"), hex(code)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("西范村委会", "西范村委会"),
        ("第一行\n第二行\r\n\t缩进", "第一行\n第二行\r\n\t缩进"),
        ("\u202e副书记\x07\x00", "副书记"),
        ("a\x00b\x1bc\x7fd\x85e\u2066f", "abcdef"),
        ("全角\u3000空格 与\u00a0不换行", "全角\u3000空格 与\u00a0不换行"),
        ("", ""),
    ],
)
def test_text_loses_controls_and_direction_overrides_only(typed: str, kept: str) -> None:
    assert plain_text(typed) == kept


class _Dated(Schema):
    on: date
    note: str = ""
    count: int = 0


def test_a_number_for_a_date_is_refused_and_other_numbers_pass() -> None:
    with pytest.raises(ValueError, match="应为日期文本"):
        _Dated.model_validate({"on": 0})
    row = _Dated.model_validate({"on": "2026-12-05", "note": "备注\x00", "count": 3})
    assert (row.on, row.note, row.count) == (date(2026, 12, 5), "备注", 3)
