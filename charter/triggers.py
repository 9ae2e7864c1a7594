"""Database triggers that keep published and superseded charter versions immutable.

The models and their QuerySets already refuse such writes with ``ImmutableVersionError``; the
triggers make the database refuse them too, whatever the client (raw SQL, another program,
a migration written by hand). They raise an integrity error (SQLite ``RAISE(ABORT)``,
PostgreSQL SQLSTATE 23001 ``restrict_violation``), which Django reports as ``IntegrityError``.

What the database allows on a version that is not a draft:
- ``published`` → ``superseded`` with ``superseded_at`` set (what ``publish_version`` does);
- ``published_by`` becoming NULL (the publishing account was deleted: ``SET_NULL``).
Everything else on such a version is refused: changing any other column, deleting it, and
inserting, updating or deleting its sections and commitments. Drafts are free, including the
draft → published transition (the row is still a draft before the update). A canonical text
(the bytes a fingerprint hashes) may be inserted, never updated nor deleted.

A deliberate correction of published data (migration 0006, which restored version 1's text
word for word) runs inside ``lifted(connection)``: the triggers are dropped and created again
within the same transaction (PostgreSQL takes an exclusive lock on each table meanwhile, so no
other write slips in; a failure rolls the drop back with everything else).

``TRUNCATE`` (PostgreSQL ``flush``) is not a row operation and is left alone; on SQLite,
``flush`` deletes rows, so ``core/management/commands/flush.py`` lifts the triggers for
the time of the wipe. SQLite drops a table's triggers when a migration rebuilds the table:
``charter.apps`` reinstalls them after every ``migrate`` (``CREATE TRIGGER IF NOT EXISTS``).
"""

from core import triggers as core_triggers
from core.triggers import (
    postgresql_function,
    postgresql_refusal,
    postgresql_trigger,
    sqlite_refusal,
)

VERSION_TABLE = "charter_charterversion"
PART_TABLES = ("charter_section", "charter_commitment")
CANONICAL_TABLE = "charter_canonicaltext"

# Columns of a version that never change once it is published.
FROZEN_COLUMNS = (
    "id",
    "number",
    "title",
    "title_en",
    "preamble",
    "preamble_en",
    "change_summary",
    "change_summary_en",
    "requires_resigning",
    "grace_period_days",
    "fingerprint",
    "created_at",
    "published_at",
)

MESSAGE = "charter: a published or superseded version and its parts are immutable"


def _version_change_refused(distinct):
    """SQL condition, true when an UPDATE of a non-draft version must be refused.

    ``distinct`` is the vendor's null-safe "differs" operator.
    """
    changed = " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in FROZEN_COLUMNS)
    return f"""OLD.status <> 'draft' AND (
        {changed}
        OR (NEW.published_by_id {distinct} OLD.published_by_id AND NEW.published_by_id IS NOT NULL)
        OR NOT (
            (NEW.status = OLD.status AND NOT (NEW.superseded_at {distinct} OLD.superseded_at))
            OR (OLD.status = 'published' AND NEW.status = 'superseded'
                AND NEW.superseded_at IS NOT NULL)
        )
    )"""


def _frozen_version(expr):
    return f"EXISTS (SELECT 1 FROM {VERSION_TABLE} v WHERE v.id = {expr} AND v.status <> 'draft')"


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_statements():
    raise_ = sqlite_refusal(MESSAGE)
    yield f"""CREATE TRIGGER IF NOT EXISTS charter_version_immutable_update
        BEFORE UPDATE ON {VERSION_TABLE}
        WHEN {_version_change_refused("IS NOT")}
        BEGIN {raise_} END"""
    yield f"""CREATE TRIGGER IF NOT EXISTS charter_version_immutable_delete
        BEFORE DELETE ON {VERSION_TABLE}
        WHEN OLD.status <> 'draft'
        BEGIN {raise_} END"""
    for table in PART_TABLES:
        yield f"""CREATE TRIGGER IF NOT EXISTS {table}_immutable_insert
            BEFORE INSERT ON {table}
            WHEN {_frozen_version("NEW.version_id")}
            BEGIN {raise_} END"""
        yield f"""CREATE TRIGGER IF NOT EXISTS {table}_immutable_update
            BEFORE UPDATE ON {table}
            WHEN {_frozen_version("OLD.version_id")} OR {_frozen_version("NEW.version_id")}
            BEGIN {raise_} END"""
        yield f"""CREATE TRIGGER IF NOT EXISTS {table}_immutable_delete
            BEFORE DELETE ON {table}
            WHEN {_frozen_version("OLD.version_id")}
            BEGIN {raise_} END"""
    for op in ("update", "delete"):
        yield f"""CREATE TRIGGER IF NOT EXISTS {CANONICAL_TABLE}_immutable_{op}
            BEFORE {op.upper()} ON {CANONICAL_TABLE}
            BEGIN {raise_} END"""


SQLITE_TRIGGERS = [
    "charter_version_immutable_update",
    "charter_version_immutable_delete",
    *(f"{t}_immutable_{op}" for t in PART_TABLES for op in ("insert", "update", "delete")),
    f"{CANONICAL_TABLE}_immutable_update",
    f"{CANONICAL_TABLE}_immutable_delete",
]


# --- PostgreSQL ----------------------------------------------------------------------------


def _postgresql_statements():
    refuse = postgresql_refusal(MESSAGE)
    yield postgresql_function(
        "charter_version_immutable",
        f"""
            IF TG_OP = 'DELETE' THEN
                IF OLD.status <> 'draft' THEN
                    {refuse}
                END IF;
                RETURN OLD;
            END IF;
            IF {_version_change_refused("IS DISTINCT FROM")} THEN
                {refuse}
            END IF;
            RETURN NEW;""",
    )
    yield from postgresql_trigger(
        "charter_version_immutable", VERSION_TABLE, "UPDATE OR DELETE", "charter_version_immutable"
    )
    yield postgresql_function(
        "charter_part_immutable",
        f"""
            IF (TG_OP IN ('UPDATE', 'DELETE') AND {_frozen_version("OLD.version_id")})
               OR (TG_OP IN ('INSERT', 'UPDATE') AND {_frozen_version("NEW.version_id")}) THEN
                {refuse}
            END IF;
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;""",
    )
    for table in PART_TABLES:
        yield from postgresql_trigger(
            f"{table}_immutable", table, "INSERT OR UPDATE OR DELETE", "charter_part_immutable"
        )
    yield postgresql_function("charter_canonical_immutable", refuse)
    yield from postgresql_trigger(
        f"{CANONICAL_TABLE}_immutable",
        CANONICAL_TABLE,
        "UPDATE OR DELETE",
        "charter_canonical_immutable",
    )


def _postgresql_drop_statements():
    yield f"DROP TRIGGER IF EXISTS charter_version_immutable ON {VERSION_TABLE}"
    for table in PART_TABLES:
        yield f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}"
    yield f"DROP TRIGGER IF EXISTS {CANONICAL_TABLE}_immutable ON {CANONICAL_TABLE}"
    yield "DROP FUNCTION IF EXISTS charter_version_immutable()"
    yield "DROP FUNCTION IF EXISTS charter_part_immutable()"
    yield "DROP FUNCTION IF EXISTS charter_canonical_immutable()"


# --- Entry points --------------------------------------------------------------------------


def _execute(connection, statements):
    """Run ``statements``, leaving out those on a table that does not exist yet (an earlier
    migration state: the migration that creates the table installs its triggers)."""
    missing = {CANONICAL_TABLE} - set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for sql in statements:
            if not any(f" ON {table}" in sql for table in missing):
                cursor.execute(sql)


def install(connection):
    """Create (or re-create) the triggers; safe to run again."""
    if connection.vendor == "sqlite":
        _execute(connection, _sqlite_statements())
    elif connection.vendor == "postgresql":
        _execute(connection, _postgresql_statements())


def uninstall(connection):
    if connection.vendor == "sqlite":
        _execute(connection, (f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS))
    elif connection.vendor == "postgresql":
        _execute(connection, _postgresql_drop_statements())


def lifted(connection):
    """Lift the triggers for the block, then put them back (``core.triggers.lifted``).

    For deliberate, reviewed corrections only (a data migration, ``flush`` on SQLite): the
    model and QuerySet guards still apply to code using the real models.
    """
    return core_triggers.lifted(connection, install, uninstall)


def installed(connection):
    """Names of the charter triggers present in the database (for tests and checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'charter%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT trigger_name FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'charter%'"
            )
        return sorted(row[0] for row in cursor.fetchall())
