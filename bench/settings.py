"""Benchmark profile: the production settings, plus a trivial view in ``bench/urls.py``.

Used only by ``make bench`` (bench/run.py), which provides the environment production
settings require (secret key, allowed hosts, e-mail host) and turns the HTTPS redirect off
for plain-HTTP loopback.
"""

from lcp_network.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# 404s of pages not built yet are counted in the table; keep the console for 5xx tracebacks.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "ERROR"}}}  # noqa: F405
