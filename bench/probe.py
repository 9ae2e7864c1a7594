"""In-process half of ``make bench``: run with DJANGO_SETTINGS_MODULE=bench.settings.

``python bench/probe.py count``: prints the number of demo places.
``python bench/probe.py queries PATH…``: prints, as JSON, the pages' sample parameters and the
SQL queries each path runs per request (counted on a second, warm request).
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.demo.builder import demo_places  # noqa: E402
from members.models import Place, Report  # noqa: E402


def sample():
    """A listed place with approved reports, for the profile and the filtered directory."""
    place = (
        Place.objects.listed()
        .filter(reports__status=Report.Status.APPROVED)
        .order_by("pk")
        .values("slug", "commune", "region")
        .first()
    ) or {"slug": "introuvable", "commune": "Lyon", "region": "84"}
    return place


def queries(paths):
    client = Client(headers={"host": "127.0.0.1"})
    result = {}
    for path in paths:
        client.get(path)  # warm caches, as the load test would
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        result[path] = {"status": response.status_code, "queries": len(captured)}
    return result


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "count":
        print(json.dumps({"places": demo_places().count(), "vendor": connection.vendor}))
    elif command == "sample":
        print(json.dumps(sample()))
    elif command == "queries":
        print(json.dumps(queries(args)))
    else:
        raise SystemExit(f"unknown command {command!r}")
