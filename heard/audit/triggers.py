"""Database triggers that refuse UPDATE and DELETE on audit events.

The model refuses too, but only the database can stop raw SQL, another program, or a
mistaken migration. Used by the migration that installs them (and by the test suite,
which must lift them to empty the database between browser tests).
"""

from typing import Any

TABLE = "audit_auditevent"
# The signed checkpoints of the chain head (ADR 10) are append-only too.
CHECKPOINT_TABLE = "audit_auditcheckpoint"
_TABLES = {TABLE: "audit_event", CHECKPOINT_TABLE: "audit_checkpoint"}


def _sqlite_install(table: str, prefix: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{prefix.replace("_", " ")}s are append-only: UPDATE refused'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {prefix}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{prefix.replace("_", " ")}s are append-only: DELETE refused'); END""",
    ]


def _pg_install(table: str, prefix: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {prefix}_no_change ON {table}",
        f"""CREATE TRIGGER {prefix}_no_change BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
        f"DROP TRIGGER IF EXISTS {prefix}_no_truncate ON {table}",
        f"""CREATE TRIGGER {prefix}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
    ]


def _tables(connection: Any) -> dict[str, str]:
    """The append-only tables that exist (the checkpoint table came with migration 0004)."""
    present = set(connection.introspection.table_names())
    return {table: prefix for table, prefix in _TABLES.items() if table in present}


_PG_FUNCTION = """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql"""


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection: Any) -> None:
    tables = _tables(connection)
    if connection.vendor == "sqlite":
        _run(connection, [sql for t, p in tables.items() for sql in _sqlite_install(t, p)])
    elif connection.vendor == "postgresql":
        _run(
            connection,
            [_PG_FUNCTION, *(sql for t, p in tables.items() for sql in _pg_install(t, p))],
        )
    else:
        raise NotImplementedError(f"No append-only triggers for {connection.vendor}")


def remove(connection: Any) -> None:
    tables = _tables(connection)
    if connection.vendor == "sqlite":
        _run(
            connection,
            [
                f"DROP TRIGGER IF EXISTS {p}_{what}"
                for p in tables.values()
                for what in ("no_update", "no_delete")
            ],
        )
    elif connection.vendor == "postgresql":
        _run(
            connection,
            [
                f"DROP TRIGGER IF EXISTS {p}_{what} ON {t}"
                for t, p in tables.items()
                for what in ("no_change", "no_truncate")
            ],
        )
