"""Loud failures for the library internals the search backends reach into.

``search.backends.sqlite``/``postgres`` copy ``add_items`` from modelsearch
1.3.2 to swap the indexer class, and ``search.segmentation`` copies jieba's
loaded dictionary. If one of these tests fails after an upgrade, re-diff the
upstream code against our copies, update them, then update the fingerprints.
"""

import hashlib
import importlib.metadata
import inspect

import jieba
import pytest

from modelsearch.backends.database.postgres import postgres as upstream_postgres
from modelsearch.backends.database.sqlite import sqlite as upstream_sqlite

from search import segmentation
from search.backends import postgres, sqlite

PINNED = {"modelsearch": "1.3.2", "jieba": "0.42.1", "wagtail": "8.0.1"}

FINGERPRINTS = {
    "sqlite.SQLiteIndex.add_items": (upstream_sqlite.SQLiteIndex.add_items, "6e4d599997a4aa05"),
    "sqlite.ObjectIndexer": (upstream_sqlite.ObjectIndexer, "23ba659712147881"),
    "postgres.PostgresIndex.add_items": (upstream_postgres.PostgresIndex.add_items, "62bf7488351e3864"),
    "postgres.ObjectIndexer": (upstream_postgres.ObjectIndexer, "ce1c3dd642886eec"),
    "jieba.Tokenizer.initialize": (jieba.Tokenizer.initialize, "37d4a8937f6058fa"),
    "jieba.Tokenizer.get_DAG": (jieba.Tokenizer.get_DAG, "26db06fbf8bb0c15"),
}


def fingerprint(obj):
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]


@pytest.mark.parametrize("package,version", PINNED.items())
def test_pinned_versions(package, version):
    assert importlib.metadata.version(package) == version, (
        f"{package} changed: re-check the reach-ins listed in search/tests/test_backend_internals.py"
    )


@pytest.mark.parametrize("name", FINGERPRINTS)
def test_upstream_source_unchanged(name):
    obj, expected = FINGERPRINTS[name]
    assert fingerprint(obj) == expected, f"{name} changed upstream: re-diff our copy in search/backends/"


@pytest.mark.parametrize("module", [sqlite, postgres])
def test_add_items_copies_still_build_indexers_by_name(module):
    # Upstream builds the indexer by its module-level name; our copy swaps in self.indexer_class.
    upstream = module.ChineseSQLiteIndex if module is sqlite else module.ChinesePostgresIndex
    assert "ObjectIndexer" in inspect.getsource(upstream.__mro__[1].add_items)
    assert "self.indexer_class(obj, self.backend)" in inspect.getsource(upstream.add_items)


def test_sqlite_indexer_properties_are_cached_properties_with_func():
    for name in ("title", "body", "autocomplete"):
        assert callable(getattr(upstream_sqlite.ObjectIndexer, name).func)


def test_postgres_indexer_as_vector_signature():
    params = list(inspect.signature(upstream_postgres.ObjectIndexer.as_vector).parameters)
    assert params == ["self", "texts", "for_autocomplete"]


def test_jieba_dictionary_copy_segments_like_jieba():
    tokenizer = segmentation._new_tokenizer()
    assert tokenizer.initialized
    assert list(tokenizer.cut("超高清视频", cut_all=True)) == list(jieba.Tokenizer().cut("超高清视频", cut_all=True))
