"""GB 11643 ID numbers (codes.md §6): check characters, legacy 15-digit numbers, masks."""
import datetime as dt

import pytest

from quequan.core import codes
from quequan.checks.attribute_rules.identity import normalised_id


@pytest.mark.parametrize("number", [
    "11010519491231002X",      # the widely published sample: S = 167, 167 mod 11 = 2 -> X
    "370832196503121230",      # the legacy example converted
])
def test_known_check_characters(number):
    assert codes.id_check_char(number[:17]) == number[17]
    assert codes.id_problem(number) is None


def test_birth_before_1900_is_refused():
    body = "44052418991231001"
    assert codes.id_problem(body + codes.id_check_char(body)) == "出生日期 18991231 无效"
    body = "44052419000101001"
    assert codes.id_problem(body + codes.id_check_char(body)) is None


def test_check_digit_weights_and_sum():
    body = "11010519491231002"
    assert sum(int(d) * w for d, w in zip(body, codes.ID_WEIGHTS)) == 167
    assert codes.ID_WEIGHTS == tuple(2 ** (17 - i) % 11 for i in range(17))


def test_wrong_check_digit_names_the_right_one():
    assert codes.id_problem("370832196503121231") == "校验位错误，应为 0"
    assert codes.id_problem("110105194912310021") == "校验位错误，应为 X"


def test_lowercase_x_and_spaces_are_normalised():
    assert codes.id_problem("11010519491231002x") is None
    assert codes.id_problem(" 11010519491231002X ") is None
    assert normalised_id(" 11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("number,problem", [
    ("1101051949123100", "格式错误"),                 # 16 digits
    ("11010519491231002Y", "格式错误"),
    ("99010519491231002X", "省份代码 99 无效"),
    ("110105194902300020", "出生日期 19490230 无效"),  # 30 February
    (None, "为空"),
])
def test_invalid_numbers(number, problem):
    assert codes.id_problem(number).startswith(problem)


def test_birth_after_survey_date():
    n = "110105201701010015"
    n = n[:17] + codes.id_check_char(n[:17])
    assert codes.id_problem(n, dt.date(2016, 12, 31)).startswith("出生日期")
    assert codes.id_problem(n, dt.date(2017, 1, 1)) is None


def test_legacy_15_digits():
    assert codes.id_problem("370832650312123") == "LEGACY15"
    assert codes.id15_to_18("370832650312123") == "370832196503121230"
    assert codes.id_problem("370832651332123").startswith("出生日期")   # month 13
    assert normalised_id("370832650312123") == "370832196503121230"
    assert normalised_id("370832651332123") == "370832651332123"


def test_gender_digit():
    assert codes.id_gender("11010519491231002X") == "2"    # 17th digit 2: female
    assert codes.id_gender("370832196503121230") == "1"    # 17th digit 3: male
    assert codes.id_gender("370832650312123") == "1"       # 15th digit 3: male
    assert codes.id_gender("abc") is None


def test_masks():
    assert codes.mask_id("11010519491231002X") == "110105********002X"
    assert codes.mask_id("370832650312123") == "370832*****2123"
    assert codes.mask_id("1234567") == "***4567"
    assert codes.mask_id(None) == ""


def test_empty_id_values():
    for v in (None, "", "   ", "000000000000000000", "-", "/", "无", "0 0"):
        assert codes.is_empty_id(v), v
    assert not codes.is_empty_id("370832000123")
