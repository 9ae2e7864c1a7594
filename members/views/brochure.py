"""/observatoire/plaquette.pdf?region=<code> (or ?departement=<code>): a territory's brochure.

A printable A4 document of the observatory for one territory, from published reports only:
signatory places, key indicators, levels by commitment, a map of the places, the year. For
coordinators to bring to elected officials and funders. It reads the summary rows (members.stats)
and one query for the places' positions; cached per territory and generation like every public
page.
"""

import base64
import io

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from PIL import Image as PillowImage
from PIL import ImageDraw

from charter.models import CharterVersion
from core.cache import public_page
from members import geography, stats
from members.models import Place, ReportingCampaign

from .reports import _pdf_response

MAP_WIDTH, MAP_HEIGHT = 600, 420


def _territory(request):
    """(a Q on région/département, its name, a slug for the file name); 404 if unknown."""
    region, departement = request.GET.get("region"), request.GET.get("departement")
    if departement in geography.DEPARTEMENTS:
        name = f"{departement} – {geography.departement_name(departement)}"
        return Q(departement=departement), name, f"departement-{departement}"
    if region in geography.REGIONS:
        return Q(region=region), geography.region_name(region), f"region-{region}"
    raise Http404(_("Indiquez une région (?region=) ou un département (?departement=) connus."))


def _map_image(territory):
    """A PNG data URI: the listed places as dots on the territory's box (equirectangular).
    Drawn with Pillow: a thousand SVG circles would cost WeasyPrint seconds."""
    points = _map_points(territory)
    if not points:
        return None
    image = PillowImage.new("P", (MAP_WIDTH, MAP_HEIGHT), "#f3f6f4")
    draw = ImageDraw.Draw(image)
    for point in points:
        x, y = point["x"], point["y"]
        draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill="#0b6e4f")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _map_points(territory):
    """The listed places' positions, projected into the map's box (equirectangular)."""
    positions = list(
        Place.objects.listed()
        .filter(territory, latitude__isnull=False, longitude__isnull=False)
        .values_list("latitude", "longitude")
    )
    if not positions:
        return []
    lats, lons = [p[0] for p in positions], [p[1] for p in positions]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    span = max(north - south, (east - west) * 0.7, 0.05)
    margin = 20
    scale = min((MAP_WIDTH - 2 * margin) / (span / 0.7), (MAP_HEIGHT - 2 * margin) / span)
    return [
        {
            "x": round(margin + (lon - west) * scale * 0.7, 1),
            "y": round(MAP_HEIGHT - margin - (lat - south) * scale, 1),
        }
        for lat, lon in positions
    ]


@require_safe
@public_page
def brochure(request):
    """Cached like every public page: per territory (the query string), language and
    generation of the public data."""
    territory, name, slug = _territory(request)
    return _render(request, territory, name, slug)


def _render(request, territory, name, slug):
    today = timezone.localdate()
    campaigns = list(ReportingCampaign.objects.filter(opens_on__lte=today).order_by("year", "pk"))
    published = stats.published_figures(campaigns, territory)
    with_reports = [c for c in campaigns if published[c.pk]["reports"]]
    campaign = with_reports[-1] if with_reports else (campaigns[-1] if campaigns else None)
    context = {
        "territory_name": name,
        "campaign": campaign,
        "places": stats.listed_figures(territory),
        "map_image": _map_image(territory),
        "map_width": MAP_WIDTH,
        "map_height": MAP_HEIGHT,
        "levels": stats.LEVELS,
        "generated_on": today,
    }
    if campaign:
        version = CharterVersion.objects.current()
        context.update(
            {
                "reports": published[campaign.pk]["reports"],
                "indicators": stats.indicator_summary(campaign, territory),
                "distribution": stats.level_distribution(campaign, version, territory),
            }
        )
    return _pdf_response(request, "members/public/brochure.html", context, f"plaquette-{slug}.pdf")
