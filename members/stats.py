"""Aggregates: the coordinators' dashboard (limited to the user's territory) and the public
observatory (published reports only).

A constant number of queries whatever the size of the network: the figures are read from the
summary rows of ``members.tallies`` (kept up to date by the services, in the transaction of each
change); medians read the middle values of the published reports' indicator values in order.
"""

import statistics
from collections import defaultdict
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from charter.models import CharterVersion, Commitment
from members import geography
from members.models import (
    Answer,
    DueTally,
    Indicator,
    IndicatorTally,
    IndicatorValue,
    LevelTally,
    Place,
    PlaceTally,
    Report,
    ReportingCampaign,
    ReportingStatus,
    ReportTally,
    Signature,
)
from members.models.signatures import NEVER_SIGNED
from members.services.reports import reporting_status
from members.territory import places_in_scope, scope_queryset

EVERYWHERE = Q()  # no territorial filter: the whole network

# --- Coordinators' dashboard -----------------------------------------------------------------

REVIEW_QUEUE_SIZE = 10
SENT = Report.SENT
MEDIANS_SECONDS = 24 * 3600  # keyed by what they are made of: kept until unused
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


def _sum(rows, key, value):
    totals = defaultdict(int)
    for row in rows.values(key).annotate(n=Sum(value)).order_by():
        totals[row[key]] += row["n"] or 0
    return totals


def _place_figures(user, places, tallied):
    """Places by status and members by signature state, from the summary rows."""
    by_status = _sum(tallied, "status", "places")
    by_signature = _sum(tallied.filter(status=Place.Status.MEMBER), "signature_state", "places")
    without_representative = tallied.filter(
        status__in=[Place.Status.APPLICANT, Place.Status.MEMBER], has_representative=False
    ).aggregate(n=Sum("places", default=0))["n"]
    counts = {
        **{f"status_{status.value}": by_status[status.value] for status in Place.Status},
        **{
            f"signature_{state}": by_signature[state]
            for state in (*Signature.State.values, NEVER_SIGNED)
        },
        "without_representative": without_representative,
    }
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


def _campaign_figures(user, campaign, today, member_count):
    """Member places by situation in ``campaign``, from the summary rows: reports by status
    (drafts included), and the places with a due date of their own (an extension granted, or
    approved since the campaign opened) by that date, judged by the rule and today's date
    (``reporting_status``); the others by the campaign's dates."""

    def rows(model):
        return scope_queryset(user, model.objects.filter(campaign=campaign), "")

    by_status = _sum(
        rows(ReportTally).filter(place_status=Place.Status.MEMBER), "status", "reports"
    )
    counts = defaultdict(int, {status: n for status, n in by_status.items() if status in SENT})
    drafts = by_status[Report.Status.DRAFT]
    unsent = member_count - sum(counts.values())
    own_dates = rows(DueTally).values_list("report_status", "due_on", "not_expected", "places")
    for state, due_on, not_expected, n in own_dates:
        if not_expected:
            counts[ReportingStatus.NOT_EXPECTED] += n
        else:
            counts[reporting_status(campaign, state or None, due_on, today)] += n
        unsent -= n
        drafts -= n if state == Report.Status.DRAFT else 0
    if campaign.due_on < today - timedelta(days=campaign.grace_days):
        counts[ReportingStatus.NON_COMMUNICATING] += unsent
    elif campaign.due_on < today:
        counts[ReportingStatus.LATE] += unsent
    else:
        counts[ReportingStatus.DRAFT] += drafts
        counts[ReportingStatus.NOT_STARTED] += unsent - drafts
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
    rows = scope_queryset(user, LevelTally.objects.filter(campaign=campaign, sent__gt=0), "")
    cells = defaultdict(int)
    for row in rows.values("commitment_key", "level").annotate(n=Sum("sent")).order_by():
        cells[(row["commitment_key"], row["level"])] += row["n"]
    commitments = (
        Commitment.objects.filter(version__status=CharterVersion.Status.PUBLISHED)
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )
    titles = {commitment.key: commitment.t_title() for commitment in commitments}
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
    figures = _place_figures(user, places, scope_queryset(user, PlaceTally.objects.all(), ""))
    campaign = ReportingCampaign.objects.current(today)
    figures["campaign"] = campaign
    if campaign:
        members = next(f["value"] for f in figures["places_by_status"] if f["key"] == "member")
        figures["campaign_figures"] = _campaign_figures(user, campaign, today, members)
        figures["heatmap"] = _heatmap(user, campaign)
    waiting = scope_queryset(user, Report.objects.filter(status=Report.Status.SUBMITTED))
    submitted = scope_queryset(
        user, ReportTally.objects.filter(status=Report.Status.SUBMITTED), ""
    ).aggregate(n=Sum("reports", default=0))
    figures["review_count"] = submitted["n"]
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


def _strong_share_counts():
    """The two sums of published answers a strong share is made of: ``rated`` (levels 0 to 4)
    and ``strong`` (established or exemplary), to annotate on LevelTally rows."""
    return {
        "rated": Sum("published", filter=Q(level__in=RATED), default=0),
        "strong": Sum("published", filter=Q(level__in=SCORED), default=0),
    }


def published_figures(campaigns, territory=EVERYWHERE):
    """Per campaign: published reports, rated answers, strong answers (two queries)."""
    figures = defaultdict(lambda: {"reports": 0, "rated": 0, "strong": 0})
    for row in (
        ReportTally.objects.filter(territory, is_published=True)
        .values("campaign_id")
        .annotate(n=Sum("reports"))
        .order_by()
    ):
        figures[row["campaign_id"]]["reports"] = row["n"]
    for row in (
        LevelTally.objects.filter(territory, published__gt=0)
        .values("campaign_id")
        .annotate(**_strong_share_counts())
        .order_by()
    ):
        figures[row["campaign_id"]].update(rated=row["rated"], strong=row["strong"])
    return figures


def level_distribution(campaign, version, territory=EVERYWHERE):
    """One row per commitment: counts per level and SVG segments (x, width in %).
    ``territory``: a Q on ``region``/``departement`` (the whole network by default)."""
    counts = defaultdict(dict)
    rows = (
        LevelTally.objects.filter(territory, campaign=campaign, published__gt=0)
        .values_list("commitment_key", "level")
        .annotate(n=Sum("published"))
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


def _medians(campaign, indicator_ids):
    """The median of each indicator's published values for ``campaign``. A median cannot be
    summed from summary rows: it is computed from every value of the campaign (100 to 200 ms at
    10,000 places), and kept in the cache under what it is made of, the campaign's published
    reports: their number and latest approval (index report_published_idx, read alone). A
    report published, withdrawn or approved again renews it; an edit of a place does not."""
    ids = sorted(indicator_ids)
    published = Report.objects.filter(campaign=campaign, is_published=True).aggregate(
        n=Count("pk"), latest=Max("approved_at")
    )
    latest = published["latest"].timestamp() if published["latest"] else 0
    key = f"medians:{campaign.pk}:{published['n']}:{latest}:{','.join(map(str, ids))}"
    return cache.get_or_set(key, lambda: _compute_medians(campaign, ids), MEDIANS_SECONDS)


def _compute_medians(campaign, indicator_ids):
    """In one query: the values ranked within their indicator (a window), only the middle one
    or two kept."""
    rank = Window(RowNumber(), partition_by=F("indicator_id"), order_by=F("value").asc())
    size = Window(Count("pk"), partition_by=F("indicator_id"))
    middle = (
        IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids, report__campaign=campaign, report__is_published=True
        )
        .annotate(rank=rank, size=size)
        .filter(Q(rank=(F("size") + 1) / 2) | Q(rank=(F("size") + 2) / 2))
        .order_by()
        .values_list("indicator_id", "value")
    )
    values = {}
    for indicator_id, value in middle:
        values.setdefault(indicator_id, []).append(value)
    return {indicator_id: statistics.median(pair) for indicator_id, pair in values.items()}


def indicator_summary(campaign, territory=None):
    """Total, median and number of answers of each indicator, for one campaign (three
    queries: the summary rows, the indicators, the medians). With a ``territory`` (a Q on
    ``region`` or ``departement``): totals only, for that territory (two queries)."""
    totals = {
        row["indicator_id"]: row
        for row in IndicatorTally.objects.filter(territory or Q(), campaign=campaign, answers__gt=0)
        .values("indicator_id")
        .annotate(count=Sum("answers"), total=Sum("total"))
        .order_by()
    }
    summary = []
    medians = _medians(campaign, list(totals)) if totals and territory is None else {}
    for indicator in Indicator.objects.filter(pk__in=totals.keys()):
        row = totals[indicator.pk]
        summary.append(
            {
                "indicator": indicator,
                "count": row["count"],
                "total": row["total"] if indicator.kind in SUMMABLE else None,
                "median": medians.get(indicator.pk),
            }
        )
    return summary


LISTED = Q(
    status=Place.Status.MEMBER,
    is_public=True,
    signature_state__in=[Signature.State.CURRENT, Signature.State.AWAITING],
)


def listed_figures(territory=EVERYWHERE):
    """The home page's figures: listed places, their départements and régions, and how many
    signed the version in force (one query on the summary rows)."""
    rows = list(
        PlaceTally.objects.filter(LISTED, territory).values_list(
            "departement", "region", "places", "signed_current"
        )
    )
    return {
        "places": sum(row[2] for row in rows),
        "departements": len({row[0] for row in rows}),
        "regions": len({row[1] for row in rows}),
        "current_signatures": sum(row[2] for row in rows if row[3]),
    }


def by_region(campaign):
    places = _sum(PlaceTally.objects.filter(LISTED), "region", "places")
    reports = _sum(
        ReportTally.objects.filter(campaign=campaign, is_published=True), "region", "reports"
    )
    answers = {
        row["region"]: row
        for row in LevelTally.objects.filter(campaign=campaign, published__gt=0)
        .values("region")
        .annotate(**_strong_share_counts())
        .order_by()
    }
    rows = []
    for code, name in geography.REGION_CHOICES:
        if code not in places and code not in reports:
            continue
        row = answers.get(code, {})
        rows.append(
            {
                "code": code,
                "name": name,
                "places": places.get(code, 0),
                "reports": reports.get(code, 0),
                "strong_share": _share(row.get("strong", 0), row.get("rated", 0)),
            }
        )
    return rows


def evolution(campaigns, figures):
    rows = []
    for index, campaign in enumerate(campaigns):
        row = figures.get(campaign.pk, {})
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
