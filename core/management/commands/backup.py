"""``manage.py backup [--output DIR]``: one dated archive of the database and both file
storages, with a manifest (core/backup.py; README.md, "Backups")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one dated archive (tar.gz) holding the database, the public and private files "
        "and a manifest (rows per table, SHA-256 of every file, versions)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "var" / "backups")),
            help="directory the archive is written to (BACKUP_DIR, default var/backups)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            archive, manifest = backup(options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = sum(1 for name in manifest["files"] if name.startswith("files/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{archive}: {sum(manifest['rows'].values())} rows in "
                f"{len(manifest['rows'])} tables, {files} files "
                f"({archive.stat().st_size // 1024} KiB)."
            )
        )
