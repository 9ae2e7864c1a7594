"""Public pages served from the cache to anonymous visitors.

Every public page (home, charter, directory, place pages, observatory, open data) is the same
for every anonymous visitor in a given language, so its rendered bytes are cached under a key
made of a *generation* number, the language, today's date and the full path. Any change to
the data those pages show (places, signatures, reports, charter versions, campaigns, reference
lists) starts a new generation after the transaction commits: stale pages are never served
again, and old entries simply expire.

Generations are as fine as what a change shows. A change to the charter, a campaign or a
reference list renews every page (the *site* generation). A change that belongs to one place
(its record, signature, published report: ``watch(..., place=…)``) renews the pages that list
places (home, directory, search, observatory, open data: the *places* generation) and that
place's own page (its *place* generation), never the pages of the 9,999 other places nor the
charter's (``@public_page(places=False)``). ``generation()``, the data's version for ETags, is
the latest of site and places.

Today's date is part of the key because badges such as
*en retard* follow from dates; ``PUBLIC_PAGE_CACHE_SECONDS`` bounds everything else (e.g. a
signature lapsing at a precise time of day, or writes made with raw SQL).

The generation number lives in the default cache, which every web process shares: Redis when
``REDIS_URL`` is set, otherwise the database (``createcachetable``), so that a change made in
one process (or by the worker) renews the pages of all of them within a second. The rendered
bytes live in each process's own memory (the ``public_pages`` cache): reading 40–80 kB from Redis on every visit would cost more
than the page is worth; a process renders a page at most once per generation.

Below the pages, *fragments* (``fragments``, ``fragment``) are parts of a page kept in the
shared cache under a key naming exactly what they show: a published report by its pk and
revision, the observatory's figures by the *version* of the summary rows they are made of
(``version``/``renew``, renewed by each write of those rows). They serve signed-in readers as
well, and outlive the changes that do not touch them (a place's new description renews the
pages that list places, not the observatory's figures).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"  # the site: charter, campaigns, reference lists
PLACES_KEY = "public-pages:generation:places"  # any place: the pages that list places
PLACE_KEY = "public-pages:generation:place:{}"  # one place (by slug): its own page
UNAVAILABLE = (OperationalError, InterfaceError)  # the database does not answer
DOWNLOAD_BLOCK = 256 * 1024  # a cached export is streamed in blocks of this size


def pages():
    return caches["public_pages"]


def timeout():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 300)


# The generations read from the shared cache are remembered for one second in each process, so
# a visit costs no round trip to Redis; another process's invalidation shows within a second,
# this process's own at once.
GENERATION_MEMO_SECONDS = 1.0
MEMO_SIZE = 10_000  # places whose generation a process remembers at most
_memo = {}  # shared-cache key → (value, read at)


def _read(key):
    now = time.monotonic()
    remembered = _memo.get(key)
    if remembered is not None and now - remembered[1] < GENERATION_MEMO_SECONDS:
        return remembered[0]
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), None)
        value = cache.get(key)
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[key] = (value, now)
    return value


def generation():
    """The version of everything the public pages show: the latest change anywhere."""
    return max(_read(GENERATION_KEY), _read(PLACES_KEY))


def _place_generation(slug):
    return max(_read(GENERATION_KEY), _read(PLACE_KEY.format(slug)))


def _renew(*keys):
    value = time.time_ns()
    cache.set_many(dict.fromkeys(keys, value), None)
    now = time.monotonic()
    for key in keys:
        _memo[key] = (value, now)


def _new_generation():
    _renew(GENERATION_KEY)


def invalidate_public_pages():
    """Start a new generation now, and again once the current transaction commits: a page
    rendered meanwhile from the not-yet-committed data is never served afterwards."""
    _new_generation()
    transaction.on_commit(_new_generation)


def invalidate_place_pages(*slugs):
    """Like ``invalidate_public_pages`` for a change that belongs to the places ``slugs``:
    renews the pages that list places and these places' own pages, nothing else."""
    keys = [PLACES_KEY, *(PLACE_KEY.format(slug) for slug in slugs if slug)]
    _renew(*keys)
    transaction.on_commit(lambda: _renew(*keys))


def _key(request, kind, place=None, places=True):
    # The host is part of the key: two allowed hosts (e.g. with and without "www.") never
    # share a page, whose absolute links name its own host.
    target = f"{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(target.encode()).hexdigest()[:32]
    today = timezone.localdate().isoformat()
    if place is not None:
        version = f"p{_place_generation(place)}"
    elif places:
        version = generation()
    else:
        version = f"s{_read(GENERATION_KEY)}"
    return f"public-pages:{kind}:{version}:{get_language()}:{today}:{path}"


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


# Headers of a page that travel with its cached bytes (a PDF's file name, for instance).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def _from_cache(cached):
    content, headers = cached
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def public_page(view=None, *, place=None, places=True):
    """Serve ``view``'s page from the cache to anonymous visitors (see the module docstring).

    ``@public_page(place="slug")``: the page shows the one place whose slug is that URL
    argument, and nothing of the others: it is renewed by that place's changes (and the
    site's) only. ``@public_page(places=False)``: the page shows no place at all."""
    if view is None:
        return lambda view: public_page(view, place=place, places=places)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        slug = kwargs.get(place) if place else None
        scope = {"place": slug, "places": places}
        try:
            cacheable = _cacheable_request(request)
        except UNAVAILABLE:
            # A session cookie, and no database to read it: while the database is down, a
            # public page already rendered is still worth serving (it shows nothing personal).
            cached = pages().get(_key(request, "page", **scope))
            if cached is None:
                raise
            return _from_cache(cached)
        if not cacheable:
            return view(request, *args, **kwargs)
        key = _key(request, "page", **scope)
        cached = pages().get(key)
        if cached is not None:
            response = _from_cache(cached)
        else:
            response = view(request, *args, **kwargs)
            if not response.streaming and _cacheable_response(request, response):
                headers = {name: response[name] for name in KEPT_HEADERS if name in response}
                pages().set(key, (response.content, headers), timeout())
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
        cached = pages().get(key)
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
            blocks, block, block_size, size = [], [], 0, 0
            for chunk in source:
                if blocks is not None:
                    data = chunk if isinstance(chunk, bytes) else chunk.encode()
                    block.append(data)
                    block_size += len(data)
                    size += len(data)
                    if block_size >= DOWNLOAD_BLOCK:
                        blocks.append(b"".join(block))
                        block, block_size = [], 0
                    if size > max_bytes:
                        blocks = None
                yield chunk
            if blocks is not None:
                blocks.append(b"".join(block))
                pages().set(key, (blocks, headers), timeout())

        response.streaming_content = recording()
        return response

    return wrapped


# --- Fragments keyed by what they show --------------------------------------------------------

FRAGMENT_SECONDS = 7 * 24 * 3600


def fragments(items, key, render):
    """The rendered HTML of each of ``items``, kept in the shared cache under ``key(item)``, a
    key naming everything the fragment shows (a report's pk and revision, say), with the site's
    generation and the language. Only the missing ones are rendered, together:
    ``render(missing)`` returns their HTML in the same order. Unlike cached pages, this serves
    signed-in readers too, and a change to one place leaves the others' fragments alone."""
    prefix = f"fragment:{_read(GENERATION_KEY)}:{get_language()}:"
    keys = [prefix + key(item) for item in items]
    found = cache.get_many(keys)
    missing = [(k, item) for k, item in zip(keys, items, strict=True) if k not in found]
    if missing:
        html = render([item for _, item in missing])
        new = {k: fragment for (k, _), fragment in zip(missing, html, strict=True)}
        cache.set_many(new, FRAGMENT_SECONDS)
        found.update(new)
    return [found[k] for k in keys]


def fragment(key, render):
    """One fragment (see ``fragments``): ``render()`` returns its HTML."""
    (html,) = fragments([key], str, lambda keys: [render()])
    return html


def version(name):
    """The version of what ``name`` stands for (e.g. the summary rows), renewed by
    ``renew(name)``: a key for the fragments made of it, read like the generations."""
    return _read(f"version:{name}")


def renew(name):
    """A new version of ``name`` now, and again once the current transaction commits."""
    key = f"version:{name}"
    _renew(key)
    transaction.on_commit(lambda: _renew(key))


# --- What starts a new generation -----------------------------------------------------------


def _on_change(sender, instance=None, **kwargs):
    skip = _skips.get(sender)
    if skip is not None and instance is not None and skip(instance):
        return
    owner = _owners.get(sender)
    slugs = owner(instance) if owner is not None and instance is not None else None
    if slugs is None:
        invalidate_public_pages()
    else:
        invalidate_place_pages(*slugs)


_skips = {}
_owners = {}


def watch(*models, skip=None, place=None):
    """Start a new generation whenever one of ``models`` is saved or deleted (or, for a
    many-to-many ``through`` model, changed). Each app calls this in ``AppConfig.ready()``
    for the models its public pages show; ``skip(instance)`` may exempt a change that shows
    nowhere publicly (e.g. a draft). ``place(instance)`` names the slugs of the places a
    change belongs to, or ``None`` when it cannot tell: then only the pages that list places
    and those places' own pages are renewed."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        if skip is not None:
            _skips[model] = skip
        if place is not None:
            _owners[model] = place
        uid = f"{model._meta.label}"
        if model._meta.auto_created:  # a many-to-many through table
            m2m_changed.connect(_on_change, sender=model, dispatch_uid=f"public-pages-m2m-{uid}")
            continue
        post_save.connect(_on_change, sender=model, dispatch_uid=f"public-pages-save-{uid}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"public-pages-del-{uid}")
