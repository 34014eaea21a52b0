"""Resident ID numbers (公民身份号码) by GB 11643-1999: 6-digit address code, 8-digit birth date,
3-digit sequence (odd for men), and an ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
_CHECK = "10X98765432"


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


def parse(raw: str) -> IdNumber:
    value = raw.strip().upper()
    if len(value) != 18:
        raise InvalidIdNumber(f"身份证号码应为 18 位，现为 {len(value)} 位。")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise InvalidIdNumber("身份证号码前 17 位应为数字，最后一位为数字或 X。")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(f"身份证号码中的出生日期 {value[6:14]} 不存在。") from exc
    if born > date.today() or born.year < 1900:
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
