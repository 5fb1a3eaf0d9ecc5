"""Query and text normalisation applied before segmentation.

Everything that reaches the index or a query goes through ``fold`` so both
sides agree: full-width letters and digits become half-width (NFKC), letters
are lower-cased, and the many bracket shapes used in 文号 collapse into one.
"""

import re
import unicodedata

# 文号 brackets: 〔2020〕, [2020], ［2020］, (2020), （2020）, 【2020】, ﹝2020﹞ are one number.
_OPEN_BRACKETS = "〔［[（(【〖﹝⦅"
_CLOSE_BRACKETS = "〕］]）)】〗﹞⦆"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN_BRACKETS, "〔"), **dict.fromkeys(_CLOSE_BRACKETS, "〕")})
# Quotes in traditional-looking or full-width shapes, folded to plain ones.
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’", "＂": '"', "＇": "'"})

_SPACE = re.compile(r"\s+")
MAX_QUERY_LENGTH = 200
_NOT_WORD = re.compile(r"[\W_]+")


def fold_width(text):
    """Half-width letters, digits and ASCII punctuation (NFKC); case kept."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", str(text))


def fold(text):
    """Canonical form used at index and query time (never shown to users)."""
    # NFKC first: it turns full-width brackets into ASCII ones, which _BRACKETS then maps.
    return fold_width(text).translate(_BRACKETS).translate(_QUOTES).lower()


def normalise_query(query):
    """Clean a query as typed: half-width, whitespace collapsed, length capped.

    The result stays close to what the user typed (brackets and punctuation
    kept) because it is echoed back and logged; ``fold`` and segmentation
    do the rest on the way to the backend.
    """
    query = fold_width(query or "")
    query = _SPACE.sub(" ", query).strip()
    return query[:MAX_QUERY_LENGTH]


def has_search_terms(query):
    """False for empty or punctuation-only queries (they get the search tips)."""
    return bool(_NOT_WORD.sub("", fold(query or "")))


def canonical_document_number(text):
    """A 文号 in one shape: ``渝经信中小〔2020〕9号`` for any bracket style or width."""
    return _SPACE.sub("", fold(text))
