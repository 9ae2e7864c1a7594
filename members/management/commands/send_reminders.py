from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from members.services.reminders import address, as_of, send_due_reminders
from members.services.threads import send_daily_digests


class Command(BaseCommand):
    help = (
        "Send the reminders due today (campaigns, re-signing, invitations) and the daily digests "
        "of new messages in the reports' threads. Meant for a daily cron; safe to re-run: a "
        "reminder already sent is never sent again, a digest goes out once a day at most."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due; send and log nothing."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            today = as_of(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        results = send_due_reminders(today=today, dry_run=dry_run)
        verb = "due" if dry_run else "sent"
        for reminder, recipients, _log in results:
            subject = reminder.campaign or reminder.version or reminder.invitation or ""
            self.stdout.write(
                f"{verb}: {reminder.kind} – {reminder.place} ({subject}) → "
                f"{', '.join(map(address, recipients)) or 'nobody'}"
            )
        counts = Counter(reminder.kind for reminder, _recipients, _log in results)
        detail = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(results)} reminder(s) {verb}" + (f" ({detail})" if detail else "") + "."
            )
        )
        if not dry_run:
            digests = send_daily_digests()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(digests)} digest(s) sent ({sum(digests.values())} message(s))."
                )
            )
