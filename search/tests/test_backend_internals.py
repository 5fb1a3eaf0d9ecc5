"""Loud failures for the library internals the search backends reach into.

``search.backends.sqlite``/``postgres`` copy ``add_items`` from modelsearch
1.3.2 to swap the indexer class and weight FTS5 columns, and
``search.segmentation`` copies jieba's loaded dictionary. If one of these
tests fails after an upgrade, re-diff the upstream code against our copies,
update them, then update the fingerprints here.

modelsearch's SQLite module can only be imported on SQLite (it looks up its
FTS model at import), so those checks skip on PostgreSQL and vice versa.
"""

import hashlib
import importlib
import importlib.metadata
import inspect

import jieba
import pytest

from django.db import connection

from search import segmentation

PINNED = {"modelsearch": "1.3.2", "jieba": "0.42.1", "wagtail": "8.0.1"}

# (module, attribute path, vendor that can import it, fingerprint)
FINGERPRINTS = [
    ("modelsearch.backends.database.sqlite.sqlite", "SQLiteIndex.add_items", "sqlite", "6e4d599997a4aa05"),
    ("modelsearch.backends.database.sqlite.sqlite", "ObjectIndexer", "sqlite", "23ba659712147881"),
    ("modelsearch.backends.database.postgres.postgres", "PostgresIndex.add_items", None, "62bf7488351e3864"),
    ("modelsearch.backends.database.postgres.postgres", "ObjectIndexer", None, "ce1c3dd642886eec"),
    ("jieba", "Tokenizer.initialize", None, "37d4a8937f6058fa"),
    ("jieba", "Tokenizer.get_DAG", None, "26db06fbf8bb0c15"),
]


def resolve(module_name, path):
    obj = importlib.import_module(module_name)
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def fingerprint(obj):
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]


def needs_vendor(vendor):
    if vendor and connection.vendor != vendor:
        pytest.skip(f"runs on {vendor} only (this run uses {connection.vendor})")


@pytest.mark.parametrize("package,version", PINNED.items())
def test_pinned_versions(package, version):
    assert importlib.metadata.version(package) == version, (
        f"{package} changed: re-check the reach-ins listed in search/tests/test_backend_internals.py"
    )


@pytest.mark.parametrize("module_name,path,vendor,expected", FINGERPRINTS, ids=[f[1] for f in FINGERPRINTS])
def test_upstream_source_unchanged(module_name, path, vendor, expected):
    needs_vendor(vendor)
    assert fingerprint(resolve(module_name, path)) == expected, (
        f"{module_name}.{path} changed upstream: re-diff our copy in search/backends/"
    )


def test_sqlite_copy_swaps_only_the_indexer():
    needs_vendor("sqlite")
    from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex

    from search.backends.sqlite import ChineseSQLiteIndex

    upstream = inspect.getsource(SQLiteIndex.add_items)
    ours = inspect.getsource(ChineseSQLiteIndex.add_items)
    assert "ObjectIndexer(obj, self.backend)" in upstream
    assert "self.indexer_class(obj, self.backend)" in ours


def test_sqlite_fts_columns_match_weights(db):
    needs_vendor("sqlite")
    from modelsearch.backends.database.sqlite.sqlite import ObjectIndexer, SQLiteFTSIndexEntry

    from search.backends.sqlite import FTS_COLUMNS

    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({SQLiteFTSIndexEntry._meta.db_table})")
        columns = tuple(row[1] for row in cursor.fetchall())
    assert columns == FTS_COLUMNS
    for name in ("title", "body", "autocomplete"):
        assert callable(getattr(ObjectIndexer, name).func)


def test_postgres_copy_swaps_only_the_indexer():
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer, PostgresIndex

    from search.backends.postgres import ChinesePostgresIndex

    assert "ObjectIndexer(obj, self.backend)" in inspect.getsource(PostgresIndex.add_items)
    assert "self.indexer_class(obj, self.backend)" in inspect.getsource(ChinesePostgresIndex.add_items)
    assert list(inspect.signature(ObjectIndexer.as_vector).parameters) == ["self", "texts", "for_autocomplete"]


def test_jieba_dictionary_copy_segments_like_jieba():
    tokenizer = segmentation._new_tokenizer()
    assert tokenizer.initialized
    expected = list(jieba.Tokenizer().cut("超高清视频研发应用", cut_all=True))
    assert list(tokenizer.cut("超高清视频研发应用", cut_all=True)) == expected


def test_default_backend_is_segmenting(db):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    assert type(backend).__module__ in {"search.backends.sqlite", "search.backends.postgres"}
    assert backend.index_class.indexer_class.__module__ == type(backend).__module__


def test_indexed_text_is_segmented(home_page):
    from wagtail.search.models import IndexEntry

    from home.models import StandardPage

    page = StandardPage(title="重庆市专精特新小巨人企业服务行动方案")
    home_page.add_child(instance=page)
    entry = IndexEntry.objects.get(content_type__model="standardpage", object_id=str(page.pk))
    # SQLite stores the segmented text, PostgreSQL the tsvector built from it.
    tokens = entry.title.split() if connection.vendor == "sqlite" else str(entry.title)
    assert "小巨人" in tokens or "'小巨人'" in tokens


def test_postgres_filter_expression_has_gin_index(db):
    needs_vendor("postgresql")
    from modelsearch.backends.database.postgres.postgres import PostgresSearchQueryCompiler

    # The filter is (title || body) @@ query; migration 0002 indexes exactly that expression.
    assert 'combined_vector._combine(vector, "||", False)' in inspect.getsource(PostgresSearchQueryCompiler.search)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'site_search_indexentry_title_body_gin'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "(title || body)" in definition
