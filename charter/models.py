"""The network's charter, kept as versioned records.

A version is drafted, published (at most one at a time), then superseded by the next one.
Once published, a version and its sections and commitments never change.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import translated


class ImmutableVersionError(Exception):
    """A published or superseded version, or one of its parts, was about to change."""

    def __init__(self, message=None):
        self.message = message or _(
            "Une version publiée ou remplacée de la charte ne peut plus être modifiée ni "
            "supprimée : créez un nouveau brouillon à partir de cette version."
        )
        super().__init__(str(self.message))


FROZEN_STATUSES = ("published", "superseded")  # CharterVersion.Status other than DRAFT


class CharterVersionQuerySet(models.QuerySet):
    """Reads, plus guards that keep non-draft versions out of bulk writes.

    The database refuses the same writes through triggers (migration 0004); these guards give
    a clear Python error before the query is even sent.
    """

    def _refuse_if_frozen(self):
        if self.filter(status__in=FROZEN_STATUSES).exists():
            raise ImmutableVersionError()

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()

    delete.alters_data = True

    def mark_superseded(self, *, at):
        """The one change a published version accepts: it becomes superseded.

        Only ``charter.services.publish_version`` calls it. Returns the number of rows changed.
        """
        return super(CharterVersionQuerySet, self.filter(status="published")).update(
            status="superseded", superseded_at=at
        )

    mark_superseded.alters_data = True

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

    def save(self, *args, **kwargs):
        # A draft may be saved with its new status "published" (publish_version does it);
        # a row already published or superseded may not be saved again.
        if self.stored_is_frozen():
            raise ImmutableVersionError()
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        if self.stored_is_frozen():
            raise ImmutableVersionError()
        return super().delete(*args, **kwargs)

    delete.alters_data = True

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def stored_is_frozen(self):
        """Whether the row in the database is published or superseded (one query)."""
        if self.pk is None:
            return False
        return (
            type(self)._base_manager.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists()
        )

    def t_title(self):
        return translated(self, "title")

    def t_preamble(self):
        return translated(self, "preamble")

    def t_change_summary(self):
        return translated(self, "change_summary")


class VersionPartQuerySet(models.QuerySet):
    """Sections and commitments: no bulk write may touch a non-draft version."""

    def _refuse_if_frozen(self, target_version=None):
        if self.filter(version__status__in=FROZEN_STATUSES).exists():
            raise ImmutableVersionError()
        if target_version is not None:
            pk = getattr(target_version, "pk", target_version)
            if CharterVersion._base_manager.filter(pk=pk, status__in=FROZEN_STATUSES).exists():
                raise ImmutableVersionError()

    def update(self, **kwargs):
        self._refuse_if_frozen(kwargs.get("version", kwargs.get("version_id")))
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if CharterVersion._base_manager.filter(
            pk__in=version_ids, status__in=FROZEN_STATUSES
        ).exists():
            raise ImmutableVersionError()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True


class VersionPart(models.Model):
    """A section or commitment: writable only while its version is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.touches_frozen_version():
            raise ImmutableVersionError()
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        if self.touches_frozen_version():
            raise ImmutableVersionError()
        return super().delete(*args, **kwargs)

    delete.alters_data = True

    def touches_frozen_version(self):
        """Whether the stored row or the row being written belongs to a non-draft version."""
        version_ids = {self.version_id}
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("version_id")
            version_ids.update(row[0] for row in stored)
        return CharterVersion._base_manager.filter(
            pk__in=version_ids, status__in=FROZEN_STATUSES
        ).exists()


class Section(VersionPart):
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

    objects = VersionPartQuerySet.as_manager()

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


class Commitment(VersionPart):
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

    objects = VersionPartQuerySet.as_manager()

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
