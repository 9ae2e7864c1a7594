"""Backups that restore: one dated archive holding the database, both file storages and a
manifest; and the restore of such an archive into an empty database and empty storages.

Archive (``lcp-backup-<UTC date and time>.tar.gz``)::

    manifest.json          format, date, versions, rows per table, SHA-256 and size of every file
    database/db.dump       PostgreSQL: ``pg_dump -Fc`` (custom format, for ``pg_restore``)
    database/db.sqlite3    SQLite: a copy made with the online backup API (consistent while
                           the site keeps writing)
    files/default/…        the public media (``STORAGES["default"]``, MEDIA_ROOT: logos)
    files/private/…        the private files (``STORAGES["private"]``: evidence, board minutes)

On PostgreSQL the rows are counted in the very snapshot ``pg_dump`` dumps (a repeatable-read
transaction exports it, ``pg_dump --snapshot`` uses it), on SQLite in the copy itself: the
counts describe exactly the archived data. Files are read through the storage API, so S3
storages are backed up too. The database is dumped before the files: a file saved meanwhile
may be in the archive without its row, never the reverse.

``restore`` checks every hash before it writes anything, refuses a target database that has
any table or a storage that holds any file, loads the database (``pg_restore`` / the backup
API), writes the files under their own names, then counts the rows again and compares them
with the manifest. The database's triggers (charter, members) travel with it. Run ``migrate``
afterwards when the code is newer than the archive.
"""

import datetime
import hashlib
import json
import os
import platform
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.core.files import File
from django.db import connections

FORMAT = 1
STORAGES = ("default", "private")
BLOCK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


# --- Helpers -----------------------------------------------------------------------------------


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def walk(storage, path=""):
    """Every file name in ``storage`` (through its API: works for local disks and S3)."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for name in sorted(dirs):
        yield from walk(storage, posixpath.join(path, name) if path else name)


def _pg_environment(settings_dict):
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _pg_connect(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
    )


def _run(command, settings_dict):
    result = subprocess.run(
        command, env=_pg_environment(settings_dict), capture_output=True, text=True
    )
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return result.stdout


def _tool_version(tool):
    try:
        return subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
    except FileNotFoundError:
        raise BackupError(f"{tool} is not installed (apt install postgresql-client).") from None


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor, tables, quote=_quote):
    """Rows per table; ``quote`` turns a table's name into its SQL reference."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_connect(name):
    name = str(name)
    return sqlite3.connect(name, uri=name.startswith("file:"))  # Django's in-memory test database


def _sqlite_tables(cursor):
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in cursor.fetchall()]


PG_TABLES = (
    "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
    "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
    "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
)


def _pg_tables(cursor):
    cursor.execute(PG_TABLES)
    # public.members_place → members_place: the manifest reads like Django's table names.
    return [name.removeprefix("public.") for (name,) in cursor.fetchall()]


def _pg_quote(table):
    """A name from ``_pg_tables``: "schema.table" is quoted already, a public table is bare."""
    return table if "." in table else _quote(table)


def count_rows(settings_dict):
    """Rows per table of the database ``settings_dict`` describes (for the restore drill)."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        with _sqlite_connect(settings_dict["NAME"]) as db:
            cursor = db.cursor()
            return _count_rows(cursor, _sqlite_tables(cursor))
    with _pg_connect(settings_dict) as db, db.cursor() as cursor:
        return _count_rows(cursor, _pg_tables(cursor), _pg_quote)


# --- Backup ------------------------------------------------------------------------------------


def _dump_sqlite(connection, target):
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)  # the online backup API: a consistent copy
    with sqlite3.connect(target) as copy:
        cursor = copy.cursor()
        rows = _count_rows(cursor, _sqlite_tables(cursor))
        server = sqlite3.sqlite_version
    copy.close()
    return rows, f"SQLite {server}", None


def _dump_postgresql(settings_dict, target):
    tool = _tool_version("pg_dump")
    with _pg_connect(settings_dict) as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        server = db.execute("SHOW server_version").fetchone()[0]
        # pg_dump reads the snapshot this transaction holds open: rows counted here are the
        # rows dumped, whatever the site writes meanwhile.
        _run(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             "-f", str(target)],
            settings_dict,
        )  # fmt: skip
        with db.cursor() as cursor:
            rows = _count_rows(cursor, _pg_tables(cursor), _pg_quote)
        db.execute("COMMIT")
    return rows, f"PostgreSQL {server}", tool


def _migrations(connection):
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(output_dir, *, using="default", storages=None, now=None):
    """Write one archive into ``output_dir``; returns its path and the manifest."""
    from django.core.files.storage import storages as configured

    storages = storages or {name: configured[name] for name in STORAGES}
    connection = connections[using]
    now = now or datetime.datetime.now(datetime.UTC)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"lcp-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists.")
    with tempfile.TemporaryDirectory(prefix="lcp-backup-") as work:
        work = Path(work)
        (work / "database").mkdir()
        if connection.vendor == "sqlite":
            db_file = work / "database" / "db.sqlite3"
            rows, server, tool = _dump_sqlite(connection, db_file)
        elif connection.vendor == "postgresql":
            db_file = work / "database" / "db.dump"
            rows, server, tool = _dump_postgresql(connection.settings_dict, db_file)
        else:
            raise BackupError(f"No backup for the {connection.vendor} database.")
        files = {}
        names = [f"database/{db_file.name}"]
        for storage_name, storage in storages.items():
            for name in walk(storage):
                path = work / "files" / storage_name / name
                path.parent.mkdir(parents=True, exist_ok=True)
                with storage.open(name, "rb") as source, open(path, "wb") as target:
                    shutil.copyfileobj(source, target, BLOCK)
                names.append(f"files/{storage_name}/{name}")
        for name in names:
            path = work / name
            files[name] = {"sha256": sha256_of(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": connection.vendor, "server": server, "dump_tool": tool},
            "versions": {
                "django": django.get_version(),
                "python": platform.python_version(),
                "migrations": _migrations(connection),
            },
            "rows": rows,
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", "manifest.json")
            for name in names:
                tar.add(work / name, name)
        partial.rename(archive)  # never a half-written archive under the final name
    return archive, manifest


# --- Restore -----------------------------------------------------------------------------------


def read_verified(archive, into):
    """Extract ``archive`` into the directory ``into`` and check every file against the
    manifest; returns the manifest. Nothing is written elsewhere."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not a readable backup archive: {exc}") from None
    into = Path(into)
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError(f"{archive} has no readable manifest.json.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
    present = {path.relative_to(into).as_posix() for path in into.rglob("*") if path.is_file()}
    present.discard("manifest.json")
    expected = set(manifest["files"])
    if present != expected:
        raise BackupError(
            "The archive's files differ from its manifest: "
            f"missing {sorted(expected - present)[:5]}, unexpected {sorted(present - expected)[:5]}."
        )
    for name, entry in manifest["files"].items():
        if sha256_of(into / name) != entry["sha256"]:
            raise BackupError(f"{name}: its SHA-256 differs from the manifest (damaged archive).")
    return manifest


def _tables_in(settings_dict):
    if settings_dict["ENGINE"].endswith("sqlite3"):
        name = str(settings_dict["NAME"])
        if not name.startswith("file:") and not Path(name).exists():
            return []
        with _sqlite_connect(name) as db:
            return _sqlite_tables(db.cursor())
    with _pg_connect(settings_dict) as db, db.cursor() as cursor:
        return _pg_tables(cursor)


def restore(archive, *, database, storages, work_dir=None):
    """Load ``archive`` into the empty database ``database`` (a Django settings dict) and the
    empty ``storages`` ({"default": …, "private": …}); returns the manifest."""
    vendor = "sqlite" if database["ENGINE"].endswith("sqlite3") else "postgresql"
    with tempfile.TemporaryDirectory(prefix="lcp-restore-", dir=work_dir) as work:
        work = Path(work)
        manifest = read_verified(archive, work)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; "
                f"the target is {vendor}."
            )
        tables = _tables_in(database)
        if tables:
            raise BackupError(
                f"The target database {database['NAME']} is not empty ({len(tables)} tables): "
                "restore into a new, empty database (createdb), never over live data."
            )
        for name in STORAGES:
            if next(walk(storages[name]), None) is not None:
                raise BackupError(
                    f"The {name!r} file storage is not empty: restore into empty directories "
                    "(or an empty bucket)."
                )
        if vendor == "sqlite":
            with sqlite3.connect(work / "database" / "db.sqlite3") as source:
                with _sqlite_connect(database["NAME"]) as target:
                    source.backup(target)
                target.close()
            source.close()
        else:
            _tool_version("pg_restore")
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", "-d", database["NAME"],
                 str(work / "database" / "db.dump")],
                database,
            )  # fmt: skip
        prefix = "files/"
        for entry in sorted(manifest["files"]):
            if not entry.startswith(prefix):
                continue
            storage_name, name = entry[len(prefix) :].split("/", 1)
            with open(work / entry, "rb") as handle:
                saved = storages[storage_name].save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"The {storage_name!r} storage renamed {name!r} to {saved!r}.")
            with storages[storage_name].open(name, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            if digest != manifest["files"][entry]["sha256"]:
                raise BackupError(f"{entry}: written, but read back with another SHA-256.")
        restored = count_rows(database)
        if restored != manifest["rows"]:
            differ = sorted(t for t in manifest["rows"] if restored.get(t) != manifest["rows"][t])
            raise BackupError(f"Rows differ from the manifest after the restore in {differ[:5]}.")
    return manifest
