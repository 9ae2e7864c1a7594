"""Benchmark profile: the production settings, plus a trivial view in ``bench/urls.py``.

Used only by ``make bench`` (bench/run.py), which provides the environment production
settings require (secret key, allowed hosts, e-mail host) and turns the HTTPS redirect off
for plain-HTTP loopback.

``BENCH_PUBLIC_PAGE_CACHE=off`` replaces the cache of rendered public pages
(``core/cache.py``) with Django's dummy cache: every request then runs the view, for the
*uncached* pass. Nothing else differs from production.
"""

import os

from lcp_network.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# 404s of pages not built yet are counted in the table; keep the console for 5xx tracebacks.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "ERROR"}}}  # noqa: F405

if os.environ.get("BENCH_PUBLIC_PAGE_CACHE", "on") == "off":
    CACHES = {  # noqa: F405
        **CACHES,  # noqa: F405
        "public_pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
