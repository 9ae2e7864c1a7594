"""A place's history: every event of its life, one append-only row each.

An event is stored as a code and its parameters (never as a sentence), so that each reader
sees it in their own language: ``PlaceEvent.describe()`` renders it at reading time. Services
record events with ``members.services.history.record``; nothing else writes this table, and
the database refuses to update or delete a row (``members/triggers.py``).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import user_link

from .links import place_link


class Event(models.Model):
    """A row of a history that only grows: who did it (empty: nobody, or an account since
    deleted) and when, newest first. Place events and status changes are events."""

    by = user_link(_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]


class PlaceEvent(Event):
    class Code(models.TextChoices):
        # Codes are kept without ``choices=`` on the column: adding one needs no migration.
        PLACE_STATUS = "place_status", _("changement de statut du lieu")
        PROFILE_EDITED = "profile_edited", _("fiche modifiée")
        MEMBER_INVITED = "member_invited", _("invitation envoyée")
        INVITATION_ACCEPTED = "invitation_accepted", _("invitation acceptée")
        INVITATION_REVOKED = "invitation_revoked", _("invitation annulée")
        ROLE_CHANGED = "role_changed", _("rôle modifié")
        MEMBER_LEFT = "member_left", _("départ d’un membre")
        MEMBER_REMOVED = "member_removed", _("membre retiré")
        MEMBER_ADDED = "member_added", _("membre ajouté par la coordination")
        CHARTER_SIGNED = "charter_signed", _("charte signée")
        REPORT_STATUS = "report_status", _("changement de statut d’un bilan")
        COORDINATOR_COMMENT = "coordinator_comment", _("commentaire de la coordination")
        ASSIGNMENT_CHANGED = "assignment_changed", _("engagement confié")
        ASSIGNMENTS_FREED = "assignments_freed", _("engagements libérés")
        PEER_INVITED = "peer_invited", _("regard de pair demandé")
        PEER_ACCEPTED = "peer_accepted", _("regard de pair accepté")
        PEER_REVOKED = "peer_revoked", _("regard de pair annulé")

    # PROTECT: events are never deleted (members/triggers.py), nor is their place.
    place = place_link("events", on_delete=models.PROTECT)
    code = models.CharField(_("événement"), max_length=40)
    params = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("événement")
        verbose_name_plural = _("historique")
        indexes = [
            # A place's history page, newest first.
            models.Index(fields=["place", "-at", "-id"], name="members_event_place_at"),
        ]

    def __str__(self):
        return f"{self.place_id} · {self.code} · {self.at:%Y-%m-%d %H:%M}"

    def describe(self):
        """The event as a sentence in the active language (members/history.py)."""
        from members.history import describe

        return describe(self)
