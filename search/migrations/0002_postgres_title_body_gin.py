"""A GIN index on ``title || body`` for Wagtail's search index entries (PostgreSQL only).

modelsearch's PostgreSQL backend filters on ``(title || body) @@ query``; the
index entries table that ``wagtail.search`` creates has GIN indexes on each
column but none on that expression, so every search read and concatenated the
vectors of every entry (1.6 s at 10,000 pages; see docs/search.md).
"""

from django.db import migrations

INDEX = "site_search_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin ((title || body))')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
