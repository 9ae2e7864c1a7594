"""Coordination: territorial scopes of coordinators, and the log of reminders sent."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import owner_link, user_link
from members import geography

from .links import campaign_link, place_link, version_link
from .teams import Invitation


def validate_region_codes(value):

    unknown = [code for code in value or [] if code not in geography.REGIONS]
    if not isinstance(value, list) or unknown:
        raise ValidationError(_("Codes de région inconnus : %(codes)s"), params={"codes": unknown})


def validate_departement_codes(value):

    unknown = [code for code in value or [] if code not in geography.DEPARTEMENTS]
    if not isinstance(value, list) or unknown:
        raise ValidationError(
            _("Codes de département inconnus : %(codes)s"), params={"codes": unknown}
        )


class CoordinatorScope(models.Model):
    """The territory of a territorial coordinator: places whose région OR département is listed.

    National coordinators (superusers, group "Coordination nationale") need no scope; other
    staff users without a scope see no place at all.
    """

    user = owner_link(_("coordinateur·rice"), "coordinator_scope", field=models.OneToOneField)
    regions = models.JSONField(
        _("régions"), default=list, blank=True, validators=[validate_region_codes]
    )
    departements = models.JSONField(
        _("départements"), default=list, blank=True, validators=[validate_departement_codes]
    )

    class Meta:
        verbose_name = _("territoire de coordination")
        verbose_name_plural = _("territoires de coordination")
        ordering = ["user__email", "pk"]

    def __str__(self):
        names = [geography.region_name(c) for c in self.regions] + [
            f"{c} – {geography.departement_name(c)}" for c in self.departements
        ]
        return f"{self.user} : {', '.join(names) or '∅'}"


class ReminderLog(models.Model):
    """One reminder sent about a place: what, when, to whom, by whom (empty: automatic)."""

    class Kind(models.TextChoices):
        CAMPAIGN_OPEN = "campaign_open", _("Ouverture de la campagne de bilans")
        DUE_IN_30 = "due_in_30", _("Bilan attendu dans 30 jours")
        DUE_IN_7 = "due_in_7", _("Bilan attendu dans 7 jours")
        LATE = "late", _("Bilan en retard")
        NON_COMMUNICATING_IN_15 = (
            "non_communicating_in_15",
            _("Non communicant dans 15 jours"),
        )
        RESIGN_REQUIRED = "resign_required", _("Nouvelle version de la charte à signer")
        RESIGN_IN_30 = "resign_in_30", _("Fin du délai de nouvelle signature dans 30 jours")
        INVITATION_PENDING = "invitation_pending", _("Invitation pas encore acceptée")

    # PROTECT everywhere: a logged reminder is never deleted (members/triggers.py), nor is
    # what it was about.
    place = place_link("reminders", on_delete=models.PROTECT)
    kind = models.CharField(_("rappel"), max_length=30, choices=Kind.choices)
    campaign = campaign_link("reminders", on_delete=models.PROTECT, optional=True)
    version = version_link("reminders", optional=True)
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    sent_on = models.DateField(_("envoyé le"))
    recipients = models.TextField(_("destinataires"), blank=True)
    is_automatic = models.BooleanField(_("automatique"), default=True)
    sent_by = user_link(_("envoyé par"))
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An automatic reminder goes out once per place and subject (campaign, version or
            # invitation), however often send_reminders runs. NULLs coalesced to 0 so that they
            # compare equal. Manual reminders may be repeated.
            models.UniqueConstraint(
                models.F("place"),
                models.F("kind"),
                Coalesce("campaign", models.Value(0)),
                Coalesce("version", models.Value(0)),
                Coalesce("invitation", models.Value(0)),
                condition=models.Q(is_automatic=True),
                name="members_reminder_automatic_once",
            ),
        ]
        indexes = [
            # Admin list and a place's reminder history, newest first.
            models.Index(fields=["place", "-created_at"], name="reminder_place_idx"),
        ]

    def __str__(self):
        return f"{self.place} – {self.get_kind_display()} ({self.sent_on})"
