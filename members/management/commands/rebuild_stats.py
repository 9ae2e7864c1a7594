from django.core.management.base import BaseCommand

from members import tallies


class Command(BaseCommand):
    help = (
        "Rewrite the summary rows of the dashboard, the home page and the observatory from "
        "scratch (what time alone changes: a signature lapsing). Safe to re-run; run it daily."
    )

    def handle(self, *args, **options):
        tallies.rebuild()
        counts = ", ".join(f"{model.__name__} {model.objects.count()}" for model in tallies.TALLIES)
        self.stdout.write(f"Summary rows rebuilt: {counts}.")
