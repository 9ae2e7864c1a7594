"""Rate limit of the API: per client address, ``API_RATE_LIMIT`` requests (e.g. "120/min")."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerAddressThrottle(SimpleRateThrottle):
    """Every client is anonymous: one budget per address (``NUM_PROXIES`` trusted proxies).

    Over the budget, DRF raises ``Throttled``: 429 with ``Retry-After`` (members.api.problems).
    The counters live in the default cache: set ``REDIS_URL`` so that servers share them.
    """

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT  # read on each request, so tests and deployments set it

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
