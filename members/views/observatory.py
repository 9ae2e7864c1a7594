"""The network observatory, /observatoire/: what the published reports say, all together.

The aggregates are in ``members.stats`` (one query per chart).
Only published reports count (``Report.objects.published()``). Charts are SVG drawn here,
each followed by its data table for screen readers.
"""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from charter.models import CharterVersion
from core.cache import public_page
from members.models import Report, ReportingCampaign, SignaturePolicy
from members.stats import LEVELS, by_region, evolution, indicator_summary, level_distribution


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
    return render(request, "members/public/observatory.html", context)
