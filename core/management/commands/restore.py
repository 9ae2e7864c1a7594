"""``manage.py restore ARCHIVE``: load a backup into an empty database and empty storages
(core/backup.py; README.md, "Backups")."""

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backup import STORAGES, BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an EMPTY database and EMPTY file storages "
        "(refused otherwise), after checking every file's SHA-256 against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        connection.close()  # the restore uses its own connections
        try:
            manifest = restore(
                options["archive"],
                database=connection.settings_dict,
                storages={name: storages[name] for name in STORAGES},
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = sum(1 for name in manifest["files"] if name.startswith("files/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}: "
                f"{sum(manifest['rows'].values())} rows in {len(manifest['rows'])} tables "
                f"(counts checked), {files} files (SHA-256 checked). "
                "Run `manage.py migrate` if this code is newer than the backup."
            )
        )
