"""The full-text index, one per database engine (see heard/insight/search.py).

SQLite: an FTS5 table keyed by the insight id, filled by the services.
PostgreSQL: a GIN expression index on the English tsvector of the redacted text.
"""

from typing import Any

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS insight_fts USING fts5(text, tokenize='porter unicode61')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS insight_fts"
PG_CREATE = (
    "CREATE INDEX IF NOT EXISTS insight_fts_gin ON insight_insight "
    "USING gin (to_tsvector('english'::regconfig, redacted_text))"
)
PG_DROP = "DROP INDEX IF EXISTS insight_fts_gin"


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
        # Index anything already held (none on a fresh install).
        schema_editor.execute(
            "INSERT INTO insight_fts(rowid, text) SELECT id, redacted_text FROM insight_insight"
        )
    elif vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("insight", "0001_insight_bank")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
