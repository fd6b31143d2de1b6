"""SQLite: rebuild the full-text facets so they include the date tokens (see facets.py)."""

from django.db import migrations

from heard.insight.migrations import _rebuild


class Migration(migrations.Migration):
    dependencies = [("insight", "0003_insight_search_facets")]

    operations = [migrations.RunPython(_rebuild.rebuild, _rebuild.rebuild, elidable=False)]
