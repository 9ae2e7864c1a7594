"""What ``backup`` and ``restore`` share: the ``--database`` option, a ``BackupError`` reported
as a command error, and the counts of a manifest in the closing line."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError


def manifest_counts(manifest):
    """(rows, tables, files) of a backup's manifest, for the closing line."""
    files = sum(1 for name in manifest["files"] if name.startswith("files/"))
    return sum(manifest["rows"].values()), len(manifest["rows"]), files


class ArchiveCommand(BaseCommand):
    """Subclasses implement ``run(**options)``, which returns the success message."""

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            message = self.run(**options)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(message))

    def run(self, **options):
        raise NotImplementedError
