"""The network's charter, kept as versioned records.

A version is drafted, published (at most one at a time), then superseded by the next one.
Once published, a version and its sections and commitments never change.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translated(obj, field):
    """The English counterpart of ``field`` on English pages, falling back to French."""
    if (get_language() or "fr").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, field)


class CharterVersionQuerySet(models.QuerySet):
    def public(self):
        """Versions the public may read: published and superseded ones."""
        return self.exclude(status=CharterVersion.Status.DRAFT)

    def current(self):
        """The published version, or None."""
        return self.filter(status=CharterVersion.Status.PUBLISHED).first()


class CharterVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        SUPERSEDED = "superseded", _("Remplacée")

    number = models.PositiveIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    preamble = models.TextField(_("préambule"), blank=True)
    preamble_en = models.TextField(_("préambule (anglais)"), blank=True)
    change_summary = models.TextField(_("résumé des changements"), blank=True)
    change_summary_en = models.TextField(_("résumé des changements (anglais)"), blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    requires_resigning = models.BooleanField(
        _("nouvelle signature requise"),
        default=False,
        help_text=_("Changement substantiel : chaque lieu signataire doit signer à nouveau."),
    )
    grace_period_days = models.PositiveIntegerField(
        _("délai pour signer à nouveau (jours)"), default=180
    )
    fingerprint = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(_("remplacée le"), null=True, blank=True)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="charter_one_published_version",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(published_at__isnull=False) & ~models.Q(fingerprint="")),
                name="charter_published_has_date_and_fingerprint",
            ),
        ]

    def __str__(self):
        return f"v{self.number} – {self.title}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def t_title(self):
        return translated(self, "title")

    def t_preamble(self):
        return translated(self, "preamble")

    def t_change_summary(self):
        return translated(self, "change_summary")


class Section(models.Model):
    class Kind(models.TextChoices):
        VALUES = "values", _("Valeurs")
        PRINCIPLES = "principles", _("Principes d’intérêt général")
        AMBITIONS = "ambitions", _("Ambitions")
        OTHER = "other", _("Autre")

    version = models.ForeignKey(
        CharterVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (anglais)"), blank=True)

    class Meta:
        verbose_name = _("partie")
        verbose_name_plural = _("parties")
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return self.title

    def t_title(self):
        return translated(self, "title")

    def t_intro(self):
        return translated(self, "intro")


class Commitment(models.Model):
    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("partie"), on_delete=models.CASCADE, related_name="commitments"
    )
    key = models.SlugField(
        _("clé"),
        max_length=80,
        help_text=_("Identifiant stable d’une version à l’autre, pour comparer les bilans."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("titre"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    text = models.TextField(_("texte"))
    text_en = models.TextField(_("texte (anglais)"), blank=True)
    guidance = models.TextField(_("conseils pour le bilan"), blank=True)
    guidance_en = models.TextField(_("conseils pour le bilan (anglais)"), blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["version", "section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], name="charter_commitment_key_unique"
            ),
        ]

    def __str__(self):
        return self.title

    def t_title(self):
        return translated(self, "title")

    def t_text(self):
        return translated(self, "text")

    def t_guidance(self):
        return translated(self, "guidance")
