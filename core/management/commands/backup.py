"""``manage.py backup [--output DIR]``: one dated archive of the database and both file
storages, with a manifest (core/backup.py; README.md, "Backups")."""

from django.conf import settings

from core.backup import backup
from core.management.archive import ArchiveCommand, manifest_counts


class Command(ArchiveCommand):
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
        super().add_arguments(parser)

    def run(self, **options):
        archive, manifest = backup(options["output"], using=options["database"])
        rows, tables, files = manifest_counts(manifest)
        size = archive.stat().st_size // 1024
        return f"{archive}: {rows} rows in {tables} tables, {files} files ({size} KiB)."
