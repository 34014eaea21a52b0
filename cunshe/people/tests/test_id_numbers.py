from datetime import date

import pytest

from cunshe.people.id_numbers import InvalidIdNumber, check_character, make, mask, parse


def test_a_published_example_passes() -> None:
    # The worked example of GB 11643-1999: 11010519491231002X.
    parsed = parse("11010519491231002x")
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"


def test_check_character_is_iso_7064_mod_11_2() -> None:
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", "18 位"),
        ("11010519491231002Y", "最后一位"),
        ("110105194902300021", "出生日期"),
        ("110105194912310021", "校验位"),
        ("110105299912310028", "不合理"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason(raw: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber, match=reason):
        parse(raw)


def test_made_numbers_are_valid_and_carry_gender() -> None:
    assert parse(make("371681", date(1980, 2, 29), 1)).gender == "M"
    assert parse(make("371681", date(1980, 2, 29), 2)).gender == "F"


def test_mask_keeps_only_the_ends() -> None:
    assert mask("11010519491231002X") == "110***********002X"
