"""SQLite query plans of the statements a piece of code runs, for tests that pin an index."""

from django.db import connection


def sqlite_plans(run, table):
    """Run ``run()`` and return ``EXPLAIN QUERY PLAN`` of each statement that names ``table``.

    Plans are asked for the statements as run, with their bound parameters: SQLite plans a
    ``LIKE`` on a parameter differently from one on a literal, and Django's query log shows
    literals.
    """
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    plans = []
    for sql, params in statements:
        if f'"{table}"' in sql:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plans.append(" | ".join(row[3] for row in cursor.fetchall()))
    return plans


def assert_walks_index(plan, index):
    """The plan reads ``index`` and neither scans a table nor sorts in a temporary tree."""
    assert index in plan, plan
    assert "SCAN" not in plan and "TEMP B-TREE" not in plan, plan
