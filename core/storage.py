"""Private files: stored apart from the public media, never given a URL, served by views.

Two storages (``settings.STORAGES``): ``"default"`` for public media (logos, under
``MEDIA_URL``) and ``"private"`` for files only some people may read (evidence, board minutes),
rooted at ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``, with no base URL. A view checks access
on every request, then answers with ``private_file_response``: the bytes themselves in
development, or an ``X-Accel-Redirect`` to nginx's ``internal`` location in production
(``PRIVATE_MEDIA_ACCEL_REDIRECT``; see README.md).
"""

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (read when first needed, so tests may move it), with
    no URL at all: ``url()`` raises, so a template can never link a private file by mistake."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("A private file has no URL: serve it through a view that checks access.")


def private_storage():
    """The storage of private files (``FileField(storage=private_storage)``: a callable, so
    migrations keep a reference instead of a configured instance)."""
    return storages["private"]


def private_file_response(fieldfile, *, filename=None, as_attachment=True):
    """The response carrying a private file, once the caller has checked who asks.

    With ``PRIVATE_MEDIA_ACCEL_REDIRECT`` (production, files on the local disk) Django sends no
    bytes: nginx serves the file from its ``internal`` location, which no client can request.
    """
    if not fieldfile:
        raise Http404
    name = fieldfile.name
    filename = filename or posixpath.basename(name)
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_REDIRECT", "")
    if prefix and isinstance(fieldfile.storage, FileSystemStorage):
        if not fieldfile.storage.exists(name):
            raise Http404
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        try:
            handle = fieldfile.storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=as_attachment, filename=filename)
    # Never kept by a shared cache: the next person to ask may not be allowed.
    response["Cache-Control"] = "private, no-store"
    return response


def move_files(names, source, target):
    """Move the files ``names`` from storage ``source`` to ``target``, keeping their names.

    Safe to re-run: a name already in ``target`` is only removed from ``source``. Returns the
    number of files moved. Used by the migration that took evidence and minutes out of the
    public media.
    """
    moved = 0
    for name in names:
        if not name or not source.exists(name):
            continue
        if not target.exists(name):
            with source.open(name, "rb") as handle:
                saved = target.save(name, handle)
            if saved != name:  # the target storage renamed it: keep the database right
                target.delete(saved)
                raise RuntimeError(f"{target!r} would rename {name!r} to {saved!r}")
            moved += 1
        source.delete(name)
    return moved


@checks.register(checks.Tags.security, deploy=False)
def check_private_media_root(app_configs, **kwargs):
    """The private root must not be reachable through the public media or static files."""
    if "private" not in settings.STORAGES:
        return [checks.Error("STORAGES has no 'private' storage.", id="core.E001")]
    private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    errors = []
    for setting in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, setting, None)
        if not public:
            continue
        public = Path(public).resolve()
        if private == public or public in private.parents or private in public.parents:
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) overlaps {setting} ({public}).",
                    hint="Keep private files in a directory no web server serves.",
                    id="core.E002",
                )
            )
    return errors
