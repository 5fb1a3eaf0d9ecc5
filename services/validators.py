"""Validators for what SMEs type into service forms.

统一社会信用代码 follows GB 32100-2015: 18 characters from a 31-character alphabet
(digits and upper-case letters without I, O, Z, S, V); positions 3–8 are the
administrative division code; the last character is a check character computed
from the first 17 with weights 3^i mod 31.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18


def credit_code_check_character(first17):
    """The GB 32100-2015 check character for the first 17 characters of a code."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def _has_full_width(value):
    return any(unicodedata.east_asian_width(char) in ("F", "W") for char in value)


def validate_credit_code(value):
    """Raise ValidationError with a message that says what is wrong with the code."""
    if _has_full_width(value):
        raise ValidationError(_("统一社会信用代码请使用半角字符（不要使用全角字母或数字）。"), code="full_width")
    if len(value) != CREDIT_CODE_LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，您输入了%(length)d位。"), code="length", params={"length": len(value)}
        )
    if value != value.upper():
        raise ValidationError(_("统一社会信用代码中的字母应为大写。"), code="lower_case")
    if any(char not in CREDIT_CODE_ALPHABET for char in value):
        raise ValidationError(
            _("统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）。"), code="invalid_character"
        )
    if not value[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3至8位应为行政区划代码（数字）。"), code="division")
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="checksum")


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 010/02x (3 digits) or 0xxx (4 digits), 7–8 digit number, optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[1-9]\d{6,7}(-\d{1,6})?$")


def normalise_phone(value):
    """Drop spaces and turn a leading +86 into nothing, so equal numbers compare equal."""
    value = re.sub(r"\s+", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def phone_digits(value):
    """ASCII digits only: what tracking compares, whatever separators were typed.

    Not ``\\D``: in a str pattern it keeps every Unicode digit ("١٣٨" too), and
    ``secrets.compare_digest`` refuses non-ASCII text with a TypeError.
    """
    return re.sub(r"[^0-9]", "", normalise_phone(value))


def validate_phone(value):
    value = normalise_phone(value)
    if _has_full_width(value):
        raise ValidationError(_("电话号码请使用半角数字。"), code="full_width")
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value):
        return
    raise ValidationError(
        _("请输入11位手机号码，或带区号的固定电话（如 023-63897000）。"),
        code="invalid_phone",
    )


def mask_phone(value):
    """138****1234 for mobiles; keep area code and last four digits for landlines."""
    digits = phone_digits(value)
    if len(digits) < 7:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"
