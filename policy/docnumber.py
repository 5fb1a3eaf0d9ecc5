"""发文字号 (document numbers) such as ``渝经信中小〔2020〕9号``.

People type the brackets around the year as 〔〕, [], ［］, (), （）or 【】 and the digits
full- or half-width; all of these are the same number. ``parse`` reads any spelling and
``DocNumber.canonical`` writes the one form we store and compare. Nothing here raises on
bad input: a string that is not a 文号 parses to ``None``.
"""

import re
import unicodedata
from dataclasses import dataclass

# Opening/closing brackets after NFKC (which already folds ［］（） to []()).
_OPEN = "〔[(【〖〈《{"
_CLOSE = "〕])】〗〉》}"
_PATTERN = re.compile(
    r"^(?P<agency>[^\d\[\]]{0,30}?)"
    r"\[(?P<year>\d{4})\]"
    r"第?(?P<number>\d{1,6})号?$"
)
MAX_LENGTH = 60


@dataclass(frozen=True)
class DocNumber:
    agency: str  # "" when only 〔year〕number was typed
    year: int
    number: int

    @property
    def canonical(self):
        return f"{self.agency}〔{self.year}〕{self.number}号"

    def __str__(self):
        return self.canonical


def _fold(text):
    text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split())  # drops ASCII, ideographic and other spaces
    for opening in _OPEN:
        text = text.replace(opening, "[")
    for closing in _CLOSE:
        text = text.replace(closing, "]")
    return text


def parse(value):
    """Return a ``DocNumber`` for any bracket/digit spelling of a 文号, else ``None``."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > MAX_LENGTH:
        return None
    match = _PATTERN.match(_fold(value))
    if match is None:
        return None
    agency = match["agency"]
    if agency and not all(_is_agency_char(char) for char in agency):
        return None
    year = int(match["year"])
    number = int(match["number"])
    if not 1949 <= year <= 2100 or number == 0:
        return None
    return DocNumber(agency=agency, year=year, number=number)


def normalise(value):
    """The canonical spelling of a 文号, or "" when ``value`` is not one."""
    parsed = parse(value)
    return parsed.canonical if parsed else ""


def _is_agency_char(char):
    # Agency codes are Chinese characters, occasionally with Latin letters (e.g. 国科发ZX).
    return "\u4e00" <= char <= "\u9fff" or (char.isascii() and char.isalpha())
