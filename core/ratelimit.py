"""Limits on actions that send e-mail: at most ``limit`` uses per key in each period.

``Limit("invitations", 20, DAY)`` counts in the default cache (Redis where ``REDIS_URL`` is
set, so that every web process shares the counts) over fixed windows: a day is a calendar day
in UTC. A caller checks ``exceeded(key)`` before acting and ``record(key)`` once it has acted,
so that a refused action (wrong address, already a member…) does not use up the allowance.
Sign-ups are limited by allauth itself (``ACCOUNT_RATE_LIMITS["signup"]``).
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    period: int = DAY

    def _key(self, key):
        window = int(time.time() // self.period)
        return f"ratelimit:{self.name}:{key}:{window}"

    def used(self, key):
        return cache.get(self._key(key), 0)

    def exceeded(self, key):
        return self.used(key) >= self.limit

    def record(self, key):
        cache_key = self._key(key)
        cache.add(cache_key, 0, self.period)
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, self.period)
            return 1
