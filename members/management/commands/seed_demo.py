"""Builds a fictional network for demonstrations and benchmarks: `manage.py seed_demo`."""

import time

from django.core.management.base import BaseCommand, CommandError

from core.cache import invalidate_public_pages
from members.demo.builder import DemoNetworkBuilder, refresh_planner_statistics, reset_demo
from members.models import Place


class Command(BaseCommand):
    help = (
        "Builds a realistic fictional network (places, teams, signatures, reports) that only "
        "depends on the seed. Demo rows use e-mail addresses @demo.example.org; --reset "
        "removes them first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--places", type=int, default=40, help="number of places (40)")
        parser.add_argument(
            "--campaigns",
            type=int,
            default=7,
            help="yearly reporting campaigns, up to this year (7)",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument("--reset", action="store_true", help="delete previous demo data first")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has places (for `make run`)",
        )

    def handle(self, *args, places, campaigns, seed, reset, if_empty, **options):
        if places < 0 or campaigns < 1:
            raise CommandError("--places must be ≥ 0 and --campaigns ≥ 1.")
        if if_empty and Place.objects.exists():
            self.stdout.write("Des lieux existent déjà : pas de données de démonstration ajoutées.")
            return
        if reset:
            start = time.perf_counter()
            removed = reset_demo()
            self.stdout.write(
                f"Données de démonstration supprimées : {removed} lieux "
                f"({time.perf_counter() - start:.1f} s)."
            )
        summary = DemoNetworkBuilder(places=places, campaigns=campaigns, seed=seed).build()
        invalidate_public_pages()  # rows went in with raw SQL: no signal told the cache
        refresh_planner_statistics()
        counts = summary.counts
        self.stdout.write(self.style.SUCCESS(f"Réseau de démonstration créé (graine {seed}) :"))
        for key, value in counts.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k} {v}" for k, v in sorted(value.items()))
            self.stdout.write(f"  {key:<20} {value}")
        for step, seconds in summary.timings:
            self.stdout.write(f"  {step:<32} {seconds:6.2f} s")
        self.stdout.write(f"  {'total':<32} {summary.total_seconds:6.2f} s")
