"""Extensions: a representative asks for a later due date, a coordinator answers."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import mail
from core.cache import invalidate_public_pages
from members import access, tallies
from members.models import Extension, Membership, Report
from members.territory import coordinators_of

from . import require_coordinator
from .reports import SENT, Phase, ReportingError, campaign_phase, effective_due_on, report_links
from .teams import representatives


@transaction.atomic
def request_extension(*, place, campaign, by, reason, today=None):
    """A representative asks for a later due date, with a reason."""
    if not access.has_role(place, by, Membership.Role.REPRESENTATIVE):
        raise ReportingError(_("Seul·e un·e représentant·e du lieu peut demander un report."))
    if place.status != place.Status.MEMBER:
        raise ReportingError(
            _("Votre lieu n’est plus membre actif du réseau : ses bilans ne peuvent plus changer.")
        )
    if not (reason or "").strip():
        raise ReportingError(_("Indiquez le motif de votre demande."))
    phase = campaign_phase(campaign, due_on=effective_due_on(campaign, place), today=today)
    if phase != Phase.OPEN:
        raise ReportingError(_("Cette campagne n’est pas ouverte : aucun report n’est possible."))
    if Report.objects.filter(place=place, campaign=campaign, status__in=SENT).exists():
        raise ReportingError(_("Votre bilan a déjà été envoyé : un report n’est plus utile."))
    if Extension.objects.filter(
        place=place, campaign=campaign, status=Extension.Status.PENDING
    ).exists():
        raise ReportingError(_("Une demande de report est déjà en attente de réponse."))
    extension = Extension.objects.create(
        place=place, campaign=campaign, reason=reason.strip(), requested_by=by
    )
    mail.send(
        coordinators_of(place),
        "extension_requested",
        {"extension": extension, **_links(extension)},
    )
    return extension


@transaction.atomic
def grant_extension(*, extension, by, due_on):
    """A coordinator grants a new due date to one place."""
    if due_on is None or due_on <= extension.campaign.due_on:
        raise ReportingError(
            _("La nouvelle date limite doit être postérieure au %(date)s.")
            % {"date": date_format(extension.campaign.due_on)}
        )
    return _decide_extension(
        extension=extension, by=by, status=Extension.Status.GRANTED, due_on=due_on
    )


@transaction.atomic
def refuse_extension(*, extension, by):
    return _decide_extension(extension=extension, by=by, status=Extension.Status.REFUSED)


def _decide_extension(*, extension, by, status, **fields):
    """Answer a pending request once (a second answer finds no pending row) and tell the place."""
    require_coordinator(by, extension.place, "change_extension", ReportingError)
    rows = Extension.objects.filter(pk=extension.pk, status=Extension.Status.PENDING).update(
        status=status, decided_by=by, decided_at=timezone.now(), **fields
    )
    if rows != 1:
        raise ReportingError(_("Cette demande de report a déjà reçu une réponse."))
    invalidate_public_pages()  # a new due date changes the public badges; update() sends no signal
    extension.refresh_from_db()
    tallies.retally(places=[extension.place])  # the dashboard's own due dates (no signal either)
    mail.send(
        representatives(extension.place),
        "extension_decided",
        {
            "extension": extension,
            "granted": extension.status == Extension.Status.GRANTED,
            **_links(extension),
        },
    )
    return extension


def _links(extension):
    return report_links(place=extension.place, year=extension.campaign.year)
