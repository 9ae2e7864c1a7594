from django.core.management.base import BaseCommand

from members.services.personal_data import CONNECTION_DATA_RETENTION, erase_old_connection_data


class Command(BaseCommand):
    help = (
        "Erase the IP addresses and browsers recorded with signatures older than "
        f"{CONNECTION_DATA_RETENTION.days} days (the signatures stay). Meant for a daily cron; "
        "safe to re-run."
    )

    def handle(self, *args, **options):
        erased = erase_old_connection_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"{erased} signature(s) older than {CONNECTION_DATA_RETENTION.days} days: "
                "IP address and browser erased."
            )
        )
