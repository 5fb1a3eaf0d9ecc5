"""Which search index entries belong to a queryset, kept per process.

Both database backends rank, count and facet a query over the index table alone and
then keep the rows whose objects are in the caller's queryset (see
``sqlite.RankedFetchMixin`` and ``postgres.RumRankedMixin``); this module answers
"is this index row in the queryset" without a join per match.
"""

import json
import threading
from collections import Counter, OrderedDict
from itertools import repeat

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast

from modelsearch.utils import get_descendants_content_types_pks

from cms.cache import cache_is_shared_state, content_version, request_memo
from cms.prepared import objects_in


def index_entry_model():
    return apps.get_model("wagtailsearch", "IndexEntry")


def compiled_sql(queryset):
    """``(sql, params)`` of ``queryset``, or ``(None, ())`` when it can match no row."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None, ()


def fetch_rows_sql(db, sql, params):
    """The rows of a compiled statement (``sql`` None: no rows) as plain tuples, without
    Django's per-row conversion (a third of the time for 45,000 matches); the full-text
    statements' values are ints and floats."""
    if sql is None:
        return []
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_ids_sql(db, column, sql, params):
    """The integer ``column`` of a statement already compiled (``sql`` None: no rows).

    On SQLite the rows come back as one JSON array (``json_group_array``) that Python
    parses in C: for 45,000 matches a third less time than fetching them as rows, which
    costs the ``sqlite3`` module a tuple and a step per row. Elsewhere (or on an SQLite
    without JSON functions) the rows are fetched as they are.
    """
    if sql is None:
        return []
    connection = connections[db]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and connection.features.supports_json_field:
            column = connection.ops.quote_name(column)
            cursor.execute(f"SELECT json_group_array({column}) FROM ({sql})", params)  # noqa: S608  # nosec B608 - Django's SQL, a quoted name
            return json.loads(cursor.fetchone()[0])
        cursor.execute(sql, params)
        return [value for (value,) in cursor.fetchall()]


def request_matches(db, sql, params, build):
    """Every matching index row id for one full-text condition, found once per request.

    The site search asks twice for the same matches (its results' ranking on PostgreSQL
    completes a tie group from them; its tab counts facet them), each time through a new
    query compiler. The ids depend only on the condition's SQL (never on the caller's
    queryset, which is applied afterwards), so one request shares them; a content change
    in the request forgets them (``cms.cache.bump_version``).
    """
    return request_memo(("search-matches", db, sql, repr(params)), build)


class AllowedEntries(dict):
    """``{index entry rowid: object id}`` (or the value of a field) for one queryset.

    ``index_rows``: about how many rows the whole index had when it was built (its
    highest id), so a search knows what share of the matches to expect in the queryset.
    """

    unique = True
    index_rows = 0

    def first_fetch(self, stop):
        """How many ranked rows to ask the index for first, to find ``stop`` of ours:
        twice ``stop`` scaled by how much bigger the index is than the queryset, plus 20
        (a search inside one tab of the site search skips most of the first rows)."""
        share = len(self) / self.index_rows if self.index_rows and len(self) else 1.0
        return min(int(2 * stop / max(share, 0.01)) + 20, 10_000)


_ALLOWED = OrderedDict()
_ALLOWED_LOCK = threading.Lock()
# Kept per process: up to this many index rows in all (a 50,000-row map takes about
# 5 MB), so the many small maps of filtered listings (a policy library facet) do not
# push out the site search's large one too soon.
ALLOWED_MEMO_ROWS = 400_000


def _last_entry_id(db):
    """The index's highest row id, read once per request (a search asks two or three times)."""

    def read():
        # Said in SQL: the ORM spent longer building the aggregate than SQLite answering it.
        meta = index_entry_model()._meta
        quote = connections[db].ops.quote_name
        with connections[db].cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")  # noqa: S608  # nosec B608 - quoted names
            return cursor.fetchone()[0]

    return request_memo(f"search-last-entry:{db}", read)


_SHARED_SQL = {}


def same_sql_as(queryset, key):
    """Mark ``queryset`` as compiling to the same SQL as every other queryset marked with
    ``key`` (and the same database), so ``allowed_entries`` compiles it once per process,
    not once per request. The site search builds the same public-pages queryset on every
    request; its key is what that queryset depends on (the restricted paths)."""
    shared_key = (queryset.db, key)
    compiled = _SHARED_SQL.get(shared_key)
    if compiled is None:
        try:
            compiled = queryset.order_by().query.sql_with_params()
        except EmptyResultSet:
            return queryset
        if len(_SHARED_SQL) >= 64:
            _SHARED_SQL.clear()
        _SHARED_SQL[shared_key] = compiled
    queryset._unordered_sql = compiled
    queryset._shared_sql_key = shared_key
    return queryset


def objects_by_pk(queryset, pks):
    """``{pk: object}`` for the ``pks`` in ``queryset`` (a page of ranked results).

    For a queryset marked with ``same_sql_as`` the statement is compiled once per process
    and size (``cms.prepared.objects_in``): building and compiling it took longer than
    running it.
    """
    key = queryset.__dict__.get("_shared_sql_key")
    if key is None:
        return {obj.pk: obj for obj in queryset.filter(pk__in=pks)}
    return objects_in(("search", key), queryset, pks)


def _unordered_sql(queryset):
    """The queryset's SQL and parameters without its ordering, compiled once per queryset
    object: a site search asks for the same queryset's entries for its results and for
    its tab counts, and compiling the page query is most of the cost of a kept map."""
    compiled = queryset.__dict__.get("_unordered_sql")
    if compiled is None:
        compiled = queryset._unordered_sql = queryset.order_by().query.sql_with_params()
    return compiled


def allowed_entries(queryset, field_name=None):
    """Which index entries belong to ``queryset``: ``{rowid: object id}``, or with
    ``field_name`` ``{rowid: that field's value}`` (for facets).

    Building it joins every index entry of the model to the queryset (136 ms for 50,000
    live public pages), so it is kept per process, keyed by the queryset's SQL and
    parameters, the site-wide content version (bumped by every publish, unpublish, move,
    delete and save of public content: ``cms.cache``) and the index's highest id (ids are
    never reused, so a new entry changes it; a removed entry no longer matches). A
    queryset whose parameters change per request (``now()``) simply builds it each
    time. Without a cache that keeps the content version (DummyCache) nothing is kept.
    """
    model = queryset.model
    db = queryset.db
    try:
        sql, params = _unordered_sql(queryset)
    except EmptyResultSet:
        return AllowedEntries()
    key = (db, model._meta.label, field_name, sql, repr(params), _last_entry_id(db))
    keep = cache_is_shared_state()
    if keep:
        key += (content_version(),)
        with _ALLOWED_LOCK:
            found = _ALLOWED.get(key)
            if found is not None:
                _ALLOWED.move_to_end(key)
                return found

    entries = (
        index_entry_model()
        .objects.using(db)
        .filter(
            content_type__in=get_descendants_content_types_pks(model),
            object_id__in=queryset.order_by().annotate(_object_id=Cast("pk", TextField())).values("_object_id"),
        )
    )
    rows = list(entries.values_list("id", "object_id"))
    index_rows = key[5] or 0
    if field_name is None:
        allowed = AllowedEntries(rows)
        allowed.unique = len(set(allowed.values())) == len(allowed)
    else:
        values = dict(
            queryset.order_by().annotate(_object_id=Cast("pk", TextField())).values_list("_object_id", field_name)
        )
        allowed = AllowedEntries((rowid, values[object_id]) for rowid, object_id in rows if object_id in values)
    allowed.index_rows = index_rows

    if keep:
        with _ALLOWED_LOCK:
            _ALLOWED[key] = allowed
            rows = sum(len(kept) for kept in _ALLOWED.values())
            while rows > ALLOWED_MEMO_ROWS and len(_ALLOWED) > 1:
                _key, dropped = _ALLOWED.popitem(last=False)
                rows -= len(dropped)
    return allowed


_OUTSIDE = object()


class IndexRankedMixin:
    """What both backends' index-only ranking shares, for a query compiler that provides
    ``matched_ids(config)`` (every matching index row id) and ``ranked_hits(config, stop)``
    (``[(rank, -row id)]`` of the best ``stop`` rows in the queryset, best first; lower
    ``rank`` is better) and says how a rank becomes the score callers see (``score_from_rank``)."""

    def allowed(self):
        if getattr(self, "_allowed", None) is None:
            self._allowed = allowed_entries(self.queryset)
        return self._allowed

    def score_from_rank(self, rank):
        return rank

    def pks_and_ranks(self, config, start, stop):
        """``[(pk, rank)]`` of the best matches in the queryset from ``start`` to ``stop``
        (all with None), best first, without loading an object."""
        allowed = self.allowed()
        pk_field = self.queryset.model._meta.pk
        return [
            (pk_field.to_python(allowed[-negated]), rank)
            for rank, negated in self.ranked_hits(config, stop)[start or 0 :]
        ]

    def fetch_ranked(self, config, start, stop, score_field=None):
        ranked = self.pks_and_ranks(config, start, stop)
        objects = objects_by_pk(self.queryset, [pk for pk, _rank in ranked])
        results = []
        for pk, rank in ranked:
            obj = objects.get(pk)
            if obj is not None:
                if score_field:
                    setattr(obj, score_field, self.score_from_rank(rank))
                results.append(obj)
        return results

    def count_matches(self, config):
        return sum(map(self.allowed().__contains__, self.matched_ids(config)))

    def facet_matches(self, config, field_name):
        values = allowed_entries(self.queryset, field_name)
        # Counted in C: each match's value, or _OUTSIDE for a match outside the queryset.
        counts = Counter(map(values.get, self.matched_ids(config), repeat(_OUTSIDE)))
        counts.pop(_OUTSIDE, None)
        return OrderedDict(counts.most_common())


class IndexRankedResultsMixin:
    """What both backends' results classes share: a relevance-ordered search that the index
    ranks on its own returns its page of objects (``fetch_ranked``) or only their keys
    (``ranked_pks``) from the query compiler; anything else goes upstream. A subclass says
    when the index can rank it (``_ranked_in_index``: ``(compiler, config)`` or None)."""

    def _ranked_in_index(self):
        raise NotImplementedError

    def _do_search(self):
        fast = self._ranked_in_index()
        if fast:
            compiler, config = fast
            return compiler.fetch_ranked(config, self.start, self.stop, score_field=self._score_field)
        return super()._do_search()

    def ranked_pks(self):
        """The results' primary keys in their order, without loading the objects where the
        index ranks on its own (see the module function ``ranked_pks``)."""
        fast = self._ranked_in_index()
        if fast:
            compiler, config = fast
            return [pk for pk, _rank in compiler.pks_and_ranks(config, self.start, self.stop)]
        return [obj.pk for obj in self]


def ranked_pks(results):
    """The primary keys of a search's results (``queryset.search(...)``), best first.

    The SQLite and PostgreSQL backends answer from the index without loading the objects;
    a caller that needs only the ids of every match (the policy library filters and
    counts them in SQL) would otherwise load each matching object (at 1,500 matching
    policies, two thirds of the library's request). Other backends (Elasticsearch, or a
    search the index cannot rank on its own) give their objects' keys.
    """
    method = getattr(results, "ranked_pks", None)
    if method is not None:
        return method()
    return [obj.pk for obj in results]
