"""SQLite: the FTS5 table gains a ``facets`` column (place, source and topic tokens), so
those filters are answered inside the index. Rebuilt from the insights already held."""

from typing import Any

from django.db import migrations

from heard.insight.search import facets_for


def rebuild(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    Insight = apps.get_model("insight", "Insight")
    schema_editor.execute("DROP TABLE IF EXISTS insight_fts")
    schema_editor.execute(
        "CREATE VIRTUAL TABLE insight_fts USING fts5(text, facets, "
        "tokenize='porter unicode61')"
    )
    rows = []
    for insight in Insight.objects.prefetch_related("topics").iterator(chunk_size=2000):
        facets = facets_for(
            locality=insight.locality,
            source=insight.source,
            topic_slugs=[t.slug for t in insight.topics.all()],
        )
        rows.append((insight.pk, insight.redacted_text, facets))
        if len(rows) >= 2000:
            _insert(schema_editor, rows)
            rows = []
    _insert(schema_editor, rows)


def _insert(schema_editor: Any, rows: list[tuple[int, str, str]]) -> None:
    if rows:
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO insight_fts(rowid, text, facets) VALUES (%s, %s, %s)", rows
            )


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
