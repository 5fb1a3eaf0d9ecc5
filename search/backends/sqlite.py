"""modelsearch's SQLite FTS5 backend with Chinese segmentation.

FTS5's ``unicode61`` tokenizer splits on spaces and punctuation only, so the
text we hand it is already segmented (``segmentation.index_text``).

Reach-in: modelsearch builds ``ObjectIndexer`` by its module-level name inside
``SQLiteIndex.add_items``; there is no hook to swap it. ``add_items`` below
is that method verbatim (modelsearch 1.3.2) except for ``self.indexer_class``.
``search/tests/test_backend_internals.py`` fingerprints the upstream source so
an upgrade that changes it fails loudly.
"""

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from ..segmentation import index_text
from .query import SegmentingCompilerMixin


class SegmentingObjectIndexer(ObjectIndexer):
    @cached_property
    def title(self):
        return index_text(ObjectIndexer.title.func(self))

    @cached_property
    def body(self):
        return index_text(ObjectIndexer.body.func(self))

    @cached_property
    def autocomplete(self):
        return index_text(ObjectIndexer.autocomplete.func(self))


class ChineseSQLiteIndex(SQLiteIndex):
    indexer_class = SegmentingObjectIndexer

    def add_items(self, model, objs):
        search_fields = model.get_search_fields()
        if not search_fields:
            return

        indexers = [self.indexer_class(obj, self.backend) for obj in objs]

        if not indexers:
            return

        content_type_pk = get_content_type_pk(model)

        ids_and_data = {}
        for indexer in indexers:
            ids_and_data[indexer.id] = (
                indexer.title,
                indexer.autocomplete,
                indexer.body,
            )

        index_entries_for_ct = self.entries.filter(content_type_id=content_type_pk)
        indexed_ids = frozenset(
            index_entries_for_ct.filter(object_id__in=ids_and_data.keys()).values_list("object_id", flat=True)
        )
        for indexed_id in indexed_ids:
            title, autocomplete, body = ids_and_data[indexed_id]
            index_entries_for_ct.filter(object_id=indexed_id).update(title=title, autocomplete=autocomplete, body=body)

        to_be_created = []
        for object_id in ids_and_data:
            if object_id not in indexed_ids:
                title, autocomplete, body = ids_and_data[object_id]
                to_be_created.append(
                    IndexEntry(
                        content_type_id=content_type_pk,
                        object_id=object_id,
                        title=title,
                        autocomplete=autocomplete,
                        body=body,
                    )
                )

        self.entries.bulk_create(to_be_created)

        self._refresh_title_norms()


# FTS5 table columns, in order; bm25() takes one weight per column in this order.
FTS_COLUMNS = ("autocomplete", "body", "title")


class WeightedBM25(BM25):
    """``bm25()`` with per-column weights.

    Stock modelsearch weighs every column 1, so a word in a long body outranks
    the same word in a title; segmented text (one token per word and per
    character) makes that worse. FTS5 multiplies each column's hit count by its
    weight but normalises by the length of the whole row, so the title weight
    has to be large for a title hit to beat a short body that repeats the word.
    """

    def __init__(self, weights):
        super().__init__()
        self.weights = weights

    def as_sql(self, compiler, connection, function=None, template=None):
        weights = ", ".join(str(float(self.weights.get(column, 0.0))) for column in FTS_COLUMNS)
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


class RankedFetchMixin:
    """Relevance-ordered results driven by the full-text index.

    Upstream orders by ``Subquery(... MATCH ... WHERE object_id = OuterRef(pk))``:
    SQLite re-runs the full-text match for every matching row, so one page of
    results took 0.4 s at 500 matches and grows with the square of the matches.
    Here one query over the FTS table ranks the matches whose objects are in
    the caller's queryset and returns one slice of ids; a second fetches those
    objects through the caller's queryset (so ``specific()``, ``select_related``
    and friends still apply). Counting, facets, negated and unranked searches
    keep the upstream path, which has no correlated subquery.
    """

    column_weights = {"autocomplete": 0.0, "body": 1.0, "title": 20.0}

    def can_fetch_ranked(self):
        query = normalize(self.query)
        return self.order_by_relevance and not isinstance(query, (MatchAll, Not))

    def fetch_ranked(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
        model = self.queryset.model
        allowed = self.queryset.order_by().annotate(_object_id=Cast("pk", TextField())).values("_object_id")
        rows = list(
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(model),
                index_entry__object_id__in=allowed,
            )
            # Rank on the query as written: normalize() may produce AndNot, which has no rank.
            .annotate(score=self.build_tsrank(None, self.query, config=config))
            .order_by("score", "-index_entry_id")  # bm25() is negative: lower is better
            .values_list("index_entry__object_id", "score")[start:stop]
        )
        pk_field = model._meta.pk
        ranked = [(pk_field.to_python(object_id), score) for object_id, score in rows]
        objects = {obj.pk: obj for obj in self.queryset.filter(pk__in=[pk for pk, _score in ranked])}
        results = []
        for pk, score in ranked:
            obj = objects.get(pk)
            if obj is not None:
                if score_field:
                    setattr(obj, score_field, score)
                results.append(obj)
        return results

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, (Phrase, PlainText, Not)):
            rank = WeightedBM25(self.column_weights)
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)


class ChineseSQLiteSearchQueryCompiler(SegmentingCompilerMixin, RankedFetchMixin, SQLiteSearchQueryCompiler):
    pass


class ChineseSQLiteAutocompleteQueryCompiler(
    SegmentingCompilerMixin, RankedFetchMixin, SQLiteAutocompleteQueryCompiler
):
    column_weights = {"autocomplete": 1.0, "body": 0.0, "title": 0.0}


class ChineseSQLiteSearchResults(SQLiteSearchResults):
    def facet(self, field_name):
        # Counting needs no ranking; upstream would annotate every row with a correlated score.
        compiler = self.query_compiler
        order_by_relevance, compiler.order_by_relevance = compiler.order_by_relevance, False
        try:
            return super().facet(field_name)
        finally:
            compiler.order_by_relevance = order_by_relevance

    def _do_search(self):
        compiler = self.query_compiler
        if compiler.can_fetch_ranked():
            config = compiler.get_config(self.backend)
            return compiler.fetch_ranked(config, self.start, self.stop, score_field=self._score_field)
        return super()._do_search()


class ChineseSQLiteSearchBackend(SQLiteSearchBackend):
    index_class = ChineseSQLiteIndex
    results_class = ChineseSQLiteSearchResults
    query_compiler_class = ChineseSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler


SearchBackend = ChineseSQLiteSearchBackend
