"""The observatory's aggregates for the API, read from the summary rows (members.tallies).

Same rules as the page /observatoire/ (members.stats): only published reports count; a
"strong" answer is established or exemplary, among the answers rated 0 to 4. Optionally
narrowed to one région or one département. A constant number of queries.
"""

from collections import defaultdict

from django.db.models import Q, Sum

from charter.models import CharterVersion, Commitment
from members import geography
from members.models import (
    Answer,
    Indicator,
    IndicatorTally,
    LevelTally,
    PlaceTally,
    ReportTally,
)
from members.stats import LISTED, RATED, SCORED, SUMMABLE, _share, published_figures

RATED_VALUES = {level.value for level in RATED}
SCORED_VALUES = {level.value for level in SCORED}


def campaign_row(campaign, figures, url):
    row = figures.get(campaign.pk, {})
    return {
        "year": campaign.year,
        "name": campaign.name,
        "name_en": campaign.name_en,
        "opens_on": campaign.opens_on,
        "due_on": campaign.due_on,
        "published_reports": row.get("reports", 0),
        "rated_answers": row.get("rated", 0),
        "strong_answers": row.get("strong", 0),
        "strong_share": _share(row.get("strong", 0), row.get("rated", 0)),
        "api_url": url,
    }


def campaigns_figures(campaigns, url_of):
    figures = published_figures(campaigns)  # two queries
    return [campaign_row(c, figures, url_of(c)) for c in campaigns]


def _territories(places, reports, answers, key, names):
    rows = []
    for code, name in names:
        if code not in places and code not in reports:
            continue
        rated, strong = answers.get(code, (0, 0))
        rows.append(
            {
                "code": code,
                "name": name,
                "listed_places": places.get(code, 0),
                "published_reports": reports.get(code, 0),
                "strong_share": _share(strong, rated),
            }
        )
    return rows


def _by_territory(tallies, counted):
    """The sum of the ``counted`` column of ``tallies`` per région and per département:
    ``{"region": {code: n}, "departement": {code: n}}`` (one query)."""
    totals = {"region": defaultdict(int), "departement": defaultdict(int)}
    rows = tallies.values_list("region", "departement").annotate(n=Sum(counted)).order_by()
    for region, departement, n in rows:
        totals["region"][region] += n
        totals["departement"][departement] += n
    return totals


def campaign_figures(campaign, url, *, region=None, departement=None):
    """Everything the observatory knows about ``campaign`` (eight queries)."""
    territory = Q()
    if region:
        territory &= Q(region=region)
    if departement:
        territory &= Q(departement=departement)

    places = _by_territory(PlaceTally.objects.filter(LISTED).filter(territory), "places")
    reports = _by_territory(
        ReportTally.objects.filter(campaign=campaign, is_published=True).filter(territory),
        "reports",
    )

    levels = defaultdict(lambda: defaultdict(int))  # commitment key -> level -> n
    answers = {"region": defaultdict(lambda: [0, 0]), "departement": defaultdict(lambda: [0, 0])}
    rated = strong = 0
    for reg, dep, key, level, n in (
        LevelTally.objects.filter(campaign=campaign, published__gt=0)
        .filter(territory)
        .values_list("region", "departement", "commitment_key", "level")
        .annotate(n=Sum("published"))
        .order_by()
    ):
        levels[key][level] += n
        if level in RATED_VALUES:
            rated += n
            strong += n if level in SCORED_VALUES else 0
            for kind, code in (("region", reg), ("departement", dep)):
                answers[kind][code][0] += n
                answers[kind][code][1] += n if level in SCORED_VALUES else 0

    version = CharterVersion.objects.current()
    commitments = [
        (c.key, c.title, c.title_en)
        for c in Commitment.objects.filter(version=version).order_by(
            "section__position", "position"
        )
    ]
    known = {key for key, *_titles in commitments}
    commitments += [(key, key, key) for key in sorted(levels) if key not in known]
    commitment_rows = []
    for key, title, title_en in commitments:
        by_level = levels.get(key, {})
        counted = sum(by_level.get(level, 0) for level in RATED_VALUES)
        commitment_rows.append(
            {
                "key": key,
                "title": title,
                "title_en": title_en,
                "answers": sum(by_level.values()),
                "levels": {level.value: by_level.get(level.value, 0) for level in Answer.Level},
                "strong_share": _share(
                    sum(by_level.get(level, 0) for level in SCORED_VALUES), counted
                ),
            }
        )

    totals = {
        row["indicator_id"]: row
        for row in IndicatorTally.objects.filter(campaign=campaign, answers__gt=0)
        .filter(territory)
        .values("indicator_id")
        .annotate(count=Sum("answers"), total=Sum("total"))
        .order_by()
    }
    indicators = [
        {
            "key": indicator.key,
            "label": indicator.label,
            "label_en": indicator.label_en,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "answers": totals[indicator.pk]["count"],
            "total": totals[indicator.pk]["total"] if indicator.kind in SUMMABLE else None,
        }
        for indicator in Indicator.objects.filter(pk__in=totals.keys())
    ]
    published = sum(reports["region"].values())
    return {
        "campaign": {
            **campaign_row(campaign, {}, url),
            "published_reports": published,
            "rated_answers": rated,
            "strong_answers": strong,
            "strong_share": _share(strong, rated),
        },
        "territory": {"region": region or None, "departement": departement or None},
        "commitments": commitment_rows,
        "indicators": indicators,
        "regions": _territories(
            places["region"],
            reports["region"],
            answers["region"],
            "region",
            geography.REGION_CHOICES,
        ),
        "departements": _territories(
            places["departement"],
            reports["departement"],
            answers["departement"],
            "departement",
            [
                (code, geography.departement_name(code))
                for code, _l in geography.DEPARTEMENT_CHOICES
            ],
        ),
    }
