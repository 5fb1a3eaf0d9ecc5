"""modelsearch's SQLite FTS5 backend with Chinese segmentation.

FTS5's ``unicode61`` tokenizer splits on spaces and punctuation only, so the
text we hand it is already segmented (``segmentation.index_text``).

Reach-in: modelsearch builds ``ObjectIndexer`` by its module-level name inside
``SQLiteIndex.add_items``; there is no hook to swap it. ``add_items`` below
is that method verbatim (modelsearch 1.3.2) except for ``self.indexer_class``.
``search/tests/test_backend_internals.py`` fingerprints the upstream source so
an upgrade that changes it fails loudly.
"""

import heapq

from django.db.models.sql import Query
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchAtomicRebuilder,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchRebuilder,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from ..segmentation import index_text
from .allowed import (
    IndexRankedMixin,
    IndexRankedResultsMixin,
    compiled_sql,
    fetch_ids_sql,
    fetch_rows_sql,
    request_matches,
)
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

    def _refresh_title_norms(self, full=False):
        """Nothing to do on SQLite: ``title_norm`` is read only by the MySQL and PostgreSQL
        rankers; FTS5's ``bm25()`` does its own length normalisation.

        Upstream sets it anyway, after every indexed batch and over the whole table at the end
        of ``update_index``. The FTS table follows the entries through an ``AFTER UPDATE``
        trigger that fires whatever column changed, so each of those updates deleted and
        re-inserted the entry's full text: a rebuild wrote the whole index twice and left it
        with a deletion marker for every row, which every later search had to read past.
        """

    def optimise(self):
        """Merge the full-text index into one b-tree (FTS5's ``optimize``).

        Indexing in batches leaves FTS5 a segment per batch (15 for 50,000 pages), and a
        search reads and merges the term's list from each one.
        """
        table = self.write_connection.ops.quote_name(SQLiteFTSIndexEntry._meta.db_table)
        with self.write_connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")  # nosec B608 - a quoted model table name


class OptimisingRebuilder(SQLiteSearchRebuilder):
    """``update_index`` ends with one merged full-text index (``ChineseSQLiteIndex.optimise``)."""

    def finish(self):
        self.index.optimise()
        super().finish()


class OptimisingAtomicRebuilder(SQLiteSearchAtomicRebuilder):
    """The same inside the rebuild's transaction; not when upstream's ``__del__`` finishes a
    rebuild that failed, which it marks for rollback."""

    def finish(self):
        if not getattr(self.transaction, "needs_rollback", False):
            self.index.optimise()
        super().finish()


# The full-text statements, compiled once per process (``RankedFetchMixin._fts_statement``).
_FTS_STATEMENTS = {}
MAX_FTS_STATEMENTS = 64

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


class RankedFetchMixin(IndexRankedMixin):
    """Relevance-ordered results, counts and facets driven by the full-text index alone.

    Upstream joins every match to the index entries and to the caller's queryset, and
    orders by a correlated subquery that re-runs the full-text match per row. At 50,000
    pages that cost 170 ms (小巨人, 25,000 matches) to 240 ms (重庆, 45,000) for one page
    of results and its count, most of it in the per-match joins.

    Here the FTS table is asked once, with no join, for every match's rowid and
    ``bm25()`` score (a compact C loop: 31 ms for 25,000 matches). Which rowids belong to
    the caller's queryset comes from ``allowed_entries`` (see there): a map built by one
    join per queryset and content version, kept in the process. Ranking, counting and
    faceting are then set operations in Python over the matches; the order is exactly
    the upstream one (score, then newest index entry first), on every page. Negated and
    unranked searches keep the upstream path.
    """

    column_weights = {"autocomplete": 0.0, "body": 1.0, "title": 20.0}

    def can_fetch_ranked(self):
        query = self._normalized_query()
        # An object indexed twice (under two content types) would be counted twice here.
        return not isinstance(query, (MatchAll, Not)) and self.allowed().unique

    def _normalized_query(self):
        """``normalize(self.query)``, worked out once per compiler (a search asks three times)."""
        if "_normalized" not in self.__dict__:
            self._normalized = normalize(self.query)
        return self._normalized

    def _match_expression(self, config):
        columns = self.fields or self.FTS_TABLE_FIELDS
        return MatchExpression(columns, self.build_search_query(self._normalized_query(), config=config))

    def _match_queryset(self, config):
        return SQLiteFTSIndexEntry.objects.using(self.queryset.db).filter(self._match_expression(config))

    def _scored(self, config):
        # Rank on the query as written: normalize() may produce AndNot, which has no rank.
        return self._match_queryset(config).annotate(score=self._rank(config)).values_list("index_entry_id", "score")

    def _rank(self, config):
        return self.build_tsrank(None, self.query, config=config)

    def _bare_compiler(self):
        """A compiler for compiling expressions on their own (the MATCH text, the rank)."""
        return Query(SQLiteFTSIndexEntry).get_compiler(using=self.queryset.db)

    def _match_param(self, config):
        """The MATCH text of this query (FTS5's syntax, passed as one parameter), once per compiler."""
        if "_match_text" not in self.__dict__:
            compiler = self._bare_compiler()
            _sql, params = self._match_expression(config).as_sql(compiler, compiler.connection)
            (self._match_text,) = params
        return self._match_text

    def _fts_statement(self, config, shape, build):
        """``(sql, params)`` of the queryset ``build()`` makes, compiled once per process and
        ``shape`` (what else its SQL depends on), run with this query's MATCH text.

        Building and compiling these querysets took about a seventh of a site search's
        work (instructions per request); their SQL differs between queries only in the
        MATCH parameter and in the rank's shape. A statement whose parameters hold that
        text other than exactly once is compiled on every call.
        """
        match = self._match_param(config)
        key = (self.queryset.db, shape)
        kept = _FTS_STATEMENTS.get(key)
        if kept is None:
            sql, params = compiled_sql(build())
            at = [index for index, param in enumerate(params) if param == match]
            if sql is None or len(at) != 1:
                return sql, params
            kept = (sql, tuple(params), at[0])
            if len(_FTS_STATEMENTS) >= MAX_FTS_STATEMENTS:
                _FTS_STATEMENTS.clear()
            _FTS_STATEMENTS[key] = kept
        sql, params, at = kept
        params = list(params)
        params[at] = match
        return sql, params

    def matched_ids(self, config):
        """Every match's rowid (no ranking); computed once per compiler."""
        if getattr(self, "_matched_ids", None) is None:
            sql, params = self._fts_statement(
                config, ("matches",), lambda: self._match_queryset(config).values_list("index_entry_id")
            )
            db = self.queryset.db
            self._matched_ids = request_matches(
                db, sql, params, lambda: fetch_ids_sql(db, "index_entry_id", sql, params)
            )
        return self._matched_ids

    def _ranked_rows(self, config, limit):
        """``[(rowid, score)]`` of the matches, best first, the first ``limit`` (all with None)."""
        ordering = ("score", "-index_entry_id")  # bm25() is negative: lower is better
        compiler = self._bare_compiler()
        rank_sql, rank_params = compiler.compile(self._rank(config))

        def build():
            scored = self._scored(config)
            return scored.order_by(*ordering)[:limit] if limit is not None else scored

        sql, params = self._fts_statement(config, ("scored", rank_sql, repr(rank_params), limit), build)
        return fetch_rows_sql(self.queryset.db, sql, params)

    def ranked_hits(self, config, stop):
        """``[(score, -rowid)]`` of the best ``stop`` allowed matches (all with None), best first.

        FTS5 ranks every match in C and its sorter keeps only the first rows of the
        LIMIT; the ones outside the queryset are dropped here. Should too many of the
        first rows be dropped, the search is repeated over every match.
        """
        allowed = self.allowed()
        if stop is not None:
            limit = allowed.first_fetch(stop)
            rows = self._ranked_rows(config, limit)
            hits = [(score, -rowid) for rowid, score in rows if rowid in allowed]
            if len(hits) >= stop or len(rows) < limit:
                return hits[:stop]
        hits = [(score, -rowid) for rowid, score in self._ranked_rows(config, None) if rowid in allowed]
        return heapq.nsmallest(stop, hits) if stop is not None else sorted(hits)

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


class ChineseSQLiteSearchResults(IndexRankedResultsMixin, SQLiteSearchResults):
    def facet(self, field_name):
        compiler = self.query_compiler
        if compiler.can_fetch_ranked() and compiler._get_filterable_field(field_name) is not None:
            return compiler.facet_matches(compiler.get_config(self.backend), field_name)
        # Counting needs no ranking; upstream would annotate every row with a correlated score.
        order_by_relevance, compiler.order_by_relevance = compiler.order_by_relevance, False
        try:
            return super().facet(field_name)
        finally:
            compiler.order_by_relevance = order_by_relevance

    def _do_count(self):
        compiler = self.query_compiler
        if compiler.can_fetch_ranked():
            return compiler.count_matches(compiler.get_config(self.backend))
        return super()._do_count()

    def _ranked_in_index(self):
        compiler = self.query_compiler
        if compiler.order_by_relevance and compiler.can_fetch_ranked():
            return compiler, compiler.get_config(self.backend)
        return None


class ChineseSQLiteSearchBackend(SQLiteSearchBackend):
    index_class = ChineseSQLiteIndex
    rebuilder_class = OptimisingRebuilder
    atomic_rebuilder_class = OptimisingAtomicRebuilder
    results_class = ChineseSQLiteSearchResults
    query_compiler_class = ChineseSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler


SearchBackend = ChineseSQLiteSearchBackend
