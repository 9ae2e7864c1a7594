"""A place's team: memberships with a role, and invitations by e-mail."""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import owner_link, user_link

from .links import place_link


class Membership(models.Model):
    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Représentant·e")
        EDITOR = "editor", _("Rédacteur·rice")
        VIEWER = "viewer", _("Lecteur·rice")

    user = owner_link(_("utilisateur"), "memberships")
    place = place_link("memberships")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("membre de l’équipe")
        verbose_name_plural = _("membres de l’équipe")
        ordering = ["place", "user__email", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="members_membership_unique"),
        ]
        indexes = [
            # Admin membership list: ORDER BY created_at DESC, id DESC LIMIT 100
            # (MembershipAdmin), instead of sorting every membership by place and e-mail.
            models.Index(fields=["created_at", "id"], name="membership_created_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.place} ({self.get_role_display()})"


def invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    VALIDITY = timedelta(days=14)

    place = place_link("invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=16, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = user_link(_("invité par"), blank=False)
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = user_link(_("acceptée par"))
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.place}"

    @property
    def is_pending(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
