"""modelsearch's SQLite FTS5 backend with Chinese segmentation.

FTS5's ``unicode61`` tokenizer splits on spaces and punctuation only, so the
text we hand it is already segmented (``segmentation.index_text``).

Reach-in: modelsearch builds ``ObjectIndexer`` by its module-level name inside
``SQLiteIndex.add_items``; there is no hook to swap it. ``add_items`` below
is that method verbatim (modelsearch 1.3.2) except for ``self.indexer_class``.
``search/tests/test_backend_internals.py`` fingerprints the upstream source so
an upgrade that changes it fails loudly.
"""

from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite.query import BM25
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk

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


# Column weights for FTS5's bm25(), in the table's column order (autocomplete, body, title).
# Stock modelsearch weighs every column 1, so a word in a long body outranks the same
# word in a title; segmented text (one token per word and per character) makes that worse.
FTS_COLUMN_WEIGHTS = {"autocomplete": 0.0, "body": 1.0, "title": 8.0}
FTS_COLUMNS = ("autocomplete", "body", "title")


class WeightedBM25(BM25):
    def as_sql(self, compiler, connection, function=None, template=None):
        weights = ", ".join(str(FTS_COLUMN_WEIGHTS[column]) for column in FTS_COLUMNS)
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


class ChineseSQLiteSearchQueryCompiler(SegmentingCompilerMixin, SQLiteSearchQueryCompiler):
    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, (Phrase, PlainText, Not)):
            rank = WeightedBM25()
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)


class ChineseSQLiteAutocompleteQueryCompiler(SegmentingCompilerMixin, SQLiteAutocompleteQueryCompiler):
    pass


class ChineseSQLiteSearchBackend(SQLiteSearchBackend):
    index_class = ChineseSQLiteIndex
    query_compiler_class = ChineseSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler


SearchBackend = ChineseSQLiteSearchBackend
