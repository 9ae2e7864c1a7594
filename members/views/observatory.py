"""The network observatory, /observatoire/: what the published reports say, all together.

The aggregates are in ``members.stats``, read from the summary rows of ``members.tallies``.
Only published reports count (``Report.is_published``). Charts are SVG drawn here, each
followed by its data table for screen readers. The figures are rendered once per version of
the summary rows (``tallies.VERSION``, renewed by each of their writes) and kept as a
fragment: an edit that changes no figure (a place's presentation) leaves them alone.
"""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from charter.models import CharterVersion
from core.cache import fragment, public_page, version
from members import tallies
from members.models import ReportingCampaign
from members.stats import (
    LEVELS,
    by_region,
    evolution,
    indicator_summary,
    level_distribution,
    published_figures,
)


@require_safe
@public_page
def observatory(request):
    today = timezone.localdate()
    figures = fragment(
        f"observatory:{version(tallies.VERSION)}:{today}",
        lambda: render_to_string(
            "members/public/includes/_observatory_figures.html", figures_context(today)
        ),
    )
    return render(request, "members/public/observatory.html", {"figures": figures})


def figures_context(today):
    campaigns = list(ReportingCampaign.objects.filter(opens_on__lte=today).order_by("year", "pk"))
    context = {"campaign": None, "levels": LEVELS}
    if campaigns:
        charter = CharterVersion.objects.current()
        figures = published_figures(campaigns)
        history = evolution(campaigns, figures)
        # The latest campaign with published reports (a campaign just opened has none yet).
        with_reports = [row["campaign"] for row in history if row["reports"]]
        campaign = with_reports[-1] if with_reports else campaigns[-1]
        context.update(
            {
                "report_count": figures[campaign.pk]["reports"],
                "distribution": level_distribution(campaign, charter),
                "indicators": indicator_summary(campaign),
                "regions": by_region(campaign),
                "campaign": campaign,
                "history": history,
                "history_width": 40 + 120 * len(history),
            }
        )
    return context
