"""Signatures of the charter: immutable records, and the policy that says which are valid."""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import user_link
from core.storage import private_storage

from .links import place_link, version_link

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type


def verification_code():
    """Unguessable yet short enough to type: 12 characters from an unambiguous alphabet."""
    raw = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


NEVER_SIGNED = "none"  # PlaceQuerySet.with_signature_state() of a place that never signed


class SignaturePolicy:
    """Which signatures are valid now, derived from the published charter versions' dates.

    A version that ``requires_resigning`` obliges signatories of older versions to sign again
    within its grace period: until then their signature *awaits re-signing*, afterwards it has
    *lapsed*. No cron job: everything follows from the dates.
    """

    def __init__(self, now=None):
        from charter.models import CharterVersion

        self.now = now or timezone.now()
        self.current = None
        self.lapsed_below = 0  # signatures of versions numbered below this have lapsed
        self.awaiting_below = 0  # … below this (and not lapsed) must be signed again
        self.deadline = None  # … before this moment
        self.resign_version = None
        versions = list(CharterVersion.objects.public().order_by("number"))
        for version in versions:
            if version.status == CharterVersion.Status.PUBLISHED:
                self.current = version
            if not version.requires_resigning:
                continue
            deadline = version.published_at + timedelta(days=version.grace_period_days)
            if deadline <= self.now:
                self.lapsed_below = version.number
            else:
                self.awaiting_below = version.number
                self.resign_version = version
                self.deadline = deadline if self.deadline is None else min(self.deadline, deadline)
        # Versions whose signatures are in force or awaiting re-signing (not lapsed).
        self.valid_version_ids = [v.pk for v in versions if v.number >= self.lapsed_below]

    def state_expression(self, number, superseded=None):
        """The rule of ``state`` as SQL: a CASE on ``number``, the lookup of a signature's
        version number (and ``superseded``, a condition, when a newer signature exists)."""
        whens = (
            []
            if superseded is None
            else [models.When(superseded, then=models.Value(Signature.State.SUPERSEDED))]
        )
        whens += [
            models.When(
                **{f"{number}__lt": self.lapsed_below}, then=models.Value(Signature.State.LAPSED)
            ),
            models.When(
                **{f"{number}__lt": self.awaiting_below},
                then=models.Value(Signature.State.AWAITING),
            ),
        ]
        return models.Case(
            *whens, default=models.Value(Signature.State.CURRENT), output_field=models.CharField()
        )

    def state(self, signature, has_newer=False):
        if has_newer:
            return Signature.State.SUPERSEDED
        return self.state_of_number(signature.version.number)

    def state_of_number(self, number):
        """The state of the latest signature of a place, from its version's number."""
        if number < self.lapsed_below:
            return Signature.State.LAPSED
        if number < self.awaiting_below:
            return Signature.State.AWAITING
        return Signature.State.CURRENT


class SignatureImmutableError(Exception):
    """A signature is a record of what was signed: it is never changed nor deleted."""


class SignatureQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SignatureImmutableError("Signatures are immutable: update() is refused.")

    def delete(self):
        raise SignatureImmutableError("Signatures are immutable: delete() is refused.")

    def erase_connection_data(self):
        """Erase the IP address and browser recorded at signing (personal data), and nothing
        else: the one write a stored signature allows. Returns the number of rows erased."""
        pending = self.exclude(ip_address=None, user_agent="")
        return models.QuerySet.update(pending, ip_address=None, user_agent="")

    def with_state(self, policy=None):
        """Annotate ``signature_state`` (a Signature.State): current, awaiting re-signing, lapsed, or
        superseded by a newer signature of the same place. The one rule, in SQL."""
        policy = policy or SignaturePolicy()
        newer = Signature.objects.filter(
            place=models.OuterRef("place"), version__number__gt=models.OuterRef("version__number")
        )
        return self.annotate(
            signature_state=policy.state_expression(
                "version__number", superseded=models.Exists(newer)
            )
        )

    def valid(self, policy=None):
        """Signatures in force or awaiting re-signing (not lapsed); superseded ones included."""
        policy = policy or SignaturePolicy()
        return self.filter(version_id__in=policy.valid_version_ids)  # no join on versions


def minutes_path(instance, filename):
    return f"signatures/minutes/{secrets.token_hex(12)}.pdf"


class Signature(models.Model):
    """A place's adherence to one charter version. Immutable once created."""

    class State(models.TextChoices):
        CURRENT = "current", _("En vigueur")
        AWAITING = "awaiting", _("À signer à nouveau")
        LAPSED = "lapsed", _("Caduque")
        SUPERSEDED = "superseded", _("Remplacée par une signature plus récente")

    place = place_link("signatures", on_delete=models.PROTECT)
    version = version_link("signatures")
    fingerprint = models.CharField(_("empreinte de la version signée"), max_length=64)
    signatory_name = models.CharField(_("nom du ou de la signataire"), max_length=200)
    signatory_title = models.CharField(_("qualité du ou de la signataire"), max_length=120)
    board_decision_date = models.DateField(_("date de la décision du conseil"))
    mandate_certified = models.BooleanField(_("mandat certifié"), default=False)
    minutes = models.FileField(
        _("procès-verbal"), upload_to=minutes_path, storage=private_storage, blank=True
    )
    signed_by = user_link(_("signé par"), related_name="signatures")
    signed_at = models.DateTimeField(_("signé le"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    verification_code = models.CharField(
        _("code de vérification"), max_length=14, unique=True, default=verification_code
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "version"], name="members_signature_once"),
            models.CheckConstraint(
                condition=models.Q(mandate_certified=True), name="members_signature_mandate"
            ),
        ]
        indexes = [
            # ORDER BY signed_at DESC, id DESC LIMIT n: the admin signature list (Meta.ordering)
            # and the home page's latest signatories (members.views.directory.home).
            models.Index(fields=["signed_at", "id"], name="signature_signed_idx"),
        ]

    def __str__(self):
        return f"{self.place} – v{self.version.number if self.version_id else '?'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignatureImmutableError("Signatures are immutable: save() on a stored row.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignatureImmutableError("Signatures are immutable: delete() is refused.")

    def has_newer(self):
        return Signature.objects.filter(
            place_id=self.place_id, version__number__gt=self.version.number
        ).exists()

    def state(self, policy=None):
        """Current, awaiting re-signing, lapsed, or superseded by a newer signature."""
        return (policy or SignaturePolicy()).state(self, has_newer=self.has_newer())

    @property
    def is_valid(self):
        return self.state() in (self.State.CURRENT, self.State.AWAITING)
