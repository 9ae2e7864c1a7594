"""The public directory of signatory places, /annuaire/, and each place's page.

Only ``Place.objects.listed()`` is ever shown. Every page runs a fixed number of queries:
the signature policy, the latest campaign, the filter choices, the count, one page of places
with the facts of their badges as subqueries (``listed_places``, then ``badges`` in Python),
and the prefetched activities.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.cache import fragments, public_page
from members.forms.directory import directory_filter_form
from members.models import (
    Activity,
    Answer,
    Extension,
    IndicatorValue,
    Membership,
    Place,
    Report,
    ReportingCampaign,
    ReportingStatus,
    Signature,
    SignaturePolicy,
)
from members.search import search_places
from members.services.reports import place_reporting_status
from members.stats import listed_figures

PAGE_SIZE = 24
COUNT_LIMIT = 1000  # a search or a filter lists its first 1,000 matches at most
# What a published report shows of each answer (the place page, the API).
PUBLIC_ANSWER_FIELDS = (
    "report_id",
    "level",
    "na_reason",
    "narrative",
    "actions",
    "commitment__key",
)


class PublicReporting(models.TextChoices):
    """What the public is told about a place's report for the latest campaign."""

    UP_TO_DATE = "up_to_date", _("À jour")
    LATE = "late", _("En retard")
    NON_COMMUNICATING = "non_communicating", _("Non communicant")


def public_reporting(status):
    if status == ReportingStatus.NOT_EXPECTED:  # joined after the campaign: nothing to show
        return None
    if status == ReportingStatus.NON_COMMUNICATING:
        return PublicReporting.NON_COMMUNICATING
    if status == ReportingStatus.LATE:
        return PublicReporting.LATE
    if status:
        return PublicReporting.UP_TO_DATE
    return None


def listed_places(*, policy, campaign=None, filters=None):
    """Listed places matching ``filters``, with the facts their public badges are made of.

    ``signature_version``, ``signed_at``, ``verification_code``: their latest valid signature;
    with a ``campaign``, ``report_state`` (their report's status) and ``granted_due_on`` (the
    latest extension granted). ``badges()`` turns these into what the public is shown, by the
    rules in Python: three plain subqueries per place rather than the CASE expressions of
    ``PlaceQuerySet.with_signature_state``/``with_reporting_status``, which the ORM took longer
    to compile than the database to run.
    """
    latest_signature = (
        Signature.objects.valid(policy).filter(place=OuterRef("pk")).order_by("-version__number")
    )
    places = Place.objects.listed(policy).annotate(
        signature_version=Subquery(latest_signature.values("version__number")[:1]),
        signed_at=Subquery(latest_signature.values("signed_at")[:1]),
        verification_code=Subquery(latest_signature.values("verification_code")[:1]),
    )
    if campaign is not None:
        granted = Extension.objects.filter(
            place=OuterRef("pk"), campaign=campaign, status=Extension.Status.GRANTED
        ).order_by("-due_on")  # index extension_place_campaign_idx
        places = places.annotate(
            report_state=Subquery(
                Report.objects.filter(place=OuterRef("pk"), campaign=campaign)
                .order_by()
                .values("status")[:1]
            ),  # index members_report_once (place, campaign)
            granted_due_on=Subquery(granted.values("due_on")[:1]),
        )
    return filter_places(places, filters or {}, policy).order_by("name", "pk")


def badges(places, policy, campaign, today=None):
    """Set on each of ``places`` (from ``listed_places``) what the public is told:
    ``awaiting_resigning``, ``reporting_status`` (a ReportingStatus, None without a
    campaign) and ``public_reporting``. Returns ``places``."""
    today = today or timezone.localdate()
    for place in places:
        state = policy.state_of_number(place.signature_version)
        place.awaiting_resigning = state == Signature.State.AWAITING
        place.reporting_status = (
            place_reporting_status(
                campaign, place.report_state, place.granted_due_on, place.approved_at, today
            )
            if campaign is not None
            else None
        )
        place.public_reporting = public_reporting(place.reporting_status)
    return places


def filter_places(places, filters, policy):
    """``places`` narrowed by the directory's filters (search, territory, activity…)."""
    if filters.get("q"):
        places = search_places(places, filters["q"].strip())
    if filters.get("region"):
        places = places.filter(region=filters["region"])  # index on Place.region
    if filters.get("departement"):
        places = places.filter(departement=filters["departement"])  # index on Place.departement
    if filters.get("activite"):
        # Served by the unique (place_id, activity_id) index of the M2M table.
        places = places.filter(
            Exists(
                Place.activities.through.objects.filter(
                    place_id=OuterRef("pk"), activity__slug=filters["activite"]
                )
            )
        )
    if filters.get("public"):
        places = places.filter(
            Exists(
                Place.publics.through.objects.filter(
                    place_id=OuterRef("pk"), publicserved__slug=filters["public"]
                )
            )
        )
    if filters.get("engagement"):
        latest_public = (
            Report.objects.published(policy)
            .filter(place=OuterRef("pk"))
            .order_by("-campaign__year")
            .values("pk")[:1]
        )  # index report_place_public_idx
        places = places.annotate(latest_public_report=Subquery(latest_public)).filter(
            Exists(
                Answer.objects.filter(
                    report_id=OuterRef("latest_public_report"),
                    commitment__key=filters["engagement"],
                    level__in=[Answer.Level.ESTABLISHED, Answer.Level.EXEMPLARY],
                )
            )  # index answer_commitment_level_idx
        )
    return places


def _peer_places(request, filters):
    """The places a signed-in representative may ask a peer review for, offered next to the
    places strong on the commitment of the ``engagement`` filter (peer learning). Anonymous
    visitors (the cached page) get none."""
    if not (filters.get("engagement") and request.user.is_authenticated):
        return []
    return list(
        Place.objects.filter(
            memberships__user=request.user,
            memberships__role=Membership.Role.REPRESENTATIVE,
            status=Place.Status.MEMBER,
        ).order_by("name", "pk")
    )


# --- Views ----------------------------------------------------------------------------------


@require_safe
@public_page
def directory(request):
    policy = SignaturePolicy()
    campaign = ReportingCampaign.objects.current()
    form = directory_filter_form(request.GET, policy)
    filters = form.filters()
    map_view = request.GET.get("vue") == "carte"
    activities = Prefetch("activities", queryset=Activity.objects.only("name", "name_en", "slug"))
    places = listed_places(policy=policy, campaign=campaign, filters=filters)
    page = None
    more = False
    # A search's matches are read once, as their ids in the directory's order, for the count
    # and the page, whose places are then read by key: the search is its costly part (a
    # common word, "maison", a third of the places, ran it twice: 440 → 230 ms). A filter
    # alone costs less counted, then paged, than sorted whole.
    by_key = bool(filters.get("q")) and not map_view
    if not filters:
        # Every listed place, counted by the summary rows as on the home page, not by a count
        # of the directory's rows (it grew tenfold with the network).
        count = listed_figures()["places"]
    elif by_key:
        ids = list(places.values_list("pk", flat=True)[: COUNT_LIMIT + 1])
        count = len(ids)
    else:
        # Counted up to COUNT_LIMIT matches: beyond, "more than 1,000" (counting every match
        # of a commitment filter tested each of 80,000 places: 3 s at 100,000 places).
        count = places.order_by().values("pk")[: COUNT_LIMIT + 1].count()  # no badge columns
    if filters:
        more = count > COUNT_LIMIT
        count = min(count, COUNT_LIMIT)
    if not map_view:
        matches = ids[:COUNT_LIMIT] if by_key else places.prefetch_related(activities)
        paginator = Paginator(matches, PAGE_SIZE)
        paginator.count = count
        page = paginator.get_page(request.GET.get("page"))
        page.elided_range = paginator.get_elided_page_range(page.number)
        if by_key:
            page.object_list = list(
                listed_places(policy=policy, campaign=campaign)
                .filter(pk__in=page.object_list)
                .prefetch_related(activities)
            )
        badges(page.object_list, policy, campaign)
    query = request.GET.copy()
    for key in ("page", "vue"):
        query.pop(key, None)
    return render(
        request,
        "members/public/directory.html",
        {
            "peer_places": _peer_places(request, filters),
            "form": form,
            "filters": filters,
            "ignored": form.ignored(),
            "page": page,
            "count": count,
            "more": more,
            "campaign": campaign,
            "map_view": map_view,
            "filter_query": query.urlencode(),
            "map_tiles_url": settings.MAP_TILES_URL,
            "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )


@require_safe
@public_page(place="slug")
def place_detail(request, slug):
    policy = SignaturePolicy()
    campaign = ReportingCampaign.objects.current()
    places = listed_places(policy=policy, campaign=campaign).prefetch_related(
        "activities", "publics"
    )
    (place,) = badges([get_object_or_404(places, slug=slug)], policy, campaign)
    signature = (
        Signature.objects.valid(policy)
        .filter(place=place)
        .select_related("version")
        .only("version__number", "version__title", "signed_at", "verification_code", "place_id")
        .order_by("-version__number")
        .first()
    )
    reports = list(
        Report.objects.published(policy)
        .filter(place=place)
        .select_related("campaign", "version")
        .order_by("-campaign__year")
    )
    reports_html = fragments(reports, _report_key, _render_reports)
    return render(
        request,
        "members/public/place.html",
        {
            "place": place,
            "signature": signature,
            "verification_url": reverse("members:verify", args=[signature.verification_code]),
            "policy": policy,
            "campaign": campaign,
            "reports": reports_html,
            "jsonld": place_jsonld(request, place),
            "map_tiles_url": settings.MAP_TILES_URL,
            "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )


def _report_key(report):
    # What a published report shows changes only with a new revision or a new decision.
    approved = report.approved_at.timestamp() if report.approved_at else 0
    return f"public-report:{report.pk}:{report.revision}:{report.status}:{approved}"


def _render_reports(reports):
    """A place page's published reports, levels, indicators and narratives, as HTML."""
    prefetch_related_objects(
        reports,
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("commitment", "commitment__section").only(
                *PUBLIC_ANSWER_FIELDS,
                "commitment__title",
                "commitment__title_en",
                "commitment__position",
                "commitment__section__position",
                "commitment__section__title",
                "commitment__section__title_en",
            ),
        ),
        Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator")),
    )
    return [
        render_to_string("members/public/includes/_report.html", {"report": report})
        for report in reports
    ]


def place_jsonld(request, place):
    """schema.org Organization, from public fields only."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": place.name,
        "url": request.build_absolute_uri(reverse("members:public_place", args=[place.slug])),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.street,
            "postalCode": place.postcode,
            "addressLocality": place.commune,
            "addressRegion": place.region_name,
            "addressCountry": "FR",
        },
        "memberOf": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if place.description:
        data["description"] = place.description
    if place.latitude is not None and place.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    if place.website:
        data["sameAs"] = [place.website]
    if place.public_email:
        data["email"] = place.public_email
    if place.phone:
        data["telephone"] = place.phone
    if place.logo:
        data["logo"] = request.build_absolute_uri(place.logo.url)
    if place.year_founded:
        data["foundingDate"] = str(place.year_founded)
    return data


LATEST_SIGNATORIES = 6
# The latest signatories are looked for among the places of the newest signatures only (read
# from the index signature_signed_idx): sorting every listed place by its latest signature's
# date costs a subquery per place.
SIGNATURE_WINDOW = 200


def latest_signatories(policy, count=LATEST_SIGNATORIES):
    """The ``count`` listed places signed most recently (``signed_at``: their latest
    signature's date), newest first: one query, a second one only in the rare case the window
    of the newest signatures does not hold enough listed places."""
    newest = Signature.objects.exclude(version__status="draft").order_by("-signed_at", "-pk")
    places = listed_places(policy=policy).order_by("-signed_at", "-pk")
    window = places.filter(pk__in=Subquery(newest.values("place_id")[:SIGNATURE_WINDOW])).annotate(
        # The oldest date in the window (None: the window holds every signature). Any place
        # outside it signed on or before that date.
        window_floor=Subquery(newest.values("signed_at")[SIGNATURE_WINDOW - 1 : SIGNATURE_WINDOW])
    )
    latest = list(window[:count])
    if latest:
        floor = latest[0].window_floor
        if floor is None or (len(latest) == count and latest[-1].signed_at > floor):
            return latest
    return list(places[:count])


@require_safe
@public_page
def home(request):
    """What the network is, key figures (from the summary rows), a map and the latest
    signatories (three queries)."""
    policy = SignaturePolicy()
    figures = listed_figures()
    latest = latest_signatories(policy)
    return render(
        request,
        "members/public/home.html",
        {
            "figures": figures,
            "current_version": policy.current,
            "latest_signatories": latest,
            "map_tiles_url": settings.MAP_TILES_URL,
            "map_tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )
