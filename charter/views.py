"""Public pages of the charter: the current version, its history, one version, a diff, and
the exact bytes each fingerprint hashes.

Drafts exist for the public only as 404s; staff may preview them (with a banner).
Every page runs a constant number of queries (asserted in tests/charter/test_views.py).
"""

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from core.cache import fragments, public_page

from . import canonical
from .diff import diff_versions
from .models import CanonicalText, CharterVersion, Commitment, Section, content


def _readable_versions(request):
    """Versions this visitor may read: public ones, plus drafts for staff (preview)."""
    if request.user.is_staff:
        return CharterVersion.objects.all()
    return CharterVersion.objects.public()


CONTENT_PARTS = ("text", "aids")  # templates charter/includes/_version_<part>.html


def rendered_content(version):
    """The version's text and its commitments for the reports, rendered: ``{"text": …,
    "aids": …}``. A published or superseded version's parts never change (database triggers,
    charter/triggers.py): they are rendered once per version and language and kept as
    fragments; a draft, which staff preview while it is written, is rendered each time."""

    def render_parts(parts):
        prefetch_related_objects([version], content())
        return [
            render_to_string(f"charter/includes/_version_{part}.html", {"version": version})
            for part in parts
        ]

    if version.is_draft:
        html = render_parts(CONTENT_PARTS)
    else:
        html = fragments(CONTENT_PARTS, lambda part: f"charter:{version.pk}:{part}", render_parts)
    return dict(zip(CONTENT_PARTS, html, strict=True))


@require_safe
@public_page(places=False)
def current(request):
    version = CharterVersion.objects.current()
    if version is None:
        raise Http404("No published charter version")
    return render(
        request,
        "charter/current.html",
        {
            "version": version,
            "content": rendered_content(version),
            "is_current": True,
            "on_current_page": True,
        },
    )


@require_safe
@public_page
def version_list(request):
    versions = list(
        CharterVersion.objects.public()
        .annotate(signature_count=Count("signatures"))
        .order_by("-number")
    )
    for version, older in zip(versions, versions[1:], strict=False):
        version.previous_number = older.number  # for the "compare" link
    return render(request, "charter/version_list.html", {"versions": versions})


@require_safe
@public_page(places=False)
def version_detail(request, number):
    version = (
        _readable_versions(request)
        .filter(number=number)
        .prefetch_related(
            Prefetch(
                "canonical_texts",
                queryset=CanonicalText.objects.filter(replaced_at__isnull=False),
                to_attr="earlier_texts",
            )
        )
        .first()
    )
    if version is None:
        raise Http404("No such charter version")
    return render(
        request,
        "charter/version_detail.html",
        {
            "version": version,
            "content": rendered_content(version),
            "is_current": version.status == CharterVersion.Status.PUBLISHED,
        },
    )


@require_safe
@public_page(places=False)
def version_diff(request, a, b):
    versions = {v.number: v for v in _readable_versions(request).filter(number__in=[a, b])}
    if a not in versions or b not in versions:
        raise Http404("No such charter version")
    old, new = versions[a], versions[b]
    diff = diff_versions(
        old,
        new,
        sections=Section.objects.filter(version__in=[old.pk, new.pk]),
        commitments=Commitment.objects.filter(version__in=[old.pk, new.pk]),
    )
    return render(request, "charter/version_diff.html", {"diff": diff, "old": old, "new": new})


def _hashed_bytes(data, number):
    """The bytes as they are, as a download: any change (even a newline) changes the hash."""
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="charte-v{number}-canonical.json"'
    return response


@require_safe
def canonical_json(request, number):
    """The exact bytes of the version's fingerprint (``sha256sum`` gives it back).

    Stored when the version was published (``CanonicalText``); a draft previewed by staff has
    no fingerprint yet and gets its canonical form as it stands.
    """
    version = _readable_versions(request).filter(number=number).first()
    if version is None:
        raise Http404("No such charter version")
    if version.is_draft:
        return _hashed_bytes(canonical.version_bytes(version), number)
    text = version.canonical_texts.filter(fingerprint=version.fingerprint).first()
    if text is None:  # pragma: no cover - publishing and migration 0006 always store it
        raise Http404("No canonical text stored for this version")
    return _hashed_bytes(text.as_bytes(), number)


@require_safe
def canonical_text(request, number, fingerprint):
    """The exact bytes of one of the version's fingerprints, an earlier one included: what a
    signature made before a correction (migration 0006) was computed from."""
    text = CanonicalText.objects.filter(
        version__in=CharterVersion.objects.public(), version__number=number, fingerprint=fingerprint
    ).first()
    if text is None:
        raise Http404("No such canonical text")
    return _hashed_bytes(text.as_bytes(), number)
