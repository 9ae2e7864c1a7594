"""Database triggers that keep the network's records append-only: nothing lost, nothing rewritten.

Signatures, the transitions of places and reports, the reminder log and the history of place
records (simple-history) are what the network can prove: who signed what, who decided what
and when, who was told. The models already never update nor delete them; the triggers make
the database refuse it too, whatever the client (raw SQL, the shell, another program). Like
``charter.triggers``, they raise an integrity error (SQLite ``RAISE(ABORT)``, PostgreSQL
SQLSTATE 23001 ``restrict_violation``), which Django reports as ``IntegrityError``.

What the database still allows on these rows (``APPEND_ONLY`` below):
- inserting them;
- a user column becoming NULL: deleting an account ``SET_NULL``s ``signed_by``, ``by``,
  ``sent_by`` and ``history_user`` (the row stays, its author becomes unknown);
- on a signature, the erasure of the connection data recorded at signing, ``ip_address`` to
  NULL and ``user_agent`` to ``''`` (``SignatureQuerySet.erase_connection_data()``, used by
  account deletion and ``erase_old_connection_data``).
Any other change of any column, and every DELETE, is refused. The rule compares every column
of the table as it stands (read from the database when the triggers are installed), so a
column added later is frozen too once ``migrate`` reinstalls the triggers (``members.apps``
does after every ``migrate``, on both databases: SQLite also drops a table's triggers when a
migration rebuilds it).

Consequences, on purpose: a place that has transitions or reminders cannot be deleted
(places are withdrawn, never deleted, and the admin offers no deletion), nor a report with
transitions, nor a campaign, version or invitation that reminders were logged against. Their
foreign keys say so (``PROTECT``): the ORM and the admin refuse such a deletion with a clear
message before the database would.
Wiping data wholesale (``flush`` on SQLite, the demo data's reset) lifts the triggers for the
time of the wipe (``lifted``); PostgreSQL's ``flush`` truncates, which row triggers do not see.

The coordinators' old one-comment-per-answer (``Answer.reviewer_comment``) is kept for old
reports but no longer written: their comments are messages of each commitment's thread.
"""

from dataclasses import dataclass, field

from core import triggers as core_triggers


@dataclass(frozen=True)
class Rule:
    user_columns: tuple = ()  # may become NULL (SET_NULL when an account is deleted)
    erasable: dict = field(default_factory=dict)  # column → the only value it may be set to


APPEND_ONLY = {
    "members_signature": Rule(
        user_columns=("signed_by_id",), erasable={"ip_address": "NULL", "user_agent": "''"}
    ),
    "members_placetransition": Rule(user_columns=("by_id",)),
    "members_reporttransition": Rule(user_columns=("by_id",)),
    "members_reminderlog": Rule(user_columns=("sent_by_id",)),
    "members_historicalplace": Rule(user_columns=("history_user_id",)),
    "members_placeevent": Rule(user_columns=("by_id",)),
    # The messages of the commitments' threads: an edit is a new message.
    "members_message": Rule(user_columns=("author_id",)),
}

PREFIX = "members_append_only"
MESSAGE = "members: signatures, transitions, reminders, history and messages are append-only"


def _target(value):
    return "IS NULL" if value == "NULL" else f"= {value}"


def _update_refused(columns, rule, distinct):
    """SQL condition, true when an UPDATE must be refused; ``distinct`` is the vendor's
    null-safe "differs" operator."""
    parts = []
    for column in columns:
        changed = f"NEW.{column} {distinct} OLD.{column}"
        if column in rule.user_columns:
            parts.append(f"({changed} AND NEW.{column} IS NOT NULL)")
        elif column in rule.erasable:
            parts.append(f"({changed} AND NOT (NEW.{column} {_target(rule.erasable[column])}))")
        else:
            parts.append(changed)
    return "\n            OR ".join(parts)


def _columns(connection, table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _tables(connection):
    present = set(connection.introspection.table_names())
    return [table for table in APPEND_ONLY if table in present]


def _sqlite_statements(connection):
    raise_ = core_triggers.sqlite_refusal(MESSAGE)
    for table in _tables(connection):
        condition = _update_refused(_columns(connection, table), APPEND_ONLY[table], "IS NOT")
        # Dropped first: the condition lists the table's columns as they are now.
        yield f"DROP TRIGGER IF EXISTS {PREFIX}_{table}_update"
        yield f"""CREATE TRIGGER {PREFIX}_{table}_update
            BEFORE UPDATE ON {table}
            WHEN {condition}
            BEGIN {raise_} END"""
        yield f"""CREATE TRIGGER IF NOT EXISTS {PREFIX}_{table}_delete
            BEFORE DELETE ON {table}
            BEGIN {raise_} END"""


def _postgresql_statements(connection):
    for table in _tables(connection):
        condition = _update_refused(
            _columns(connection, table), APPEND_ONLY[table], "IS DISTINCT FROM"
        )
        function = f"{PREFIX}_{table}"
        yield core_triggers.postgresql_function(
            function,
            f"""IF TG_OP = 'DELETE' OR {condition} THEN
                {core_triggers.postgresql_refusal(MESSAGE)}
            END IF;
            RETURN NEW;""",
        )
        yield from core_triggers.postgresql_trigger(PREFIX, table, "UPDATE OR DELETE", function)


def _drop_statements(connection):
    for table in _tables(connection):
        if connection.vendor == "sqlite":
            yield f"DROP TRIGGER IF EXISTS {PREFIX}_{table}_update"
            yield f"DROP TRIGGER IF EXISTS {PREFIX}_{table}_delete"
        else:
            yield f"DROP TRIGGER IF EXISTS {PREFIX} ON {table}"
            yield f"DROP FUNCTION IF EXISTS {PREFIX}_{table}()"


def _execute(connection, statements):
    statements = list(statements)  # introspection first, then the writes
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection):
    """Create (or re-create, with the tables' current columns) the triggers; safe to re-run."""
    if connection.vendor == "sqlite":
        _execute(connection, _sqlite_statements(connection))
    elif connection.vendor == "postgresql":
        _execute(connection, _postgresql_statements(connection))


def uninstall(connection):
    if connection.vendor in ("sqlite", "postgresql"):
        _execute(connection, _drop_statements(connection))


def lifted(connection):
    """Lift the triggers for the block (a wholesale wipe of demo data), then put them back."""
    return core_triggers.lifted(connection, install, uninstall)


def installed(connection):
    """Names of the append-only triggers present in the database (for tests and checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{PREFIX}%"],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = %s",
            [PREFIX],
        )
        return sorted(row[0] for row in cursor.fetchall())
