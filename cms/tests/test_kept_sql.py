"""SQLite statements converted once (cms.kept_sql): Django's conversion, kept, bounded."""

import pytest

from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from cms import kept_sql
from news.factories import ArticlePageFactory
from news.models import ArticlePage

STATEMENTS = [
    'SELECT "a"."id" FROM "a" WHERE "a"."x" = %s AND "a"."y" IN (%s, %s)',
    "SELECT 1 WHERE 'x' LIKE '%%s' AND 2 = %s",  # a literal %%s stays a literal %s
    "SELECT '100%%' || %s",
    "SELECT %s%s",
    "SELECT 1",
]


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(kept_sql, "_kept", {})


def test_installed_on_djangos_sqlite_cursor():
    assert SQLiteCursorWrapper.convert_query is kept_sql.convert_query


def test_the_conversion_is_djangos_and_kept(empty):
    for sql in STATEMENTS:
        expected = kept_sql._django_convert_query(None, sql)
        first = kept_sql.convert_query(None, sql)
        assert first == expected
        assert kept_sql._kept[sql] == expected
        assert kept_sql.convert_query(None, sql) is first  # read back, not converted again


def test_named_parameters_take_djangos_way_and_are_not_kept(empty):
    sql = "SELECT %(a)s, %(b)s"
    assert kept_sql.convert_query(None, sql, param_names=["a", "b"]) == "SELECT :a, :b"
    assert sql not in kept_sql._kept


def test_kept_statements_are_bounded(empty, monkeypatch):
    monkeypatch.setattr(kept_sql, "MAX_STATEMENTS", 3)
    for n in range(10):
        sql = "SELECT " + ", ".join(["%s"] * (n + 1))
        assert kept_sql.convert_query(None, sql) == "SELECT " + ", ".join(["?"] * (n + 1))
        assert len(kept_sql._kept) <= 3


@pytest.mark.django_db
def test_queries_with_percent_signs_still_match_what_they_should(site_tree, empty):
    if connection.vendor != "sqlite":
        pytest.skip("the conversion is SQLite's")
    ArticlePageFactory(parent=site_tree["news"], title="达标率100%")
    ArticlePageFactory(parent=site_tree["news"], title="达标率100")
    for _ in range(2):  # converted, then read back
        assert list(ArticlePage.objects.filter(title__contains="100%").values_list("title", flat=True)) == [
            "达标率100%"
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM wagtailcore_page WHERE title LIKE '%%100%%' AND depth > %s", [0])
            assert cursor.fetchone()[0] == 2
    assert kept_sql._kept
