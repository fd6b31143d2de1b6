"""SQLite: the FTS5 table gains a ``facets`` column (place, source, topic and date
tokens, see facets.py), so those filters are answered inside the index. Rebuilt from
the insights already held."""

from typing import Any

from django.db import migrations

from heard.insight.migrations._rebuild import rebuild


def back(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS insight_fts")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE insight_fts USING fts5(text, tokenize='porter unicode61')"
    )
    schema_editor.execute(
        "INSERT INTO insight_fts(rowid, text) SELECT id, redacted_text FROM insight_insight"
    )


class Migration(migrations.Migration):
    dependencies = [("insight", "0002_insight_search_index")]

    operations = [migrations.RunPython(rebuild, back, elidable=False)]
