"""/donnees/datapackage.json: a Frictionless Data Package describing the directory's exports.

Tools that read Data Packages (frictionless, CKAN, data.gouv.fr's validators, OpenRefine…)
then know the CSV's dialect, each column's type, constraints and meaning (members.views.opendata
FIELDS), the primary key and the licence. The CSV resource points at the live export: the
package describes it, it does not copy it.
"""

import datetime

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from core.cache import generation, public_page
from members import geography
from members.models import Activity, PublicServed
from members.views.directory import PublicReporting

from .opendata import FIELDS, LICENCE_URL

LICENCE = {"name": "etalab-2.0", "title": "Licence Ouverte 2.0", "path": LICENCE_URL}
URI = {"type": "string", "format": "uri"}

# Type and constraints of each column of the CSV, by name (descriptions come from FIELDS).
COLUMNS = {
    "slug": {
        "type": "string",
        "constraints": {"required": True, "unique": True, "pattern": "[-a-zA-Z0-9_]+"},
    },
    "name": {"type": "string", "constraints": {"required": True}},
    "url": {**URI, "constraints": {"required": True}},
    "street": {"type": "string"},
    "postcode": {"type": "string", "constraints": {"required": True, "pattern": "[0-9]{5}"}},
    "commune": {"type": "string", "constraints": {"required": True}},
    "departement": {"type": "string", "constraints": {"required": True, "enum": "departements"}},
    "departement_name": {"type": "string", "constraints": {"enum": "departement_names"}},
    "region": {"type": "string", "constraints": {"required": True, "enum": "regions"}},
    "region_name": {"type": "string", "constraints": {"enum": "region_names"}},
    "latitude": {
        "type": "number",
        "constraints": {
            "minimum": geography.LATITUDE_RANGE[0],
            "maximum": geography.LATITUDE_RANGE[1],
        },
    },
    "longitude": {
        "type": "number",
        "constraints": {
            "minimum": geography.LONGITUDE_RANGE[0],
            "maximum": geography.LONGITUDE_RANGE[1],
        },
    },
    "position_is_approximate": {
        "type": "boolean",
        "trueValues": ["True"],
        "falseValues": ["False"],
        "constraints": {"required": True},
    },
    "activities": {"type": "string", "pattern_items": "activities"},
    "publics": {"type": "string", "pattern_items": "publics"},
    "website": URI,
    "public_email": {"type": "string", "format": "email"},
    "phone": {"type": "string"},
    "charter_version": {"type": "integer", "constraints": {"required": True, "minimum": 1}},
    "signed_on": {"type": "date", "format": "%Y-%m-%d", "constraints": {"required": True}},
    "verification_url": {**URI, "constraints": {"required": True}},
    "reporting_status": {"type": "string", "constraints": {"enum": "reporting"}},
}


def _list_pattern(slugs):
    """A pipe-separated list of these slugs (or nothing)."""
    one = "|".join(sorted(slugs, key=len, reverse=True)) or "-"
    return f"(({one})(\\|({one}))*)?"


def table_schema():
    """The Table Schema of the CSV export (two queries: activities and publics)."""
    departements = [code for code, _label in geography.DEPARTEMENT_CHOICES]
    enums = {
        "departements": departements,
        "departement_names": [geography.departement_name(code) for code in departements],
        "regions": [code for code, _name in geography.REGION_CHOICES],
        "region_names": [name for _code, name in geography.REGION_CHOICES],
        "reporting": [status.value for status in PublicReporting],
    }
    patterns = {
        "activities": _list_pattern(Activity.objects.values_list("slug", flat=True)),
        "publics": _list_pattern(PublicServed.objects.values_list("slug", flat=True)),
    }
    fields = []
    for name, description in FIELDS:
        field = {"name": name, "description": str(description), **COLUMNS[name]}
        constraints = dict(field.pop("constraints", {}))
        if "enum" in constraints:
            constraints["enum"] = enums[constraints["enum"]]
        if "pattern_items" in field:
            constraints["pattern"] = patterns[field.pop("pattern_items")]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "primaryKey": ["slug"], "missingValues": [""]}


def last_update():
    """When the public data last changed, as this server knows it (core.cache's generation:
    every change to places, signatures, reports… starts a new one)."""
    moment = datetime.datetime.fromtimestamp(generation() / 1e9, tz=datetime.UTC)
    return timezone.localtime(moment).isoformat(timespec="seconds")


@require_safe
@public_page
def datapackage(request):
    def url(name):
        return request.build_absolute_uri(reverse(name))

    with translation.override("fr"):  # one package, described in the source language
        schema = table_schema()
    package = {
        "profile": "tabular-data-package",
        "name": "lieux-collectifs-de-proximite",
        "title": "Annuaire des lieux collectifs de proximité signataires de la charte",
        "description": (
            "Les lieux membres du réseau, signataires d’une version en vigueur de la charte, "
            "qui ont choisi d’apparaître dans l’annuaire public. Mis à jour en continu. "
            "Les filtres de l’annuaire s’appliquent aux fichiers (par exemple ?region=53)."
        ),
        "homepage": url("members:opendata"),
        "version": "1.0.0",
        "keywords": ["tiers-lieux", "centres sociaux", "associations", "annuaire"],
        "licenses": [LICENCE],
        "sources": [{"title": settings.SITE_NAME, "path": url("members:directory")}],
        "contributors": [{"title": settings.SITE_NAME, "role": "publisher"}],
        "created": last_update(),
        "last_modified": last_update(),
        "resources": [
            {
                "name": "lieux-collectifs",
                "title": "Lieux signataires (CSV)",
                "path": url("members:export_csv"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "licenses": [LICENCE],
                "schema": schema,
            },
            {
                "name": "lieux-collectifs-geojson",
                "title": "Lieux signataires (GeoJSON, RFC 7946)",
                "path": url("members:export_geojson"),
                "profile": "data-resource",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "encoding": "utf-8",
                "licenses": [LICENCE],
            },
            {
                "name": "lieux-collectifs-json",
                "title": "Lieux signataires (JSON)",
                "path": url("members:export_json"),
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "licenses": [LICENCE],
            },
        ],
    }
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
