"""Public pages of the charter: the current version, its history, one version, a diff.

Drafts exist for the public only as 404s; staff may preview them (with a banner).
Every page runs a constant number of queries (asserted in tests/charter/test_views.py).
"""

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.cache import public_page

from .models import CharterVersion, Commitment, Section
from .services import diff_versions


def _readable_versions(request):
    """Versions this visitor may read: public ones, plus drafts for staff (preview)."""
    if request.user.is_staff:
        return CharterVersion.objects.all()
    return CharterVersion.objects.public()


def _with_content(queryset):
    """Sections in order, each with its commitments in order: two extra queries."""
    return queryset.prefetch_related(
        Prefetch(
            "sections",
            queryset=Section.objects.order_by("position", "pk").prefetch_related(
                Prefetch("commitments", queryset=Commitment.objects.order_by("position", "pk"))
            ),
        )
    )


@require_safe
@public_page
def current(request):
    version = _with_content(
        CharterVersion.objects.filter(status=CharterVersion.Status.PUBLISHED)
    ).first()
    if version is None:
        raise Http404("No published charter version")
    return render(request, "charter/current.html", {"version": version, "is_current": True})


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
@public_page
def version_detail(request, number):
    version = _with_content(_readable_versions(request).filter(number=number)).first()
    if version is None:
        raise Http404("No such charter version")
    return render(
        request,
        "charter/version_detail.html",
        {"version": version, "is_current": version.status == CharterVersion.Status.PUBLISHED},
    )


@require_safe
@public_page
def version_diff(request, a, b):
    versions = {v.number: v for v in _readable_versions(request).filter(number__in=[a, b])}
    if a not in versions or b not in versions:
        raise Http404("No such charter version")
    old, new = versions[a], versions[b]
    commitments = Commitment.objects.filter(version__in=[old.pk, new.pk]).select_related("section")
    diff = diff_versions(old, new, commitments=commitments)
    return render(request, "charter/version_diff.html", {"diff": diff, "old": old, "new": new})
