"""``manage.py restore ARCHIVE``: load a backup into an empty database and empty storages
(core/backup.py; README.md, "Backups")."""

from django.core.files.storage import storages
from django.db import connections

from core.backup import STORAGES, restore
from core.management.archive import ArchiveCommand, manifest_counts


class Command(ArchiveCommand):
    help = (
        "Restore an archive written by `backup` into an EMPTY database and EMPTY file storages "
        "(refused otherwise), after checking every file's SHA-256 against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        super().add_arguments(parser)

    def run(self, **options):
        connection = connections[options["database"]]
        connection.close()  # the restore uses its own connections
        manifest = restore(
            options["archive"],
            database=connection.settings_dict,
            storages={name: storages[name] for name in STORAGES},
        )
        rows, tables, files = manifest_counts(manifest)
        return (
            f"Restored the backup of {manifest['created_at']}: {rows} rows in {tables} tables "
            f"(counts checked), {files} files (SHA-256 checked). "
            "Run `manage.py migrate` if this code is newer than the backup."
        )
