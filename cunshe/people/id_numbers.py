"""Resident ID numbers (公民身份号码) by GB 11643-1999: 6-digit address code, 8-digit birth date,
3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK = "10X98765432"
# The province-level codes of GB/T 2260 (the first two digits of every address code): 北京 11 … 内蒙古 15, 辽宁 21 …
# 黑龙江 23, 上海 31 … 山东 37, 河南 41 … 海南 46, 重庆 50 … 西藏 54, 陕西 61 … 新疆 65, 台湾 71, 香港 81, 澳门 82.
PROVINCES = frozenset(
    f"{n}"
    for n in [
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
    ]
)
# What a person may type for a digit or the check character: ASCII, or the full-width forms a Chinese input method
# gives (NFKC turns those into ASCII). Anything else NFKC would also fold into a digit (², ₃, ①) is refused rather
# than silently read as a digit.
_TYPED = re.compile(r"[\x00-\x7f０-９Ｘｘ]*")
_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)


class InvalidIdNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    gender: str  # "M" or "F"

    @property
    def masked(self) -> str:
        return mask(self.value)


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(raw: str) -> str:
    """The number as stored: full-width digits and X made ASCII (NFKC), spaces around dropped, x upper case. For
    look-ups (search, imports matching a person), where a number that is not well formed simply matches nothing."""
    return unicodedata.normalize("NFKC", raw or "").strip().upper()


def parse(raw: str) -> IdNumber:
    typed = (raw or "").strip()
    if not _TYPED.fullmatch(typed):
        odd = next(c for c in typed if not _TYPED.fullmatch(c))
        raise InvalidIdNumber(f"身份证号码只能由数字和 X 组成，不能含“{odd}”。")
    value = normalize(typed)
    if len(value) != 18:
        raise InvalidIdNumber(f"身份证号码应为 18 位，现为 {len(value)} 位。")
    if not _SHAPE.fullmatch(value):
        raise InvalidIdNumber("身份证号码前 17 位应为数字，最后一位为数字或 X。")
    if value[:2] not in PROVINCES:
        raise InvalidIdNumber(f"身份证号码前两位 {value[:2]} 不是有效的省级行政区划代码。")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(f"身份证号码中的出生日期 {value[6:14]} 不存在。") from exc
    if born > timezone.localdate() or born.year < 1900:
        raise InvalidIdNumber(f"身份证号码中的出生日期 {born:%Y-%m-%d} 不合理。")
    if check_character(value[:17]) != value[17]:
        raise InvalidIdNumber("身份证号码校验位错误，请核对是否输错。")
    return IdNumber(value=value, birth_date=born, gender="M" if int(value[16]) % 2 else "F")


def make(address_code: str, born: date, sequence: int) -> str:
    """Build a valid number (for demo data and tests): sequence 0-999, odd for men."""
    first17 = f"{address_code[:6]}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def mask(value: str) -> str:
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
