"""Backups that restore (core/backup.py): a drill on the database the suite runs on. A small
network is seeded, backed up, restored into a NEW database and new file directories, and
compared: the same rows in every table, every signature's fingerprint verified against its
charter version's canonical text, every file's SHA-256 the same."""

import hashlib
import json
import secrets
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import CommandError, call_command
from django.db import connection

from core import backup as backups
from core.storage import PrivateFileSystemStorage
from members.models import Signature
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed


@pytest.fixture
def media(transactional_db, settings, tmp_path):
    # ``transactional_db`` by name: tests/conftest.py then loads charter v1 and the reference
    # lists again after an earlier transactional test's flush.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def network(media):
    """A small network, with public (logos) and private (board minutes) files."""
    call_command("seed_demo", places=20, verbosity=0)
    for n, place in enumerate(factories.MemberPlaceFactory.create_batch(3)):
        place.logo.save(f"logo-{n}.png", ContentFile(b"\x89PNG logo %d" % n))
        factories.SignatureFactory(
            place=place, minutes=ContentFile(b"%%PDF-1.7 proces-verbal %d" % n, name="pv.pdf")
        )
    assert Signature.objects.count() > 3


@pytest.fixture
def new_database(tmp_path):
    """A new, empty database of the same kind as the suite's, dropped afterwards."""
    target = {**connection.settings_dict}
    if connection.vendor == "sqlite":
        target["NAME"] = str(tmp_path / "restored.sqlite3")
        yield target
        return
    import psycopg

    name = f"lcp_append_restore_{secrets.token_hex(4)}"
    admin = {k: target[k] for k in ("HOST", "PORT")}
    with psycopg.connect(
        dbname="postgres", user="postgres", host=admin["HOST"], port=admin["PORT"] or None,
        autocommit=True,
    ) as db:  # fmt: skip
        db.execute(f'CREATE DATABASE "{name}" OWNER "{target["USER"]}"')
    target["NAME"] = name
    try:
        yield target
    finally:
        with psycopg.connect(
            dbname="postgres", user="postgres", host=admin["HOST"],
            port=admin["PORT"] or None, autocommit=True,
        ) as db:  # fmt: skip
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_storages(tmp_path):
    return {
        "default": FileSystemStorage(location=tmp_path / "restored-media"),
        "private": PrivateFileSystemStorage(location=tmp_path / "restored-private"),
    }


def source_rows():
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in connection.introspection.table_names()
            if not table.startswith("sqlite_")  # SQLite's own statistics
        }


def raw_query(database, sql):
    if database["ENGINE"].endswith("sqlite3"):
        import sqlite3

        with sqlite3.connect(database["NAME"]) as db:
            return db.execute(sql).fetchall()
    with backups._pg_connect(database) as db:
        return db.execute(sql).fetchall()


def test_backup_restore_drill(network, media, new_database, tmp_path):
    call_command("backup", output=str(tmp_path / "backups"), verbosity=0)
    (archive,) = (tmp_path / "backups").glob("lcp-backup-*.tar.gz")
    restored_storages = new_storages(tmp_path)
    manifest = backups.restore(archive, database=new_database, storages=restored_storages)

    # The same rows in every table: as counted now, as in the manifest, as restored.
    rows = source_rows()
    assert rows["members_place"] >= 23 and rows["members_signature"] > 3
    assert manifest["rows"] == rows
    assert backups.count_rows(new_database) == rows

    # Every signature's fingerprint is the SHA-256 of its version's canonical text.
    verified = raw_query(
        new_database,
        "SELECT s.fingerprint, c.content FROM members_signature s JOIN charter_canonicaltext c "
        "ON c.version_id = s.version_id AND c.fingerprint = s.fingerprint",
    )
    assert len(verified) == rows["members_signature"]
    for fingerprint, content in verified:
        assert hashlib.sha256(content.encode()).hexdigest() == fingerprint

    # Every file is back, byte for byte, in the storage it came from.
    names = {name: [] for name in backups.STORAGES}
    for entry in manifest["files"]:
        if entry.startswith("files/"):
            storage, name = entry.removeprefix("files/").split("/", 1)
            names[storage].append(name)
    assert len(names["default"]) >= 3 and len(names["private"]) >= 3
    for storage, listed in names.items():
        assert sorted(backups.walk(storages[storage])) == sorted(listed)
        for name in listed:
            with (
                storages[storage].open(name, "rb") as a,
                restored_storages[storage].open(name, "rb") as b,
            ):
                assert hashlib.sha256(a.read()).digest() == hashlib.sha256(b.read()).digest()

    # The append-only triggers came back with the database.
    with pytest.raises(Exception, match="append-only"):
        raw_query(new_database, "DELETE FROM members_signature")

    # Restoring again over what is now there: refused, with a clear message.
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive, database=new_database, storages=new_storages(tmp_path))


def test_restore_refuses_a_non_empty_database(media, tmp_path):
    factories.PlaceFactory()
    archive, _ = backups.backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))  # the suite's own database has tables


def test_restore_refuses_non_empty_storages(media, new_database, tmp_path):
    archive, _ = backups.backup(tmp_path / "backups")
    full = new_storages(tmp_path)
    full["private"].save("already-there.pdf", ContentFile(b"%PDF"))
    with pytest.raises(backups.BackupError, match="'private' file storage is not empty"):
        backups.restore(archive, database=new_database, storages=full)
    assert backups._tables_in(new_database) == []  # nothing written


def test_restore_refuses_a_damaged_archive(media, new_database, tmp_path):
    storages["private"].save("minutes.pdf", ContentFile(b"%PDF original"))
    archive, manifest = backups.backup(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "files/private/minutes.pdf":
                data = b"%PDF altered"
                member.size = len(data)
            target.addfile(member, __import__("io").BytesIO(data))
    with pytest.raises(backups.BackupError, match="SHA-256 differs"):
        backups.restore(damaged, database=new_database, storages=new_storages(tmp_path))
    assert backups._tables_in(new_database) == []
    assert json.loads(json.dumps(manifest))["versions"]["migrations"]["members"]


def test_the_manifest(media, tmp_path):
    storages["default"].save("logos/a.png", ContentFile(b"png"))
    archive, manifest = backups.backup(tmp_path / "backups")
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["files"]["files/default/logos/a.png"] == {
        "sha256": hashlib.sha256(b"png").hexdigest(),
        "size": 3,
    }
    assert Path(archive).name.startswith("lcp-backup-")
    with tarfile.open(archive) as tar:
        assert json.load(tar.extractfile("manifest.json")) == manifest
