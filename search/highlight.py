"""Escaped highlighting of query terms in titles and snippets."""

import re

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
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


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
    text = re.sub(r"\s+", " ", text or "").strip()
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0 if match is None else max(0, match.start() - length // 4)
    window = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    # highlight() escapes the text; the ellipses are constants.
    return mark_safe(prefix + highlight(window, terms) + suffix)  # noqa: S308  # nosec B308 B703
