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


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_digits_are_read_as_the_same_number() -> None:
    assert parse("11010519491231002X".translate(FULL_WIDTH)).value == "11010519491231002X"
    assert parse("　１１０１０５１９４９１２３１００２ｘ ").value == "11010519491231002X"


@pytest.mark.parametrize("odd", ["²", "₂", "①", "٢", "〇"])
def test_other_characters_that_look_like_digits_are_refused_with_a_clear_reason(odd: str) -> None:
    with pytest.raises(InvalidIdNumber, match=f"只能由数字和 X 组成，不能含“{odd}”"):
        parse("1101051949123100" + odd + "X")


@pytest.mark.parametrize("prefix", ["00", "99", "20", "10", "16", "47", "72", "83"])
def test_a_province_code_that_does_not_exist_is_refused(prefix: str) -> None:
    number = make(prefix + "0105", date(1949, 12, 31), 2)
    with pytest.raises(InvalidIdNumber, match=f"前两位 {prefix} 不是有效的省级行政区划代码"):
        parse(number)


@pytest.mark.parametrize(
    "prefix", ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"]
)
def test_every_real_province_code_is_accepted(prefix: str) -> None:
    assert parse(make(prefix + "0105", date(1949, 12, 31), 2)).value.startswith(prefix)


@pytest.mark.django_db
def test_numbers_stored_full_width_become_ascii_unless_that_would_duplicate(zouping: object) -> None:
    import importlib

    from django.apps import apps

    from cunshe.people.models import Person

    migration = importlib.import_module("cunshe.people.migrations.0003_id_numbers_ascii")
    first, second = make("371681", date(1980, 1, 1), 1), make("371681", date(1980, 1, 1), 3)
    wide = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    # As the old code stored them: one full-width number of its own, one the full-width twin of a registered one.
    Person.objects.create(
        region_id="371681001213", name="甲", id_number=first.translate(wide), gender="M", birth_date=date(1980, 1, 1)
    )
    Person.objects.create(
        region_id="371681001213", name="乙", id_number=second, gender="M", birth_date=date(1980, 1, 1)
    )
    Person.objects.create(
        region_id="371681001213", name="乙二", id_number=second.translate(wide), gender="M", birth_date=date(1980, 1, 1)
    )
    migration.to_ascii(apps, None)
    assert Person.objects.get(name="甲").id_number == first
    assert Person.objects.get(name="乙二").id_number == second.translate(wide)  # left for a person to resolve
