"""manage.py analyze_db: the planner gets statistics for the site's tables."""

import io

import pytest

from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def analysed_tables():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return set()
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL"
            )
        return {row[0] for row in cursor.fetchall()}


def test_statistics_for_the_page_tables_with_progress(home_page):
    from home.factories import StandardPageFactory

    for n in range(3):
        StandardPageFactory(parent=home_page, title=f"示例页面 {n}", slug=f"sample-{n}")
    out = io.StringIO()
    call_command("analyze_db", stdout=out)
    assert {"wagtailcore_page", "home_standardpage"} <= analysed_tables()
    text = out.getvalue()
    assert "已分析" in text and "统计信息已更新" in text


def test_every_table_of_the_site_is_named_at_verbosity_two():
    with connection.cursor() as cursor:
        tables = sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_"))
    for _ in range(2):  # the second run sees SQLite's statistics table and leaves it out
        out = io.StringIO()
        call_command("analyze_db", verbosity=2, stdout=out)
        lines = out.getvalue().splitlines()
        assert lines[:-1] == [f"[{n}/{len(tables)}] {table}" for n, table in enumerate(tables, 1)]
