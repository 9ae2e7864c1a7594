"""Peer review: a place invites another member place to read one report and comment on it."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import user_link

from .links import peer_link, report_link

PEER_REVIEW_DAYS = 30


def default_expiry():
    return timezone.now() + timedelta(days=PEER_REVIEW_DAYS)


class PeerInvitationQuerySet(models.QuerySet):
    def active(self, now=None):
        """Accepted, not revoked, not expired: the peer may read and comment."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=False, revoked_at__isnull=True, expires_at__gt=now)


class PeerInvitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACTIVE = "active", _("En cours")
        EXPIRED = "expired", _("Terminée")
        REVOKED = "revoked", _("Annulée")

    report = report_link("peer_invitations", on_delete=models.PROTECT)
    peer = peer_link("peer_invitations_received")
    message = models.TextField(_("message au lieu pair"), blank=True)
    days = models.PositiveSmallIntegerField(
        _("durée (jours)"),
        default=PEER_REVIEW_DAYS,
        help_text=_("Combien de temps le lieu pair peut lire le bilan, à partir de son accord."),
    )
    invited_by = user_link(_("invité par"))
    invited_at = models.DateTimeField(_("invité le"), default=timezone.now)
    expires_at = models.DateTimeField(_("jusqu’au"), default=default_expiry)
    accepted_by = user_link(_("accepté par"))
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    revoked_by = user_link(_("annulé par"))
    revoked_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    objects = PeerInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("regard de pair")
        verbose_name_plural = _("regards de pairs")
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days__gte=1, days__lte=90), name="members_peer_days_range"
            ),
        ]
        indexes = [
            # The peer's list of invitations received.
            models.Index(fields=["peer", "-invited_at"], name="peer_invitation_peer_idx"),
        ]

    def __str__(self):
        return f"{self.report} → {self.peer}"

    def state(self, now=None):
        now = now or timezone.now()
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        if self.accepted_at:
            return self.State.ACTIVE
        return self.State.PENDING
