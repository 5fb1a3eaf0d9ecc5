"""modelsearch's PostgreSQL backend with Chinese segmentation.

PostgreSQL's text-search parser splits on spaces and punctuation, so the text
we hand ``to_tsvector`` is already segmented (``segmentation.index_text``);
the ``simple`` configuration then keeps every token as it is. The plain-text
columns used by fuzzy search keep the original text.

Reach-in: modelsearch builds ``ObjectIndexer`` by its module-level name inside
``PostgresIndex.add_items``; there is no hook to swap it. ``add_items`` below
is that method (modelsearch 1.3.2) with ``self.indexer_class`` and one change:
upstream inserts every entry with ``title_norm = 1.0``, then rescans the whole
table for the average title length and rewrites each new row with its norm,
and a rebuild ends by rewriting every row of the index. Here the insert
computes the norm itself (from the average measured once per run), and the
rebuild's final pass rewrites only rows whose norm is more than 5 % off.
``search/tests/test_backend_internals.py`` fingerprints the upstream source so
an upgrade that changes it fails loudly.
"""

import operator
import re
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Q
from django.db.models.sql.subqueries import InsertQuery

from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, PlainText
from modelsearch.utils import get_content_type_pk

from ..segmentation import index_text
from .allowed import IndexRankedMixin, IndexRankedResultsMixin, index_entry_model, request_matches
from .query import SegmentingCompilerMixin

DEFAULT_SEARCH_CONFIG = "simple"


class SegmentingObjectIndexer(ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        texts = [(index_text(text), weight) for text, weight in texts]
        return super().as_vector(texts, for_autocomplete=for_autocomplete)


class ChinesePostgresIndex(PostgresIndex):
    indexer_class = SegmentingObjectIndexer

    def add_items(self, model, objs):
        search_fields = model.get_search_fields()
        if not search_fields:
            return

        indexers = [self.indexer_class(obj, self.backend) for obj in objs]

        if not indexers:
            return

        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        title_sql = []
        autocomplete_sql = []
        body_sql = []
        data_params = []

        for indexer in indexers:
            data_params.extend((content_type_pk, indexer.id))

            value = compiler.prepare_value(IndexEntry._meta.get_field("title"), indexer.title)
            sql, params = value.as_sql(compiler, self.write_connection)
            title_sql.append(sql)
            data_params.extend(params)

            value = compiler.prepare_value(IndexEntry._meta.get_field("autocomplete"), indexer.autocomplete)
            sql, params = value.as_sql(compiler, self.write_connection)
            autocomplete_sql.append(sql)
            data_params.extend(params)

            value = compiler.prepare_value(IndexEntry._meta.get_field("body"), indexer.body)
            sql, params = value.as_sql(compiler, self.write_connection)
            body_sql.append(sql)
            data_params.extend(params)

            data_params.append(indexer.title_text)
            data_params.append(indexer.body_text)

        data_sql = ", ".join(
            [f"(%s, %s, {a}, {b}, {c}, %s, %s)" for a, b, c in zip(title_sql, autocomplete_sql, body_sql, strict=True)]
        )

        with self.write_connection.cursor() as cursor:
            # Values are parameters; the table name comes from model meta. title_norm is
            # upstream's lavg / length(title); on an empty index the batch's own average.
            sql = (
                f"INSERT INTO {IndexEntry._meta.db_table} "  # noqa: S608  # nosec B608
                "(content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text) "
                "SELECT v.ct, v.oid, v.title, v.ac, v.body, "
                "COALESCE(COALESCE(%s::float8, avg(NULLIF(length(v.title), 0)) OVER ()) "
                "/ NULLIF(length(v.title), 0), 1.0), v.tt, v.bt "
                f"FROM (VALUES {data_sql}) AS v(ct, oid, title, ac, body, tt, bt) "
                "ON CONFLICT (content_type_id, object_id) "
                "DO UPDATE SET title = EXCLUDED.title, title_norm = EXCLUDED.title_norm, "
                "autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text"
            )
            cursor.execute(sql, [self._title_length_average(), *data_params])

    def _title_length_average(self):
        """Upstream's ``lavg``: the mean title length in lexemes, read once per index object
        (one ``update_index`` run, or one page's reindex on publish)."""
        if not hasattr(self, "_lavg"):
            self._lavg = self._measure_title_length_average()
        return self._lavg

    def _measure_title_length_average(self):
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"SELECT avg(length(title)) FROM {IndexEntry._meta.db_table} WHERE length(title) > 0"  # noqa: S608  # nosec B608
            )
            average = cursor.fetchone()[0]
        return float(average) if average is not None else None

    def _refresh_title_norms(self, full=False):
        """Bring norms in line with the current average; only rows more than 5 % off are
        rewritten (upstream rewrites every row, and every index entry of it, each rebuild)."""
        lavg = self._measure_title_length_average()
        if lavg is None:
            return
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {IndexEntry._meta.db_table} SET title_norm = %s / length(title) "  # noqa: S608  # nosec B608
                "WHERE length(title) > 0 AND abs(title_norm - %s / length(title)) > 0.05 * %s / length(title)",
                [lavg, lavg, lavg],
            )
            return cursor.rowcount


class _NotDistributable(Exception):
    pass


class ColumnMatchMixin:
    """Match each term against the title and body columns separately.

    Upstream filters on ``(title || body) @@ query``. Even with the expression index of
    migration 0002, a query that matches a large share of the documents is planned as a
    sequential scan that builds the concatenated vector of every row: 1.6 s to count the
    25,000 matches of 小巨人 among 50,000 pages. ``(title || body) @@ t`` equals
    ``title @@ t OR body @@ t`` for a single term ``t``, and AND/OR of terms distribute
    over it, so the same match is written per term and column: no concatenation, and each
    test can use its column's GIN index (the same count: 0.32 s). Queries with NOT or
    phrases keep the upstream filter (a negation over the multi-valued index relation does
    not distribute the same way). Ranking is unchanged.
    """

    def _term_match(self, term, config):
        query = SearchQuery(Lexeme(term), search_type="raw", config=config)
        return Q(index_entries__title=query) | Q(index_entries__body=query)

    def _match_filter(self, query, config):
        if isinstance(query, PlainText):
            terms = [term for term in re.split(r"[\s\-]+", query.query_string) if term]
            if not terms:
                raise _NotDistributable
            combine = operator.and_ if query.operator == "and" else operator.or_
            return reduce(combine, (self._term_match(term, config) for term in terms))
        if isinstance(query, Boost):
            return self._match_filter(query.subquery, config)
        if isinstance(query, (And, Or)):
            combine = operator.and_ if isinstance(query, And) else operator.or_
            return reduce(combine, (self._match_filter(sub, config) for sub in query.subqueries))
        raise _NotDistributable

    def search(self, config, start, stop, score_field=None, backend=None):
        if self.fields is not None or isinstance(self.query, MatchAll):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        try:
            match = self._match_filter(self.query, config)
        except _NotDistributable:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(self.query, config=config)
        rank_expression = self._build_rank_expression(self.get_search_vectors(search_query), config)
        queryset = self.queryset.filter(match)
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)


RUM_INDEX = "site_search_indexentry_title_body_rum"  # search/migrations/0003
_RUM_READY = {}


def rum_index_ready(db):
    """Whether migration 0003 could build the RUM index on this database (asked once)."""
    connection = connections[db]
    key = (db, connection.settings_dict["NAME"])
    if key not in _RUM_READY:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
            _RUM_READY[key] = cursor.fetchone() is not None
    return _RUM_READY[key]


class RumRankedMixin(IndexRankedMixin):
    """Relevance-ordered results, counts and facets from the index table alone.

    Upstream ranks ``ts_rank(title) * title_norm + ts_rank(body)`` for every match joined
    to the caller's queryset: each body vector (tens of KB, TOASTed) is read and
    decompressed, about 1 s for the 25,000 matches of 小巨人 at 50,000 pages. Where the
    RUM index of migration 0003 exists, the ranking is the RUM distance of
    ``title || body`` (``<=>``; title words carry weight B, body words D, as in the
    index), which RUM computes from the positions it keeps: ``ORDER BY ... LIMIT`` reads
    only the index. Which rows belong to the queryset comes from ``allowed_entries``;
    counts and facets are set operations over the matching ids, fetched with a bitmap
    scan of the index (the planner otherwise prefers a sequential scan that reads every
    vector). Ties go to the newest index entry, as on SQLite. Without the index, or for
    negated, fuzzy and field-restricted searches, the upstream path is kept.
    """

    def can_rank_in_index(self):
        if self.fields is not None or isinstance(self.query, (MatchAll, Not, Fuzzy)):
            return False
        if not getattr(settings, "SEARCH_USE_RUM", True) or not rum_index_ready(self.queryset.db):
            return False
        return self.allowed().unique

    def _tsquery_sql(self, config):
        """The query's tsquery as SQL and parameters, compiled once per compiler and config
        (a search runs it in two to four statements and keys its matches by it)."""
        kept = self.__dict__.setdefault("_tsquery_compiled", {})
        if config not in kept:
            kept[config] = self._compile_tsquery(config)
        return kept[config]

    def _compile_tsquery(self, config):
        entries = index_entry_model().objects.using(self.queryset.db)
        compiler = entries.query.get_compiler(self.queryset.db)
        expression = self.build_tsquery(self.query, config=config).resolve_expression(entries.query)
        return compiler.compile(expression)

    def _run(self, config, sql_template, *extra, ordered=False):
        """Run ``sql_template`` (``{table}``, ``{vector}``, ``{tsquery}``; ``{tsquery}`` may
        appear several times, each time with the query's parameters) with index scans;
        ``ordered``: the RUM index's ordered scan, never a bitmap scan and a sort.

        The planner settings are ``SET LOCAL`` in the same statement string: they hold for
        the implicit transaction of that string only (or, inside ``atomic``, until they
        are set back at its end), and the search costs one round trip, not four.
        """
        table = index_entry_model()._meta.db_table
        vector = f'("{table}"."title" || "{table}"."body")'
        tsquery, params = self._tsquery_sql(config)
        # Table and column names come from model meta; the query text is a parameter.
        sql = sql_template.format(table=f'"{table}"', vector=vector, tsquery=tsquery)
        # Count and rank from the index: a sequential scan would read every vector. With
        # few rows expected (a long AND query) the planner would rather sort a bitmap
        # scan's rows, computing each distance from the row: 250 ms.
        settings_off = ["enable_seqscan", "enable_bitmapscan"] if ordered else ["enable_seqscan"]
        before = "".join(f"SET LOCAL {name} = off; " for name in settings_off)
        after = "".join(f"; SET LOCAL {name} TO DEFAULT" for name in settings_off)
        all_params = list(params) * sql_template.count("{tsquery}") + list(extra)
        with connections[self.queryset.db].cursor() as cursor:
            cursor.execute(before + sql + after, all_params)
            for _setting in settings_off:
                cursor.cursor.nextset()  # psycopg 3: one result per statement, in order
            return cursor.fetchall()

    def matched_ids(self, config):
        if getattr(self, "_matched_ids", None) is None:
            tsquery, params = self._tsquery_sql(config)

            def build():
                rows = self._run(config, "SELECT id FROM {table} WHERE {vector} @@ {tsquery}")
                return [entry_id for (entry_id,) in rows]

            self._matched_ids = request_matches(self.queryset.db, tsquery, params, build)
        return self._matched_ids

    def _ordered_rows(self, config, limit):
        """The first ``limit`` matches in the RUM index's distance order, with their
        distances (each read from its row: only for the rows fetched)."""
        sql = (
            "SELECT id, {vector} <=> {tsquery} FROM {table} WHERE {vector} @@ {tsquery} "
            "ORDER BY {vector} <=> {tsquery} LIMIT %s"
        )
        return self._run(config, sql, limit, ordered=True)

    def _distances(self, config, ids):
        rows = self._run(config, "SELECT id, {vector} <=> {tsquery} FROM {table} WHERE id = ANY(%s)", list(ids))
        return dict(rows)

    def ranked_hits(self, config, stop):
        """``[(distance, -entry id)]`` of the best ``stop`` allowed matches (all with None).

        The RUM index returns ids in distance order, but equal distances in no set order,
        and whole groups of documents share one (a word once in each body: all 4,397
        matches of 300TEU). So the first rows in index order are fetched with their
        distances (reading a distance decompresses the row's vector, so only for these
        rows): the rows before the last wanted row's distance are sorted by it, and
        within that distance the newest entries come first. A group that runs
        past the rows fetched is completed from the matching ids, newest first.
        """
        allowed = self.allowed()
        if stop is not None:
            first = allowed.first_fetch(stop)
            for limit in (first, 4 * first):
                rows = self._ordered_rows(config, limit)
                ids = [entry_id for entry_id, _distance in rows]
                allowed_ids = [entry_id for entry_id in ids if entry_id in allowed]
                if len(allowed_ids) >= stop or len(ids) < limit:
                    break
            else:
                stop = None  # few of the matches are in the queryset: rank them all
        if stop is None:
            ids = [entry_id for entry_id in self.matched_ids(config) if entry_id in allowed]
            return sorted((distance, -entry_id) for entry_id, distance in self._distances(config, ids).items())
        if not allowed_ids:
            return []
        known = dict(rows)
        boundary = known[allowed_ids[min(stop, len(allowed_ids)) - 1]]
        before = {entry_id for entry_id in allowed_ids if known[entry_id] < boundary}
        hits = sorted((known[entry_id], -entry_id) for entry_id in before)
        need = stop - len(hits)
        if len(ids) == limit and known[ids[-1]] == boundary:
            group = self._group_members(config, boundary, before, need)
        else:
            group = sorted((entry_id for entry_id in allowed_ids if known[entry_id] == boundary), reverse=True)
        return hits + [(boundary, -entry_id) for entry_id in group[:need]]

    def _group_members(self, config, boundary, before, need, batch=200):
        """The ``need`` newest allowed matches at distance ``boundary``. Every match not in
        ``before`` is at ``boundary`` or further, so the matches are read newest first
        until enough are at it."""
        allowed = self.allowed()
        candidates = sorted(
            (entry_id for entry_id in self.matched_ids(config) if entry_id in allowed and entry_id not in before),
            reverse=True,
        )
        found = []
        for start in range(0, len(candidates), batch):
            chunk = candidates[start : start + batch]
            distances = self._distances(config, chunk)
            found += [entry_id for entry_id in chunk if distances[entry_id] == boundary]
            if len(found) >= need:
                break
        return found

    def score_from_rank(self, distance):
        return 1 / distance if distance else 0.0


class ChinesePostgresSearchQueryCompiler(
    SegmentingCompilerMixin, RumRankedMixin, ColumnMatchMixin, PostgresSearchQueryCompiler
):
    pass


class ChinesePostgresSearchResults(IndexRankedResultsMixin, PostgresSearchResults):
    def _in_index(self):
        """The compiler, with its config, when it can answer from the RUM index; else None."""
        compiler = self.query_compiler
        if isinstance(compiler, RumRankedMixin) and compiler.can_rank_in_index():
            return compiler, compiler.get_config(self.backend)
        return None

    def facet(self, field_name):
        fast = self._in_index() if self.query_compiler._get_filterable_field(field_name) else None
        if fast:
            compiler, config = fast
            return compiler.facet_matches(config, field_name)
        return super().facet(field_name)

    def _do_count(self):
        fast = self._in_index()
        if fast:
            compiler, config = fast
            return compiler.count_matches(config)
        return super()._do_count()

    def _ranked_in_index(self):
        return self._in_index() if self.query_compiler.order_by_relevance else None


class ChinesePostgresAutocompleteQueryCompiler(SegmentingCompilerMixin, PostgresAutocompleteQueryCompiler):
    pass


class ChinesePostgresSearchBackend(PostgresSearchBackend):
    index_class = ChinesePostgresIndex
    results_class = ChinesePostgresSearchResults
    query_compiler_class = ChinesePostgresSearchQueryCompiler
    autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        # Segmented text must not be stemmed or stop-worded by an English config.
        self.config = params.get("SEARCH_CONFIG") or DEFAULT_SEARCH_CONFIG


SearchBackend = ChinesePostgresSearchBackend
