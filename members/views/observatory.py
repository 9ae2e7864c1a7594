"""The network observatory, /observatoire/: what the published reports say, all together.

Aggregated in SQL (one query per chart); medians computed in Python from one values_list.
Only published reports count (``Report.objects.published()``). Charts are SVG drawn here,
each followed by its data table for screen readers.
"""

import statistics
from collections import defaultdict

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from charter.models import CharterVersion, Commitment
from members import geography
from members.cache import public_page
from members.models import (
    Answer,
    Indicator,
    IndicatorValue,
    Place,
    Report,
    ReportingCampaign,
    SignaturePolicy,
)

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


@require_safe
@public_page
def observatory(request):
    policy = SignaturePolicy()
    today = timezone.localdate()
    campaigns = list(ReportingCampaign.objects.filter(opens_on__lte=today).order_by("year", "pk"))
    context = {"campaign": None, "levels": LEVELS}
    if campaigns:
        published = Report.objects.published(policy)
        version = policy.current or CharterVersion.objects.current()
        history = evolution(published, campaigns)
        # The latest campaign with published reports (a campaign just opened has none yet).
        with_reports = [row["campaign"] for row in history if row["reports"]]
        campaign = with_reports[-1] if with_reports else campaigns[-1]
        context.update(
            {
                "report_count": published.filter(campaign=campaign).count(),
                "distribution": level_distribution(published, campaign, version),
                "indicators": indicator_summary(published, campaign),
                "regions": by_region(policy, published, campaign),
                "campaign": campaign,
                "history": history,
                "history_width": 40 + 120 * len(history),
            }
        )
    return render(request, "members/observatory.html", context)
