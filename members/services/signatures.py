"""Signing the charter."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charter import canonical
from charter.models import CharterVersion
from core import mail
from members import access, tallies
from members.models import Membership, Place, PlaceEvent, Signature

from . import SignatureError, place_context
from .history import record
from .teams import representatives

Status = Place.Status
Role = Membership.Role


@transaction.atomic
def sign_charter(
    *,
    place,
    version,
    by,
    signatory_name,
    signatory_title,
    board_decision_date,
    mandate_certified,
    minutes=None,
    ip_address=None,
    user_agent="",
):
    """Record ``place``'s signature of ``version`` and tell every representative."""
    locked = Place.objects.select_for_update().get(pk=place.pk)
    if locked.status != Status.MEMBER:
        raise SignatureError(
            _("Seul un lieu membre du réseau peut signer la charte (statut actuel : %(s)s).")
            % {"s": Status(locked.status).label}
        )
    membership = locked.memberships.filter(user=by).first()
    if membership is None or not access.role_at_least(membership.role, Role.REPRESENTATIVE):
        raise SignatureError(_("Seul·e un·e représentant·e du lieu peut signer la charte."))
    if version is None or version.status != CharterVersion.Status.PUBLISHED:
        raise SignatureError(_("Cette version de la charte n’est pas celle en vigueur."))
    if Signature.objects.filter(place=locked, version=version).exists():
        raise SignatureError(
            _("Votre lieu a déjà signé la version %(n)s de la charte.") % {"n": version.number}
        )
    if board_decision_date > timezone.localdate():
        raise SignatureError(_("La date de la décision du conseil ne peut pas être dans le futur."))
    if not mandate_certified:
        raise SignatureError(_("Certifiez le mandat reçu de votre instance dirigeante."))
    # The fingerprint of what was shown and signed, recomputed from the stored text.
    fingerprint = canonical.fingerprint(canonical.version_content(version))
    if version.fingerprint and fingerprint != version.fingerprint:
        raise SignatureError(
            _(
                "Le texte de la charte ne correspond pas à son empreinte publiée : signature refusée."
            )
        )
    signature = Signature(
        place=locked,
        version=version,
        fingerprint=fingerprint,
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
        board_decision_date=board_decision_date,
        mandate_certified=True,
        signed_by=by,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
    )
    if minutes:
        signature.minutes = minutes
    signature.save()
    tallies.retally(places=[locked])
    # The signatory's name and title are public (the directory shows them with the signature).
    record(
        place=locked,
        code=PlaceEvent.Code.CHARTER_SIGNED,
        by=by,
        at=signature.signed_at,
        version=version.number,
        signatory=signature.signatory_name,
        title=signature.signatory_title,
    )
    context = {
        **place_context(place),
        "signature": signature,
        "version": version,
        "certificate_url": mail.absolute_url(
            reverse("members:certificate", args=[place.slug, signature.pk])
        ),
        "verify_url": mail.absolute_url(
            reverse("members:verify", args=[signature.verification_code])
        ),
    }
    mail.send(representatives(place), "charter_signed", context)
    return signature
