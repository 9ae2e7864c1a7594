"""Figures for the coordinators' admin index, limited to the user's territory.

A constant number of queries whatever the size of the network: every figure is an aggregate.
"""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from charter.models import CharterVersion, Commitment

from .models import Answer, Membership, Place, Report, ReportingStatus, Signature, SignaturePolicy
from .reminders import open_campaign
from .territory import places_in_scope, scope_queryset

REVIEW_QUEUE_SIZE = 10
SENT = [Report.Status.SUBMITTED, Report.Status.CHANGES_REQUESTED, Report.Status.APPROVED]
LEVELS = [level for level in Answer.Level]
# Parameters of the list filters in members.admin_coordination, used by the dashboard links.
WITHOUT_REPRESENTATIVE_PARAM = "sans_representant"
SIGNATURE_PARAM = "signature"
REPORTING_PARAM = "suivi"


def changelist_url(model, **params):
    """The admin list of ``model`` filtered by ``params``; None if that model has no admin."""
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(params)}" if params else url


def change_url(obj):
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def _figure(label, value, url=None, key=""):
    return {"label": label, "value": value or 0, "url": url, "key": key}


def _place_figures(places, policy):
    representative = Membership.objects.filter(
        place=OuterRef("pk"), role=Membership.Role.REPRESENTATIVE
    )
    latest_signed = Subquery(
        Signature.objects.filter(place=OuterRef("pk"))
        .exclude(version__status=CharterVersion.Status.DRAFT)
        .order_by("-version__number")
        .values("version__number")[:1]
    )
    current_from = max(policy.lapsed_below, policy.awaiting_below, 1)
    member = Q(status=Place.Status.MEMBER)
    counts = places.annotate(
        has_representative=Exists(representative), latest_signed=latest_signed
    ).aggregate(
        **{
            f"status_{status.value}": Count("pk", filter=Q(status=status))
            for status in Place.Status
        },
        without_representative=Count(
            "pk",
            filter=Q(has_representative=False)
            & Q(status__in=[Place.Status.APPLICANT, Place.Status.MEMBER]),
        ),
        signature_current=Count("pk", filter=member & Q(latest_signed__gte=current_from)),
        signature_awaiting=Count(
            "pk",
            filter=member
            & Q(latest_signed__gte=max(policy.lapsed_below, 1))
            & Q(latest_signed__lt=policy.awaiting_below),
        ),
        signature_lapsed=Count("pk", filter=member & Q(latest_signed__lt=policy.lapsed_below)),
        signature_none=Count("pk", filter=member & Q(latest_signed__isnull=True)),
    )
    by_status = [
        _figure(
            status.label,
            counts[f"status_{status.value}"],
            changelist_url(Place, status__exact=status.value),
            status.value,
        )
        for status in Place.Status
    ]
    signatures = [
        _figure(
            state.label,
            counts[f"signature_{state.value}"],
            changelist_url(Place, **{SIGNATURE_PARAM: state.value}),
            state.value,
        )
        for state in (Signature.State.CURRENT, Signature.State.AWAITING, Signature.State.LAPSED)
    ]
    signatures.append(
        _figure(
            _none_label(),
            counts["signature_none"],
            changelist_url(Place, **{SIGNATURE_PARAM: "none"}),
            "none",
        )
    )
    return {
        "applications": _figure(
            by_status[0]["label"],
            counts[f"status_{Place.Status.APPLICANT.value}"],
            changelist_url(Place, status__exact=Place.Status.APPLICANT.value),
            "applications",
        ),
        "places_by_status": by_status,
        "signatures": signatures,
        "without_representative": _figure(
            _without_representative_label(),
            counts["without_representative"],
            changelist_url(Place, **{WITHOUT_REPRESENTATIVE_PARAM: "1"}),
            "without_representative",
        ),
    }


def _none_label():
    from django.utils.translation import gettext

    return gettext("Jamais signé")


def _without_representative_label():
    from django.utils.translation import gettext

    return gettext("Lieux sans représentant·e")


def _campaign_figures(places, campaign, today):
    counts = (
        places.filter(status=Place.Status.MEMBER)
        .with_reporting_status(campaign, today)
        .aggregate(
            **{
                status.value: Count("pk", filter=Q(reporting_status=status))
                for status in ReportingStatus
            }
        )
    )
    return [
        _figure(
            status.label,
            counts[status.value],
            changelist_url(Place, **{REPORTING_PARAM: status.value}),
            status.value,
        )
        for status in ReportingStatus
    ]


def _heatmap(user, campaign):
    answers = scope_queryset(
        user,
        Answer.objects.filter(report__campaign=campaign, report__status__in=SENT).exclude(level=""),
        "report__place",
    )
    cells = {
        (row["commitment__key"], row["level"]): row["places"]
        for row in answers.values("commitment__key", "level").annotate(
            places=Count("report__place", distinct=True)
        )
    }
    commitments = (
        Commitment.objects.filter(version__status=CharterVersion.Status.PUBLISHED)
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )
    titles = {commitment.key: str(commitment) for commitment in commitments}
    for key, _level in cells:
        titles.setdefault(key, key)
    highest = max(cells.values(), default=0)
    rows = []
    for key, title in titles.items():
        values = []
        for level in LEVELS:
            count = cells.get((key, level.value), 0)
            # Five intensity steps (CSS classes heat-0 … heat-4), relative to the largest cell.
            step = 0 if not count else 1 + min(3, (count * 4 - 1) // highest)
            values.append({"count": count, "step": step, "level": level})
        rows.append({"key": key, "title": title, "cells": values})
    return {"levels": LEVELS, "rows": rows, "total": sum(cells.values())}


def dashboard_figures(user, today=None):
    today = today or timezone.localdate()
    places = places_in_scope(user)
    policy = SignaturePolicy()
    figures = _place_figures(places, policy)
    campaign = open_campaign(today)
    figures["campaign"] = campaign
    if campaign:
        figures["campaign_figures"] = _campaign_figures(places, campaign, today)
        figures["heatmap"] = _heatmap(user, campaign)
    waiting = scope_queryset(user, Report.objects.filter(status=Report.Status.SUBMITTED))
    figures["review_count"] = waiting.count()
    figures["review_url"] = changelist_url(Report, status__exact=Report.Status.SUBMITTED.value)
    queue = list(
        waiting.select_related("place", "campaign").order_by("submitted_at", "pk")[
            :REVIEW_QUEUE_SIZE
        ]
    )
    for report in queue:
        report.admin_url = change_url(report)
    figures["review_queue"] = queue
    return figures
