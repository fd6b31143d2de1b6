"""The full-text index, one per database engine (see heard/insight/search.py).

SQLite: an FTS5 table keyed by the insight id, filled by the services.
PostgreSQL: a stored generated column ``search_vector`` (the English tsvector of the
redacted text, so ranking and phrase checks need not re-parse the text) with a GIN index.
The Django model does not declare it; PostgreSQL fills it on every insert and update.
"""

from typing import Any

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS insight_fts USING fts5(text, tokenize='porter unicode61')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS insight_fts"
PG_CREATE = [
    "ALTER TABLE insight_insight ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, redacted_text)) STORED",
    "CREATE INDEX IF NOT EXISTS insight_fts_gin ON insight_insight USING gin (search_vector)",
]
PG_DROP = [
    "DROP INDEX IF EXISTS insight_fts_gin",
    "ALTER TABLE insight_insight DROP COLUMN IF EXISTS search_vector",
]


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
        # Index anything already held (none on a fresh install).
        schema_editor.execute(
            "INSERT INTO insight_fts(rowid, text) SELECT id, redacted_text FROM insight_insight"
        )
    elif vendor == "postgresql":
        for sql in PG_CREATE:
            schema_editor.execute(sql)


def drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        for sql in PG_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_insight_bank")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
