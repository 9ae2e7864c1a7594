"""Aggregates: the coordinators' dashboard (limited to the user's territory) and the public
observatory (published reports only).

A constant number of queries whatever the size of the network: every figure is an aggregate;
medians are computed in Python from one values_list.
"""

import statistics
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from charter.models import CharterVersion, Commitment
from members import geography
from members.models import (
    Answer,
    Indicator,
    IndicatorValue,
    Membership,
    Place,
    Report,
    ReportingCampaign,
    ReportingStatus,
    Signature,
    SignaturePolicy,
)
from members.models.signatures import NEVER_SIGNED
from members.territory import places_in_scope, scope_queryset

# --- Coordinators' dashboard -----------------------------------------------------------------

REVIEW_QUEUE_SIZE = 10
SENT = [Report.Status.SUBMITTED, Report.Status.CHANGES_REQUESTED, Report.Status.APPROVED]
# Parameters of the list filters in members.admin.places, used by the dashboard links.
WITHOUT_REPRESENTATIVE_PARAM = "sans_representant"
SIGNATURE_PARAM = "signature"
REPORTING_PARAM = "suivi"


def changelist_url(model, **params):
    """The admin list of ``model`` filtered by ``params``."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _figure(label, value, url=None, key=""):
    return {"label": label, "value": value or 0, "url": url, "key": key}


def _place_figures(places, policy):
    representative = Membership.objects.filter(
        place=OuterRef("pk"), role=Membership.Role.REPRESENTATIVE
    )
    member = Q(status=Place.Status.MEMBER)
    counts = (
        places.with_signature_state(policy).annotate(has_representative=Exists(representative))
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
        **{
            f"signature_{state}": Count("pk", filter=member & Q(signature_state=state))
            for state in (*Signature.State.values, NEVER_SIGNED)
        },
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
    campaign = ReportingCampaign.objects.current(today)
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


# --- Public observatory ----------------------------------------------------------------------

LEVELS = [level for level in Answer.Level]  # 0…4 then "na"
SCORED = [Answer.Level.ESTABLISHED, Answer.Level.EXEMPLARY]
RATED = [level for level in Answer.Level if level != Answer.Level.NOT_APPLICABLE]
SUMMABLE = {Indicator.Kind.INTEGER, Indicator.Kind.DECIMAL, Indicator.Kind.MONEY}


def _share(part, total):
    return round(100 * part / total, 1) if total else 0


def level_distribution(published, campaign, version):
    """One row per commitment: counts per level and SVG segments (x, width in %)."""
    counts = defaultdict(dict)
    rows = (
        Answer.objects.filter(report__in=published.filter(campaign=campaign))
        .exclude(level="")
        .values_list("commitment__key", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for key, level, n in rows:
        counts[key][level] = n
    commitments = [
        (c.key, c.t_title())
        for c in Commitment.objects.filter(version=version).order_by(
            "section__position", "position"
        )
    ]
    known = {key for key, _title in commitments}
    commitments += [(key, key) for key in sorted(counts) if key not in known]
    distribution = []
    for key, title in commitments:
        by_level = counts.get(key, {})
        total = sum(by_level.values())
        x = 0.0
        segments = []
        for level in LEVELS:
            n = by_level.get(level.value, 0)
            width = 100 * n / total if total else 0
            segments.append({"level": level, "n": n, "x": round(x, 3), "width": round(width, 3)})
            x += width
        distribution.append(
            {
                "key": key,
                "title": title,
                "total": total,
                "segments": segments,
                "strong_share": _share(sum(by_level.get(s.value, 0) for s in SCORED), total),
            }
        )
    return distribution


def indicator_summary(published, campaign):
    """Total, median and number of answers of each indicator, for one campaign."""
    values = defaultdict(list)
    for indicator_id, value in IndicatorValue.objects.filter(
        report__in=published.filter(campaign=campaign)
    ).values_list("indicator_id", "value"):
        values[indicator_id].append(value)
    summary = []
    for indicator in Indicator.objects.filter(pk__in=values.keys()):
        numbers = values[indicator.pk]
        summary.append(
            {
                "indicator": indicator,
                "count": len(numbers),
                "total": sum(numbers) if indicator.kind in SUMMABLE else None,
                "median": statistics.median(numbers),
            }
        )
    return summary


def by_region(policy, published, campaign):
    places = dict(
        Place.objects.listed(policy).values_list("region").annotate(n=Count("pk")).order_by()
    )
    answers = {
        row["report__place__region"]: row
        for row in Answer.objects.filter(report__in=published.filter(campaign=campaign))
        .values("report__place__region")
        .annotate(
            reports=Count("report", distinct=True),
            rated=Count("pk", filter=Q(level__in=RATED)),
            strong=Count("pk", filter=Q(level__in=SCORED)),
        )
        .order_by()
    }
    rows = []
    for code, name in geography.REGION_CHOICES:
        if code not in places and code not in answers:
            continue
        row = answers.get(code, {})
        rows.append(
            {
                "code": code,
                "name": name,
                "places": places.get(code, 0),
                "reports": row.get("reports", 0),
                "strong_share": _share(row.get("strong", 0), row.get("rated", 0)),
            }
        )
    return rows


def evolution(published, campaigns):
    stats = {
        row["report__campaign_id"]: row
        for row in Answer.objects.filter(report__in=published)
        .values("report__campaign_id")
        .annotate(
            reports=Count("report", distinct=True),
            rated=Count("pk", filter=Q(level__in=RATED)),
            strong=Count("pk", filter=Q(level__in=SCORED)),
        )
        .order_by()
    }
    rows = []
    for index, campaign in enumerate(campaigns):
        row = stats.get(campaign.pk, {})
        share = _share(row.get("strong", 0), row.get("rated", 0))
        rows.append(
            {
                "campaign": campaign,
                "reports": row.get("reports", 0),
                "strong_share": share,
                # SVG: bars 80 wide every 120, 200 high at 100 %, baseline at y=220.
                "x": 20 + 120 * index,
                "y": 220 - 2 * share,
                "height": 2 * share,
                "label_y": 220 - 2 * share - 6,
            }
        )
    return rows
