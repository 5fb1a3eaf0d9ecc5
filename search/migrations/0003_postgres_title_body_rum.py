"""A RUM index on ``title || body`` where PostgreSQL has the RUM extension.

RUM keeps each word's positions in the index, so ``ORDER BY (title || body) <=> query
LIMIT n`` ranks the matches without reading their (large, TOASTed) vectors: 10-30 ms for
25,000-45,000 matches at 50,000 pages instead of about a second (docs/search.md). The
backend (``search.backends.postgres.RumRankedMixin``) uses it when it exists and keeps
the GIN path otherwise, so a server without the extension (or a database user who may not
create it) still migrates and searches.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "site_search_indexentry_title_body_rum"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            logger.warning("search: the PostgreSQL RUM extension is not installed; ranking uses the GIN path")
            return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError as error:
        logger.warning("search: could not create the RUM extension (%s); ranking uses the GIN path", error)
        return
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING rum ((title || body) rum_tsvector_ops)')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("site_search", "0002_postgres_title_body_gin")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
