"""Database triggers that refuse UPDATE and DELETE on audit events.

The model refuses too, but only the database can stop raw SQL, another program, or a
mistaken migration. Used by the migration that installs them (and by the test suite,
which must lift them to empty the database between browser tests).
"""

from typing import Any

TABLE = "audit_auditevent"

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

_PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()""",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()""",
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
]


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection: Any) -> None:
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_INSTALL)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_INSTALL)
    else:
        raise NotImplementedError(f"No append-only triggers for {connection.vendor}")


def remove(connection: Any) -> None:
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_REMOVE)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_REMOVE)
