"""CSV exports for coordinators, limited to their territory.

Streamed (a large network never sits in memory), UTF-8 with a byte-order mark so that spreadsheet
software reads accents right, French column headers. Mounted under /admin/exports/.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_GET

from core import csv
from members.models import (
    Answer,
    Report,
    ReportingCampaign,
    ReportingStatus,
    Signature,
    SignaturePolicy,
)
from members.models.signatures import NEVER_SIGNED
from members.territory import places_in_scope, scope_queryset

CHUNK = 2000


def _require(request, *perms):
    if not all(request.user.has_perm(f"members.{perm}") for perm in perms):
        raise PermissionDenied


def _campaign(request):
    """?campagne=<pk>, else the campaign in progress."""
    pk = request.GET.get("campagne")
    if pk:
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(ReportingCampaign, pk=pk)
    campaign = ReportingCampaign.objects.current()
    if campaign is None:
        raise Http404
    return campaign


@staff_member_required
@require_GET
def places(request):
    _require(request, "view_place")
    policy = SignaturePolicy()
    campaign = ReportingCampaign.objects.current()
    queryset = places_in_scope(request.user).with_signature_state(policy)
    if campaign:
        queryset = queryset.with_reporting_status(campaign)
    header = [
        "Nom",
        "Adresse de la fiche",
        "Raison sociale",
        "Forme juridique",
        "RNA",
        "SIRET",
        "Adresse",
        "Code postal",
        "Commune",
        "Département",
        "Région",
        "Statut",
        "Inscrit le",
        "Membre depuis",
        "Dans l’annuaire public",
        "Dernière version signée",
        "Signée le",
        "État de la signature",
        f"Bilan {campaign.name}" if campaign else "Bilan de la campagne en cours",
    ]

    state_labels = {**dict(Signature.State.choices), NEVER_SIGNED: "Jamais signé"}

    reporting_labels = dict(ReportingStatus.choices)
    rows = (
        [
            place.name,
            place.slug,
            place.legal_name,
            place.get_legal_form_display(),
            place.rna,
            place.siret,
            place.street,
            place.postcode,
            place.commune,
            f"{place.departement} – {place.departement_name}",
            place.region_name,
            place.get_status_display(),
            place.created_at,
            place.approved_at,
            "oui" if place.is_public else "non",
            place.latest_signed,
            place.latest_signed_at,
            state_labels[place.signature_state],
            reporting_labels.get(place.reporting_status, "") if campaign else "",
        ]
        for place in queryset.order_by("name", "pk").iterator(chunk_size=CHUNK)
    )
    return csv.response("lieux.csv", header, rows)


@staff_member_required
@require_GET
def signatures(request):
    _require(request, "view_signature")
    state_labels = dict(Signature.State.choices)
    queryset = (
        scope_queryset(request.user, Signature.objects.with_state())
        .select_related("place", "version")
        .order_by("place__name", "-version__number", "pk")
    )
    header = [
        "Lieu",
        "Département",
        "Région",
        "Version de la charte",
        "Nom du ou de la signataire",
        "Qualité",
        "Date de la décision du conseil",
        "Signée le",
        "Code de vérification",
        "État",
    ]
    rows = (
        [
            signature.place.name,
            signature.place.departement,
            signature.place.region_name,
            signature.version.number,
            signature.signatory_name,
            signature.signatory_title,
            signature.board_decision_date,
            signature.signed_at,
            signature.verification_code,
            state_labels[signature.signature_state],
        ]
        for signature in queryset.iterator(chunk_size=CHUNK)
    )
    return csv.response("signatures.csv", header, rows)


@staff_member_required
@require_GET
def reports(request):
    """One row per place × commitment, with the level and the narrative."""
    _require(request, "view_report")
    campaign = _campaign(request)
    queryset = scope_queryset(
        request.user, Answer.objects.filter(report__campaign=campaign), "report__place"
    )
    queryset = queryset.select_related("report__place", "commitment").order_by(
        "report__place__name",
        "report__pk",
        "commitment__section__position",
        "commitment__position",
        "pk",
    )
    header = [
        "Lieu",
        "Département",
        "Région",
        "Campagne",
        "Statut du bilan",
        "Engagement (clé)",
        "Engagement",
        "Niveau",
        "Pourquoi non concerné",
        "Récit",
        "Actions concrètes",
    ]
    rows = (
        [
            answer.report.place.name,
            answer.report.place.departement,
            answer.report.place.region_name,
            campaign.name,
            answer.report.get_status_display(),
            answer.commitment.key,
            answer.commitment.title,
            answer.get_level_display() if answer.level else "",
            answer.na_reason,
            answer.narrative,
            answer.actions,
        ]
        for answer in queryset.iterator(chunk_size=CHUNK)
    )
    return csv.response(f"bilans-{campaign.year}.csv", header, rows)


@staff_member_required
@require_GET
def indicators(request):
    """One row per report of the campaign, one column per indicator asked."""
    _require(request, "view_report")
    campaign = _campaign(request)
    indicators = list(campaign.indicators.order_by("position", "key", "pk"))
    queryset = (
        scope_queryset(request.user, Report.objects.filter(campaign=campaign))
        .select_related("place")
        .prefetch_related("indicator_values")
        .order_by("place__name", "pk")
    )
    header = ["Lieu", "Département", "Région", "Statut du bilan"] + [
        f"{indicator.label} ({indicator.unit})" if indicator.unit else indicator.label
        for indicator in indicators
    ]

    def row(report):
        values = {value.indicator_id: value.value for value in report.indicator_values.all()}
        return [
            report.place.name,
            report.place.departement,
            report.place.region_name,
            report.get_status_display(),
        ] + [values.get(indicator.pk, "") for indicator in indicators]

    rows = (row(report) for report in queryset.iterator(chunk_size=CHUNK))
    return csv.response(f"indicateurs-{campaign.year}.csv", header, rows)


app_name = "coordination_exports"
urlpatterns = [
    path("lieux.csv", places, name="places"),
    path("signatures.csv", signatures, name="signatures"),
    path("bilans.csv", reports, name="reports"),
    path("indicateurs.csv", indicators, name="indicators"),
]
