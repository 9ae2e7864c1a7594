"""The writer of ``make bench``'s "while one place changes per second" pass.

``python bench/writer.py [--interval 1]``, with DJANGO_SETTINGS_MODULE=bench.settings and the
server's environment (same database, same shared cache): once per interval, changes the
presentation of one listed place and saves it through the ORM, as the place's edit form does,
so the model signals invalidate the public pages exactly as in production (core/cache.py).
It runs until SIGTERM or SIGINT, then puts the original texts back (not measured) and prints a
JSON summary: writes, their p50/max time, and how many of them started a new cache generation.
"""

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402

from core.cache import PLACES_KEY  # noqa: E402
from members.models import Place  # noqa: E402

ROTATION = 200  # places changed in turn


def run(interval, stop):
    pks = list(Place.objects.listed().order_by("pk").values_list("pk", flat=True)[:ROTATION])
    originals, timings, new_generations = {}, [], 0
    n = 0
    next_at = time.monotonic()
    while not stop.is_set() and pks:
        pk = pks[n % len(pks)]
        before = cache.get(PLACES_KEY)
        started = time.perf_counter()
        with transaction.atomic():
            place = Place.objects.select_for_update().get(pk=pk)
            originals.setdefault(pk, place.description)
            place.description = f"{originals[pk]}\n\n(Mise à jour n° {n + 1}.)"
            place.save()
        timings.append((time.perf_counter() - started) * 1000)
        if cache.get(PLACES_KEY) != before:
            new_generations += 1
        n += 1
        next_at += interval
        stop.wait(max(0.0, next_at - time.monotonic()))
    for pk, description in originals.items():
        place = Place.objects.get(pk=pk)
        place.description = description
        place.save()
    timings.sort()
    return {
        "writes": len(timings),
        "write_p50_ms": round(timings[len(timings) // 2], 1) if timings else None,
        "write_max_ms": round(timings[-1], 1) if timings else None,
        "new_generations": new_generations,
        "cache_backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def main():
    interval = float(sys.argv[sys.argv.index("--interval") + 1]) if "--interval" in sys.argv else 1
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    print(json.dumps(run(interval, stop)), flush=True)


if __name__ == "__main__":
    main()
