"""Rewrite a modelsearch query tree into segmented terms.

The database backends split a ``PlainText`` on whitespace and look each piece
up as one index token. Chinese has no spaces, so before the backend sees the
query every ``PlainText`` is normalised, segmented and expanded with synonyms
here. ``Phrase`` becomes an AND of its words: the index holds overlapping
words (full mode), so word adjacency is not kept.
"""

from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText

from ..segmentation import get_segmenter

NOTHING = Not(MatchAll())


def _combine(parts, operator):
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)


def _plain(text, operator, for_prefix):
    segmenter = get_segmenter()
    if for_prefix:
        # Autocomplete: no synonyms, the last (possibly unfinished) word is a prefix.
        terms = segmenter.query_terms(text, for_prefix=True)
        return PlainText(" ".join(terms), operator=operator) if terms else None

    parts = []
    for piece, alternatives in segmenter.split_synonyms(text):
        if alternatives is None:
            terms = segmenter.query_terms(piece)
            if terms:
                parts.append(PlainText(" ".join(terms), operator=operator))
            continue
        options = []
        for alternative in alternatives:
            terms = segmenter.query_terms(alternative)
            if terms:
                options.append(PlainText(" ".join(terms), operator="and"))
        combined = _combine(options, "or")
        if combined is not None:
            parts.append(combined)
    return _combine(parts, operator)


def segment_query(query, for_prefix=False):
    """Return the segmented query, or ``None`` when nothing searchable is left."""
    if isinstance(query, PlainText):
        return _plain(query.query_string, query.operator, for_prefix)
    if isinstance(query, Phrase):
        return _plain(query.query_string, "and", for_prefix)
    if isinstance(query, (And, Or)):
        parts = [segment_query(sub, for_prefix) for sub in query.subqueries]
        return _combine([p for p in parts if p is not None], "and" if isinstance(query, And) else "or")
    if isinstance(query, Not):
        inner = segment_query(query.subquery, for_prefix)
        return None if inner is None else Not(inner)
    if isinstance(query, Boost):
        inner = segment_query(query.subquery, for_prefix)
        return None if inner is None else Boost(inner, query.boost)
    # MatchAll and Fuzzy pass through untouched.
    return query


class SegmentingCompilerMixin:
    """Query-compiler mixin: segment ``self.query`` once, before compilation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        segmented = segment_query(self.query, for_prefix=self.LAST_TERM_IS_PREFIX)
        self.query = NOTHING if segmented is None else segmented
