"""While the database is down: the site's own 503 page instead of a 500.

A request that needs the database while it does not answer (``OperationalError``: refused
connection, timeout; ``InterfaceError``: connection closed) gets ``templates/503.html`` in the
visitor's language, with status 503 and ``Retry-After``, so browsers, crawlers and monitoring
know to come back. The page is rendered without a request context: nothing in it queries the
database. Public pages already in the cache are still served to anonymous visitors
(``core.cache.public_page`` checks who asks without a query), and ``/healthz`` answers its own
503 in JSON.

``DatabaseUnavailableMiddleware`` turns such an error raised by a view into the 503 page; an
error raised by another middleware (e.g. loading a signed-in visitor's session) reaches
Django's ``handler500``, which ``server_error`` replaces to answer the same way.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def database_unavailable(request, exc):
    logger.error("The database does not answer (%s %s): %s", request.method, request.path, exc)
    from django.conf import settings

    content = loader.render_to_string("503.html", {"site_name": settings.SITE_NAME})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """Django's ``handler500``, except when the error is the database being unavailable."""
    exception = sys.exception()
    if isinstance(exception, UNAVAILABLE):
        return database_unavailable(request, exception)
    return HttpResponseServerError(loader.get_template(template_name).render())
