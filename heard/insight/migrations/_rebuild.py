"""Rebuilding the SQLite full-text index from the insights held (used by migrations)."""

from typing import Any

from heard.insight.facets import facets_for


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
            occurred_on=insight.occurred_on,
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
