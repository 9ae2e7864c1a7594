"""Open data: the listed places as CSV, JSON and GeoJSON, with the directory's filters.

Streamed: rows are written as the database cursor yields them (``iterator(chunk_size=…)``,
activities and publics prefetched per chunk), so 10,000 places never sit in memory at once.
Only public fields, described once in FIELDS (also shown on /donnees/). Never a team e-mail,
a signatory's name, a draft or a review.
"""

import json
from collections import defaultdict

from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core import csv
from core.cache import public_download, public_page
from members import geography
from members.forms.directory import directory_filter_form
from members.models import (
    Place,
    Report,
    ReportingCampaign,
    ReportingStatus,
    Signature,
    SignaturePolicy,
)
from members.services.reports import granted_due_dates, place_reporting_status

from .directory import filter_places, public_reporting

CHUNK_SIZE = 1000
LICENCE = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

FIELDS = [
    ("slug", _("Identifiant stable de la fiche")),
    ("name", _("Nom public du lieu")),
    ("url", _("Adresse de la fiche dans l’annuaire")),
    ("street", _("Adresse (rue)")),
    ("postcode", _("Code postal")),
    ("commune", _("Commune")),
    ("departement", _("Code INSEE du département")),
    ("departement_name", _("Nom du département")),
    ("region", _("Code INSEE de la région")),
    ("region_name", _("Nom de la région")),
    ("latitude", _("Latitude (WGS 84), vide si inconnue")),
    ("longitude", _("Longitude (WGS 84), vide si inconnue")),
    (
        "position_is_approximate",
        _("Vrai si la position est le centre du département, faute de coordonnées du lieu"),
    ),
    ("activities", _("Activités : identifiants séparés par « | »")),
    ("publics", _("Publics accueillis : identifiants séparés par « | »")),
    ("website", _("Site web du lieu")),
    ("public_email", _("E-mail de contact public choisi par le lieu")),
    ("phone", _("Téléphone public")),
    ("charter_version", _("Numéro de la version de la charte signée")),
    ("signed_on", _("Date de la signature (AAAA-MM-JJ)")),
    ("verification_url", _("Page de vérification de la signature")),
    (
        "reporting_status",
        _(
            "Bilan de la dernière campagne : up_to_date (à jour), late (en retard), non_communicating (non communicant)"
        ),
    ),
]
FIELD_NAMES = [name for name, _description in FIELDS]


COLUMNS = (
    "pk",
    "slug",
    "name",
    "street",
    "postcode",
    "commune",
    "departement",
    "region",
    "latitude",
    "longitude",
    "position_is_approximate",
    "website",
    "public_email",
    "phone",
)


def _places(request):
    """The listed places matching the filters, as dicts with their badges.

    One query of plain columns for the places, streamed; three for what the directory shows as
    annotations (the latest valid signature, the report and the extension of the current
    campaign), read once into dictionaries: no subquery per place, no model instance.
    """
    policy = SignaturePolicy()
    campaign = ReportingCampaign.objects.current()
    filters = directory_filter_form(request.GET).filters()
    places = filter_places(Place.objects.listed(policy), filters, policy)
    chosen = places.values("pk")
    signatures = {
        place_id: (number, signed_at, code)
        for place_id, number, signed_at, code in Signature.objects.valid(policy)
        .filter(place__in=chosen)
        .order_by("place_id", "version__number")  # the latest one wins
        .values_list("place_id", "version__number", "signed_at", "verification_code")
    }
    statuses = {}
    if campaign is not None:
        report_states = dict(
            Report.objects.filter(campaign=campaign, place__in=chosen)
            .order_by()
            .values_list("place_id", "status")
        )
        due = granted_due_dates(campaign, chosen)
        today = timezone.localdate()
        # Approved before the campaign opened (nearly every place): the campaign's own due
        # date, so one status per report state. Later: its own rule (not expected, 90 days).
        opened_at = campaign.opened_at
        plain = {}

        def status(place_id, approved_at):
            state = report_states.get(place_id)
            if place_id in due or (approved_at and approved_at >= opened_at):
                return place_reporting_status(
                    campaign, state, due.get(place_id), approved_at, today
                )
            if state not in plain:
                plain[state] = place_reporting_status(campaign, state, None, None, today)
            return plain[state]

        statuses = status
    rows = places.order_by("name", "pk").values(*COLUMNS, "approved_at")
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        row["signature_version"], row["signed_at"], row["verification_code"] = signatures.get(
            row["pk"], (None, None, None)
        )
        approved_at = row.pop("approved_at")
        row["reporting_status"] = statuses(row["pk"], approved_at) if campaign else None
        yield row


def _slugs_by_place(through, field):
    """{place id: [slugs]} for a place M2M, in one query of plain tuples (no model instances:
    prefetching 10,000 places' activities as objects costs seconds)."""
    slugs = defaultdict(list)
    rows = through.objects.order_by(f"{field}__position", f"{field}__name").values_list(
        "place_id", f"{field}__slug"
    )
    for place_id, slug in rows.iterator(chunk_size=5000):
        slugs[place_id].append(slug)
    return slugs


def _url_maker(request, name):
    """place slug or code -> absolute URL, without reversing the URL for each of 10,000 rows."""
    marker = "__value__"
    template = request.build_absolute_uri(reverse(name, args=[marker]))
    return lambda value: template.replace(marker, str(value))


def _record_maker(request):
    place_url = _url_maker(request, "members:public_place")
    activities = _slugs_by_place(Place.activities.through, "activity")
    publics = _slugs_by_place(Place.publics.through, "publicserved")
    verify_url = _url_maker(request, "members:verify")

    departement_name = geography.departement_name
    region_name = geography.region_name
    public_statuses = {status: public_reporting(status) for status in ReportingStatus}

    def record(place):
        reporting = public_statuses.get(place["reporting_status"])
        return {
            "slug": place["slug"],
            "name": place["name"],
            "url": place_url(place["slug"]),
            "street": place["street"],
            "postcode": place["postcode"],
            "commune": place["commune"],
            "departement": place["departement"],
            "departement_name": departement_name(place["departement"]),
            "region": place["region"],
            "region_name": region_name(place["region"]),
            "latitude": place["latitude"],
            "longitude": place["longitude"],
            "position_is_approximate": place["position_is_approximate"],
            "activities": activities.get(place["pk"], []),
            "publics": publics.get(place["pk"], []),
            "website": place["website"],
            "public_email": place["public_email"],
            "phone": place["phone"],
            "charter_version": place["signature_version"],
            "signed_on": place["signed_at"].date().isoformat() if place["signed_at"] else None,
            "verification_url": verify_url(place["verification_code"]),
            "reporting_status": reporting.value if reporting else None,
        }

    return record


def _records(request):
    """The export's records (FIELDS) of the listed places matching the request's filters."""
    return map(_record_maker(request), _places(request))


def _download(response, filename=None):
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _json_document(opening, objects):
    """Stream ``opening``, the objects as a comma-separated JSON list, then ``]}``."""
    yield opening
    separator = ""
    for obj in objects:
        yield separator + json.dumps(obj, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"


@require_safe
@public_download
def export_csv(request):
    records = _records(request)

    def rows():
        for record in records:
            record["activities"] = "|".join(record["activities"])
            record["publics"] = "|".join(record["publics"])
            yield [record[name] for name in FIELD_NAMES]

    return _download(csv.response("lieux-collectifs.csv", FIELD_NAMES, rows()))


@require_safe
@public_download
def export_json(request):
    records = _records(request)

    def chunks():
        header = {
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "documentation": request.build_absolute_uri(reverse("members:opendata")),
        }
        opening = json.dumps(header, ensure_ascii=False)[:-1] + ', "places": ['
        yield from _json_document(opening, records)

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    return _download(response, "lieux-collectifs.json")


@require_safe
@public_download
def export_geojson(request):
    records = _records(request)

    def features():
        for properties in records:
            latitude = properties.pop("latitude")
            longitude = properties.pop("longitude")
            geometry = (
                {"type": "Point", "coordinates": [longitude, latitude]}
                if latitude is not None and longitude is not None
                else None
            )
            yield {"type": "Feature", "geometry": geometry, "properties": properties}

    opening = '{"type": "FeatureCollection", "features": ['
    response = StreamingHttpResponse(
        _json_document(opening, features()), content_type="application/geo+json"
    )
    return _download(response, "lieux-collectifs.geojson")


@require_safe
@public_page
def opendata(request):
    return render(
        request,
        "members/public/opendata.html",
        {
            "fields": FIELDS,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "api_rate_limit": settings.API_RATE_LIMIT,
        },
    )
