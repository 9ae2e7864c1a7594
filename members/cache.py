"""Public pages served from the cache to anonymous visitors.

Every public page (home, charter, directory, place pages, observatory, open data) is the same
for every anonymous visitor in a given language, so its rendered bytes are cached under a key
made of a *generation* number, the language, today's date and the full path. Any change to
the data those pages show (places, signatures, reports, charter versions, campaigns, reference
lists) starts a new generation after the transaction commits: stale pages are never served
again, and old entries simply expire. Today's date is part of the key because badges such as
*en retard* follow from dates; ``PUBLIC_PAGE_CACHE_SECONDS`` bounds everything else (e.g. a
signature lapsing at a precise time of day, or writes made with raw SQL).

Several web servers must share the cache (``REDIS_URL``) for an invalidation made by one to
reach the others; with the local-memory cache each process expires its pages after the timeout.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"


def timeout():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 300)


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def _new_generation():
    cache.set(GENERATION_KEY, time.time_ns(), None)


def invalidate_public_pages():
    """Start a new generation now, and again once the current transaction commits: a page
    rendered meanwhile from the not-yet-committed data is never served afterwards."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _key(request, kind):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    today = timezone.localdate().isoformat()
    return f"public-pages:{kind}:{generation()}:{get_language()}:{today}:{path}"


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))  # a message is personal: render it
    )


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.cookies
        # The page used a CSRF token: it belongs to this visitor alone.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def public_page(view):
    """Serve ``view``'s page from the cache to anonymous visitors (see the module docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, "page")
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if not response.streaming and _cacheable_response(request, response):
                cache.set(key, (response.content, response["Content-Type"]), timeout())
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapped


def public_download(view, max_bytes=16 * 1024 * 1024):
    """Like ``public_page`` for streamed open-data exports: a miss streams while it records
    the chunks (up to ``max_bytes``); a hit streams the recorded chunks."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, "download")
        cached = cache.get(key)
        if cached is not None:
            chunks, headers = cached
            response = StreamingHttpResponse(iter(chunks))
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if not response.streaming or response.status_code != 200:
            return response
        headers = {name: value for name, value in response.items()}
        source = response.streaming_content

        def recording():
            recorded, size = [], 0
            for chunk in source:
                if recorded is not None:
                    recorded.append(chunk)
                    size += len(chunk)
                    if size > max_bytes:
                        recorded = None
                yield chunk
            if recorded is not None:
                cache.set(key, (recorded, headers), timeout())

        response.streaming_content = recording()
        return response

    return wrapped


# --- What starts a new generation -----------------------------------------------------------


def _on_change(sender, instance=None, **kwargs):
    from .models import Report

    # Drafting never shows publicly: only a report that leaves the draft state does.
    if isinstance(instance, Report) and instance.status == Report.Status.DRAFT:
        return
    invalidate_public_pages()


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from charter.models import CharterVersion, Commitment, Section

    from . import models

    watched = [
        CharterVersion,
        Section,
        Commitment,
        models.Place,
        models.Signature,
        models.Report,
        models.ReportingCampaign,
        models.Extension,
        models.Activity,
        models.PublicServed,
        models.Indicator,
    ]
    for model in watched:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"public-pages-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"public-pages-del-{model}")
    for through in (models.Place.activities.through, models.Place.publics.through):
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"public-pages-m2m-{through}")
