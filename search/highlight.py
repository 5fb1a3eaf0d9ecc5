"""Escaped highlighting of query terms in titles and snippets."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .normalise import normalise_query
from .segmentation import get_segmenter

SNIPPET_LENGTH = 120


def highlight_terms(query):
    """Terms to mark for ``query``, longest first.

    Consecutive single characters (a name jieba does not know, such as 马振轩)
    are marked as one run rather than one character at a time.
    """
    segmenter = get_segmenter()
    terms = set()
    for piece, alternatives in segmenter.split_synonyms(normalise_query(query)):
        for text in alternatives or [piece]:
            run = ""
            for term in segmenter.query_terms(text):
                if len(term) == 1:
                    run += term
                    continue
                if run:
                    terms.add(run)
                    run = ""
                terms.add(term)
            if run:
                terms.add(run)
    return sorted(terms, key=len, reverse=True)


def _pattern(terms):
    """One pattern matching any of ``terms`` (longest first, as given); ``None`` for none.

    A results page asks for it twice per result (the title, the snippet) with the same
    terms: made once per list of terms, not escaped, joined and looked up again each time.
    """
    return _compiled(tuple(terms)) if terms else None


@lru_cache(maxsize=256)
def _compiled(terms):
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def collapse_spaces(text):
    """``text`` with each run of whitespace as one space, trimmed: what
    ``re.sub(r"\\s+", " ", text).strip()`` gives (both know whitespace as ``str.isspace``
    does), split and joined in C instead of a pattern over a page's whole text."""
    return " ".join(text.split())


def highlight(text, terms):
    """``text`` escaped, with every term wrapped in ``<mark>``."""
    text = text or ""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    # Adjacent words (重庆 + 科技) read as one highlighted run.
    # Every piece above is escaped; only our own <mark> tags are raw.
    return mark_safe("".join(out).replace("</mark><mark>", ""))  # noqa: S308  # nosec B308 B703


def snippet(text, terms, length=SNIPPET_LENGTH):
    """A window of ``text`` around the first matched term, highlighted."""
    text = collapse_spaces(text or "")
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0 if match is None else max(0, match.start() - length // 4)
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    # highlight() escapes the text; the ellipses are constants.
    return mark_safe(prefix + highlight(window, terms) + suffix)  # noqa: S308  # nosec B308 B703
