import datetime

import pytest

from django.core.exceptions import ValidationError

from services.validators import (
    credit_code_check_character,
    mask_phone,
    phone_digits,
    validate_credit_code,
    validate_phone,
)
from services.workdays import add_working_days

# Published codes of large companies (real format, correct GB 32100-2015 check characters).
REAL_CODES = ["9144030071526726XG", "91330100799655058B", "914403001922038216", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91330100799655058", "length"),  # 17 characters
        ("91330100799655058BB", "length"),  # 19 characters
        ("", "length"),
        ("91330100799655058C", "checksum"),  # wrong check character
        ("914403007152672 6XG"[:18], "invalid_character"),  # space inside
        ("9144030071526726xg", "lower_case"),
        ("９１３３０１００７９９６５５０５８Ｂ", "full_width"),
        ("91330100799655058Ｂ", "full_width"),
        ("9133010079965505OB", "invalid_character"),  # letter O is not in the alphabet
        ("91330100799655058I", "invalid_character"),
        ("91AB0100799655058B", "division"),  # positions 3-8 must be digits
    ],
)
def test_bad_codes_say_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    assert info.value.code == code
    assert "统一社会信用代码" in str(info.value.messages[0])


def test_every_single_character_change_is_caught():
    """The check character catches any one-character substitution (the point of GB 32100)."""
    from services.validators import CREDIT_CODE_ALPHABET

    code = REAL_CODES[1]
    for position in range(17):
        for char in CREDIT_CODE_ALPHABET:
            if char == code[position] or (2 <= position < 8 and not char.isdigit()):
                continue
            changed = code[:position] + char + code[position + 1 :]
            with pytest.raises(ValidationError):
                validate_credit_code(changed)


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "023-63897000", "02363897000", "0571-8765432"])
def test_good_phones(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "1381234567",
        "12812345678",
        "138123456789",
        "63897000",
        "023-0389700",
        "abc",
        "１３８１２３４５６７８",
        "<script>",
    ],
)
def test_bad_phones(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_mask_and_digits():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("023-63897000") == "023****7000"
    assert phone_digits("+86 138-1234-1234") == "13812341234"


def test_working_days_skip_weekends(settings):
    friday = datetime.date(2026, 11, 27)
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 30)  # Monday
    assert add_working_days(friday, 5) == datetime.date(2026, 12, 4)
    settings.SERVICES_HOLIDAYS = ["2026-11-30"]
    assert add_working_days(friday, 1) == datetime.date(2026, 12, 1)
