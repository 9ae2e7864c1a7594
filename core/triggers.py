"""Building blocks of the apps' integrity triggers (``charter.triggers`` and
``members.triggers`` build on them).

A refused write raises an integrity error on both databases (SQLite ``RAISE(ABORT)``,
PostgreSQL SQLSTATE 23001 ``restrict_violation``), which Django reports as ``IntegrityError``.
Each app says which rows its triggers protect; this module knows no app.
"""

import contextlib


def sqlite_refusal(message):
    """The body of a SQLite trigger refusing the row operation with ``message``."""
    return f"SELECT RAISE(ABORT, '{message}');"


def postgresql_refusal(message):
    """The PL/pgSQL statement refusing the row operation with ``message``."""
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';"


def postgresql_function(name, body):
    """``CREATE OR REPLACE`` the PL/pgSQL trigger function ``name()`` running ``body``."""
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            {body.strip()}
        END;
        $$ LANGUAGE plpgsql"""


def postgresql_trigger(name, table, events, function):
    """The statements (re)attaching ``function()`` to ``table`` as the row trigger ``name``,
    run ``BEFORE events`` (e.g. ``"UPDATE OR DELETE"``)."""
    yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
    yield f"""CREATE TRIGGER {name}
        BEFORE {events} ON {table}
        FOR EACH ROW EXECUTE FUNCTION {function}()"""


@contextlib.contextmanager
def lifted(connection, install, uninstall):
    """Run ``uninstall(connection)`` for the block, then ``install(connection)``.

    If the block fails inside a transaction, its rollback restores the triggers; in autocommit
    mode they are put back at once.
    """
    uninstall(connection)
    try:
        yield
    except Exception:
        if not connection.in_atomic_block:
            install(connection)
        raise
    install(connection)
