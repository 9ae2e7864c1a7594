"""The API's endpoints: read-only, anonymous, JSON.

Every answer carries ``Access-Control-Allow-Origin: *`` (any site may read open data), a strong
``ETag`` (a hash of the body) and a ``Last-Modified`` (when this body was first served), and a
repeated request with ``If-None-Match`` or ``If-Modified-Since`` gets ``304 Not Modified``. The
body is still computed (its queries are few and constant): a 304 saves the transfer.
"""

import hashlib
import time

from django.core.cache import cache
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, generics
from rest_framework.response import Response
from rest_framework.views import APIView

from charter.models import CharterVersion
from core.cache import generation
from members import geography
from members.forms.directory import directory_filter_form
from members.models import (
    Activity,
    Answer,
    IndicatorValue,
    Place,
    PublicServed,
    Report,
    ReportingCampaign,
    Signature,
    SignaturePolicy,
)
from members.views.directory import PUBLIC_ANSWER_FIELDS, badges, listed_places

from . import observatory, serializers
from .pagination import ByCode, BySlug, Cursor

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After",
    "Access-Control-Max-Age": "86400",
}
FIRST_SEEN_SECONDS = 7 * 24 * 3600

PROBLEMS = {
    400: OpenApiResponse(serializers.ProblemSerializer, description=_("Paramètre invalide")),
    404: OpenApiResponse(serializers.ProblemSerializer, description=_("Introuvable ou non public")),
    429: OpenApiResponse(serializers.ProblemSerializer, description=_("Trop de requêtes")),
}


def responses(body, *problems):
    """extend_schema's ``responses``: ``body`` for 200, then the problem details of each of
    ``problems`` and of 429 (every endpoint is rate-limited)."""
    return {200: body, **{status: PROBLEMS[status] for status in (*problems, 429)}}


def first_seen(etag):
    """When this body was first served (whole seconds), shared through the default cache.

    Keyed by the public-page generation too (core.cache): a body that comes back after a change
    is new again, so an ``If-Modified-Since`` from in between never matches it."""
    key = f"api:first-seen:{generation()}:{etag}"
    cache.add(key, int(time.time()), FIRST_SEEN_SECONDS)
    return cache.get(key) or int(time.time())


class PublicAPIView(APIView):
    """CORS, conditional GET and problem details for every endpoint."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Language"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
            last_modified = first_seen(etag)
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            response["Cache-Control"] = "public, no-cache"
            response = get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response


class PublicListView(PublicAPIView, generics.ListAPIView):
    pass


class PublicDetailView(PublicAPIView, generics.RetrieveAPIView):
    pass


def _year(value, name):
    try:
        return int(value)
    except (TypeError, ValueError):
        message = _("Indiquez un nombre entier, par exemple 2026.")
        raise exceptions.ValidationError({name: [message]}) from None


class Filter:
    """A query parameter narrowing a list: ``?name=value`` keeps the rows whose ``lookup`` is
    ``value`` (a whole number when ``kind`` is int, else a 400)."""

    def __init__(self, name, lookup, kind, description):
        self.name, self.lookup, self.kind, self.description = name, lookup, kind, description

    def parameter(self):
        return OpenApiParameter(self.name, self.kind, description=self.description)

    def apply(self, queryset, params):
        value = params.get(self.name)
        if not value:
            return queryset
        return queryset.filter(
            **{self.lookup: _year(value, self.name) if self.kind is int else value}
        )


class FilterSchema(AutoSchema):
    """Documents a FilteredListView's ``query_filters`` as its query parameters."""

    def get_override_parameters(self):
        filters = [f.parameter() for f in self.view.query_filters]
        return [*super().get_override_parameters(), *filters]


class FilteredListView(PublicListView):
    """A list narrowed by its ``query_filters``, which its schema documents."""

    query_filters = ()
    schema = FilterSchema()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for query_filter in self.query_filters:
            queryset = query_filter.apply(queryset, self.request.query_params)
        return queryset


PLACE_FILTER = Filter("place", "place__slug", str, _("Identifiant (slug) d’un lieu"))


# --- Root -----------------------------------------------------------------------------------


class Root(PublicAPIView):
    """The API's entry point: links to each collection, the schema and the documentation."""

    @extend_schema(
        summary=_("Point d’entrée"),
        responses=responses(OpenApiTypes.OBJECT),
    )
    def get(self, request):
        def url(name):
            return request.build_absolute_uri(reverse(name))

        return Response(
            {
                "places": url("api:place-list"),
                "signatures": url("api:signature-list"),
                "charter_versions": url("api:charter-version-list"),
                "reports": url("api:report-list"),
                "observatory": url("api:observatory"),
                "schema": url("api:schema"),
                "documentation": url("api:docs"),
                "licence": "Licence Ouverte 2.0 (etalab-2.0)",
            }
        )


# --- Places ---------------------------------------------------------------------------------

TERRITORY_PARAMETERS = [
    OpenApiParameter("region", str, description=_("Code INSEE de la région")),
    OpenApiParameter("departement", str, description=_("Code INSEE du département")),
]
FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description=_("Recherche (nom, commune, présentation…)")),
    *TERRITORY_PARAMETERS,
    OpenApiParameter("activite", str, description=_("Identifiant d’une activité")),
    OpenApiParameter("public", str, description=_("Identifiant d’un public accueilli")),
    OpenApiParameter(
        "engagement",
        str,
        description=_(
            "Clé d’un engagement jugé bien établi ou exemplaire dans le dernier bilan publié"
        ),
    ),
]


def directory_filters(request):
    """The directory's filters (members.forms.directory); a bad value is a 400 here."""
    form = directory_filter_form(request.query_params)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    return form.filters()


class PlaceQueryMixin:
    """The directory's places and their badges (``members.views.directory``)."""

    serializer_class = serializers.PlaceSerializer

    @cached_property
    def policy(self):
        return SignaturePolicy()

    @cached_property
    def campaign(self):
        return ReportingCampaign.objects.current()

    def get_queryset(self, filters=None):
        return listed_places(
            policy=self.policy, campaign=self.campaign, filters=filters
        ).prefetch_related(
            Prefetch("activities", queryset=Activity.objects.only("slug")),
            Prefetch("publics", queryset=PublicServed.objects.only("slug")),
        )

    def paginate_queryset(self, queryset):
        return badges(super().paginate_queryset(queryset), self.policy, self.campaign)

    def get_object(self):
        (place,) = badges([super().get_object()], self.policy, self.campaign)
        return place


@extend_schema(
    summary=_("Lieux de l’annuaire"),
    description=_(
        "Les lieux membres, signataires d’une version en vigueur et publics, avec les filtres "
        "de l’annuaire. Pagination par curseur (liens next et previous)."
    ),
    parameters=FILTER_PARAMETERS,
    responses=responses(serializers.PlaceSerializer(many=True), 400),
)
class PlaceList(PlaceQueryMixin, PublicListView):
    pagination_class = BySlug

    def get_queryset(self):
        return super().get_queryset(directory_filters(self.request))


@extend_schema(
    summary=_("Un lieu de l’annuaire"),
    responses=responses(serializers.PlaceSerializer, 404),
)
class PlaceDetail(PlaceQueryMixin, PublicDetailView):
    lookup_field = "slug"


# --- Signatures -----------------------------------------------------------------------------


class SignatureQueryMixin:
    serializer_class = serializers.SignatureSerializer

    def get_queryset(self):
        policy = SignaturePolicy()
        return (
            Signature.objects.with_state(policy)
            .filter(place__in=Place.objects.listed(policy).values("pk"))
            .select_related("place", "version")
            .only(
                "verification_code",
                "fingerprint",
                "signatory_title",
                "signed_at",
                "place__slug",
                "place__name",
                "place__commune",
                "version__number",
            )
        )


@extend_schema(
    summary=_("Signatures de la charte"),
    description=_(
        "Les signatures des lieux de l’annuaire, avec ce que montre la page de vérification."
    ),
    responses=responses(serializers.SignatureSerializer(many=True), 400),
)
class SignatureList(SignatureQueryMixin, FilteredListView):
    pagination_class = ByCode
    query_filters = [
        PLACE_FILTER,
        Filter("version", "version__number", int, _("Numéro de la version de la charte")),
    ]


@extend_schema(
    summary=_("Vérifier une signature"),
    responses=responses(serializers.SignatureSerializer, 404),
)
class SignatureDetail(SignatureQueryMixin, PublicDetailView):
    lookup_field = "verification_code"
    lookup_url_kwarg = "code"

    def get_object(self):
        code = self.kwargs["code"].strip().upper()
        return get_object_or_404(self.get_queryset(), verification_code=code)


# --- Charter --------------------------------------------------------------------------------


class CharterQueryMixin:
    def get_queryset(self):
        return CharterVersion.objects.public().order_by("number")


@extend_schema(
    summary=_("Versions de la charte"),
    description=_("Les versions publiées et remplacées (jamais les brouillons)."),
    responses=responses(serializers.CharterVersionSerializer(many=True)),
)
class CharterVersionList(CharterQueryMixin, PublicListView):
    serializer_class = serializers.CharterVersionSerializer
    pagination_class = None  # a handful of versions


@extend_schema(
    summary=_("Une version de la charte, avec son texte"),
    description=_(
        "Le texte faisant foi (préambule, parties, engagements), ses aides à la lecture et "
        "leur traduction anglaise, non contractuelle."
    ),
    responses=responses(serializers.CharterVersionDetailSerializer, 404),
)
class CharterVersionDetail(CharterQueryMixin, PublicDetailView):
    serializer_class = serializers.CharterVersionDetailSerializer
    lookup_field = "number"

    def get_queryset(self):
        return super().get_queryset().with_content()


# --- Reports --------------------------------------------------------------------------------


class ReportQueryMixin:
    serializer_class = serializers.ReportSerializer

    def get_queryset(self):
        return (
            Report.objects.published(SignaturePolicy())
            .select_related("place", "campaign", "version")
            .only(
                "approved_at",
                "place__slug",
                "place__name",
                "campaign__year",
                "campaign__name",
                "version__number",
            )
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.select_related("commitment").only(
                        *PUBLIC_ANSWER_FIELDS
                    ),
                ),
                Prefetch(
                    "indicator_values",
                    queryset=IndicatorValue.objects.select_related("indicator"),
                ),
            )
        )


@extend_schema(
    summary=_("Bilans publiés"),
    description=_(
        "Les bilans validés, que le lieu a choisi de publier, des lieux de l’annuaire : "
        "niveau, récit et actions pour chaque engagement, et indicateurs."
    ),
    responses=responses(serializers.ReportSerializer(many=True), 400),
)
class ReportList(ReportQueryMixin, FilteredListView):
    pagination_class = Cursor
    query_filters = [
        PLACE_FILTER,
        Filter("campaign", "campaign__year", int, _("Année de la campagne")),
    ]


@extend_schema(
    summary=_("Un bilan publié"),
    responses=responses(serializers.ReportSerializer, 404),
)
class ReportDetail(ReportQueryMixin, PublicDetailView):
    def get_object(self):
        return get_object_or_404(
            self.get_queryset(), place__slug=self.kwargs["slug"], campaign__year=self.kwargs["year"]
        )


# --- Observatory ----------------------------------------------------------------------------


def _opened_campaigns():
    from django.utils import timezone

    return ReportingCampaign.objects.filter(opens_on__lte=timezone.localdate()).order_by(
        "year", "pk"
    )


class ObservatoryCampaigns(PublicAPIView):
    @extend_schema(
        summary=_("Observatoire : les campagnes"),
        description=_(
            "Pour chaque campagne ouverte : bilans publiés et part des engagements "
            "bien établis ou exemplaires."
        ),
        responses=responses(serializers.CampaignFiguresSerializer(many=True)),
    )
    def get(self, request):
        def url(campaign):
            return request.build_absolute_uri(
                reverse("api:observatory-campaign", args=[campaign.year])
            )

        return Response(observatory.campaigns_figures(list(_opened_campaigns()), url))


class ObservatoryCampaign(PublicAPIView):
    @extend_schema(
        summary=_("Observatoire : une campagne"),
        description=_(
            "Niveaux par engagement, totaux des indicateurs, chiffres par région et par "
            "département, pour les bilans publiés ; éventuellement pour un seul territoire."
        ),
        parameters=TERRITORY_PARAMETERS,
        responses=responses(serializers.CampaignObservatorySerializer, 400, 404),
    )
    def get(self, request, year):
        campaign = get_object_or_404(_opened_campaigns(), year=year)
        region = request.query_params.get("region", "")
        departement = request.query_params.get("departement", "")
        errors = {}
        if region and region not in geography.REGIONS:
            errors["region"] = [_("Région inconnue.")]
        if departement and departement not in geography.DEPARTEMENTS:
            errors["departement"] = [_("Département inconnu.")]
        if errors:
            raise exceptions.ValidationError(errors)
        url = request.build_absolute_uri(reverse("api:observatory-campaign", args=[year]))
        return Response(
            observatory.campaign_figures(campaign, url, region=region, departement=departement)
        )


# --- Schema ---------------------------------------------------------------------------------


class Schema(SpectacularAPIView):
    """The OpenAPI 3 description of this API, as JSON (YAML with ?format=yaml)."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response
