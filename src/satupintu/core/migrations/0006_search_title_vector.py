"""PostgreSQL: a second generated tsvector of the title stems alone, with its own GIN index, so
the first ranking window of a query with very many matches (core.search_index.MATCH_WINDOW)
reads only the documents with every query word in their title, not every match."""

from django.db import migrations

# Copied here, not imported from core/search_engines/postgresql.py (see 0004_search_index).
POSTGRES_CREATE = [
    "ALTER TABLE core_searchdocument ADD COLUMN IF NOT EXISTS title_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', title_stems)) STORED",
    "CREATE INDEX IF NOT EXISTS core_searchdoc_title_vector ON core_searchdocument "
    "USING GIN (title_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS core_searchdoc_title_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_searchday"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_CREATE), _run(POSTGRES_DROP)),
    ]
