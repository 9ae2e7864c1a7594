"""The network's charter, kept as versioned records.

A version is drafted, published (at most one at a time), then superseded by the next one.
Once published, a version and its sections and commitments never change, nor do the canonical
texts its fingerprints were computed from.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import user_link
from core.i18n import translation_of


class ImmutableVersionError(Exception):
    """A published or superseded version, or one of its parts, was about to change."""

    def __init__(self, message=None):
        self.message = message or _(
            "Une version publiée ou remplacée de la charte ne peut plus être modifiée ni "
            "supprimée : créez un nouveau brouillon à partir de cette version."
        )
        super().__init__(str(self.message))


FROZEN_STATUSES = ("published", "superseded")  # CharterVersion.Status other than DRAFT


class FrozenGuardQuerySet(models.QuerySet):
    """Guards that keep non-draft versions out of bulk writes, on versions (``version_path``
    empty) or on their parts (``"version__"``).

    The database refuses the same writes through triggers (migration 0004); these guards give
    a clear Python error before the query is even sent.
    """

    version_path = ""

    def _refuse_if_frozen(self, target_version=None):
        if self.filter(**{f"{self.version_path}status__in": FROZEN_STATUSES}).exists():
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


def content():
    """The prefetch of a version's content: its sections in reading order, each with its
    commitments in order (``CharterVersionQuerySet.with_content``, or
    ``prefetch_related_objects`` on versions already read)."""
    return models.Prefetch(
        "sections",
        queryset=Section.objects.order_by("position", "pk").prefetch_related(
            models.Prefetch("commitments", queryset=Commitment.objects.order_by("position", "pk"))
        ),
    )


class CharterVersionQuerySet(FrozenGuardQuerySet):
    """Reads, plus the guards against bulk writes to non-draft versions."""

    def mark_superseded(self, *, at):
        """The one change a published version accepts: it becomes superseded.

        Only ``charter.services.publish_version`` calls it. Returns the number of rows changed.
        """
        return models.QuerySet.update(
            self.filter(status="published"), status="superseded", superseded_at=at
        )

    mark_superseded.alters_data = True

    def public(self):
        """Versions the public may read: published and superseded ones."""
        return self.exclude(status=CharterVersion.Status.DRAFT)

    def current(self):
        """The published version, or None."""
        return self.filter(status=CharterVersion.Status.PUBLISHED).first()

    def with_content(self):
        """Each version's sections in reading order, each with its commitments in order
        (two extra queries, whatever the number of versions): what the text templates read."""
        return self.prefetch_related(content())


class FrozenGuard(models.Model):
    """A version or one of its parts: ``save()`` and ``delete()`` refuse a row that
    ``touches_frozen_version()``, as ``FrozenGuardQuerySet`` refuses bulk writes."""

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


AUTHORITATIVE_HELP = _("Texte faisant foi, mot pour mot.")
AID_HELP = _("Aide à la lecture, hors empreinte.")
TRANSLATION_HELP = _("Aide à la lecture : traduction non contractuelle, hors empreinte.")


class CharterVersion(FrozenGuard):
    """One version of the charter.

    Its *authoritative text* is what the network's boards vote on and places sign, in French,
    word for word: ``title``, ``preamble``, and each section's heading, intro and bullets
    (``Section``), plus the passages its commitments quote (``Commitment.text``). Only that
    text is fingerprinted (charter/canonical.py). Everything else is an *aid*: short titles,
    reporting guidance and the English translation (the ``*_en`` fields), versioned with the
    text but outside the fingerprint and shown as such.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        SUPERSEDED = "superseded", _("Remplacée")

    number = models.PositiveIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("titre"), max_length=200, help_text=AUTHORITATIVE_HELP)
    title_en = models.CharField(
        _("titre (traduction anglaise)"), max_length=200, blank=True, help_text=TRANSLATION_HELP
    )
    preamble = models.TextField(_("préambule"), blank=True, help_text=AUTHORITATIVE_HELP)
    preamble_en = models.TextField(
        _("préambule (traduction anglaise)"), blank=True, help_text=TRANSLATION_HELP
    )
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
    published_by = user_link(_("publiée par"))
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

    def get_absolute_url(self):
        """``/charte/versions/<n>/``: the text, its fingerprint and how to check it."""
        return reverse("charter:version", args=[self.number])

    def get_canonical_url(self):
        """``/charte/versions/<n>/canonical.json``: the exact bytes of ``fingerprint``."""
        return reverse("charter:canonical", args=[self.number])

    def get_diff_url(self, since):
        """``/charte/versions/<since>/diff/<self>/``: what changed from ``since`` (a version
        or a version number) to this version, e.g. in the e-mail asking to sign again."""
        return diff_url(since, self)

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def touches_frozen_version(self):
        """Whether the row in the database is published or superseded (one query): a draft
        may be saved with its new status "published" (publish_version does it), a row already
        published or superseded may not be saved again."""
        if self.pk is None:
            return False
        return (
            type(self)._base_manager.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists()
        )

    t_title = translation_of("title")
    t_preamble = translation_of("preamble")
    t_change_summary = translation_of("change_summary")


def diff_url(old, new):
    """The public diff page from ``old`` to ``new`` (versions or version numbers)."""
    numbers = [getattr(v, "number", v) for v in (old, new)]
    return reverse("charter:diff", args=numbers)


class VersionPartQuerySet(FrozenGuardQuerySet):
    """Sections and commitments: no bulk write may touch a non-draft version."""

    version_path = "version__"

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if CharterVersion._base_manager.filter(
            pk__in=version_ids, status__in=FROZEN_STATUSES
        ).exists():
            raise ImmutableVersionError()
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True


class VersionPart(FrozenGuard):
    """A section or commitment: writable only while its version is a draft."""

    class Meta:
        abstract = True

    def touches_frozen_version(self):
        """Whether the stored row or the row being written belongs to a non-draft version."""
        version_ids = {self.version_id}
        if self.pk is not None:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("version_id")
            version_ids.update(row[0] for row in stored)
        return CharterVersion._base_manager.filter(
            pk__in=version_ids, status__in=FROZEN_STATUSES
        ).exists()


def optional_text(field, verbose_name, help_text, **options):
    """A part of a section's text the section may lack (a heading, bullets), or its
    translation: empty by default, in Python and in the database (migration 0005 added them
    to existing sections)."""
    return field(
        verbose_name, blank=True, default="", db_default="", help_text=help_text, **options
    )


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lines_of(text):
    """The non-blank lines of ``text``, without surrounding spaces (one bullet per line)."""
    return [line.strip() for line in LINE_BREAK.split(text or "") if line.strip()]


class Section(VersionPart):
    """A part of a version's text: an optional heading, an intro, then bullets.

    Version 1 has three: the values (heading, "Les LCP défendent", six bullets), the
    general-interest paragraph (no heading, the whole paragraph as intro, no bullet) and the
    ambitions. ``title`` is a short title for navigation and reports, an aid.
    """

    class Kind(models.TextChoices):
        VALUES = "values", _("Valeurs")
        PRINCIPLES = "principles", _("Principes d’intérêt général")
        AMBITIONS = "ambitions", _("Ambitions")
        OTHER = "other", _("Autre")

    # Values and general-interest principles are conditions of membership: a place may never
    # declare them "not applicable". Only an ambition may be (with a reason).
    KINDS_ALLOWING_NOT_APPLICABLE = frozenset({Kind.AMBITIONS})

    version = models.ForeignKey(
        CharterVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("nature"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    # The authoritative text.
    heading = optional_text(
        models.CharField,
        _("intitulé"),
        _("Texte faisant foi, mot pour mot ; vide si le texte n’en a pas."),
        max_length=200,
    )
    intro = models.TextField(_("introduction"), blank=True, help_text=AUTHORITATIVE_HELP)
    bullets = optional_text(
        models.TextField,
        _("puces"),
        _("Texte faisant foi, mot pour mot : une puce par ligne."),
    )
    # Aids.
    title = models.CharField(
        _("titre court"),
        max_length=200,
        help_text=_("Aide à la lecture, hors empreinte : pour la navigation et les bilans."),
    )
    title_en = models.CharField(
        _("titre court (anglais)"), max_length=200, blank=True, help_text=TRANSLATION_HELP
    )
    heading_en = optional_text(
        models.CharField, _("intitulé (traduction anglaise)"), TRANSLATION_HELP, max_length=200
    )
    intro_en = models.TextField(
        _("introduction (traduction anglaise)"), blank=True, help_text=TRANSLATION_HELP
    )
    bullets_en = optional_text(
        models.TextField,
        _("puces (traduction anglaise)"),
        _(
            "Aide à la lecture : traduction non contractuelle, hors empreinte ; une puce par "
            "ligne, dans le même ordre."
        ),
    )

    objects = VersionPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("partie")
        verbose_name_plural = _("parties")
        ordering = ["version", "position", "pk"]

    def __str__(self):
        return self.title or self.heading or self.get_kind_display()

    def clean(self):
        self.bullets = "\n".join(lines_of(self.bullets))
        self.bullets_en = "\n".join(lines_of(self.bullets_en))
        french, english = lines_of(self.bullets), lines_of(self.bullets_en)
        if english and len(english) != len(french):
            raise ValidationError(
                {
                    "bullets_en": _(
                        "La traduction compte %(en)s puces et le texte %(fr)s : une ligne "
                        "traduite par puce, dans le même ordre."
                    )
                    % {"en": len(english), "fr": len(french)}
                }
            )

    @property
    def bullet_list(self):
        """The bullets of the authoritative text, in order."""
        return lines_of(self.bullets)

    def translation(self):
        """The English translation, part by part, each ``None`` where it is missing:
        ``(heading_en, intro_en, [(bullet, bullet_en), …])``."""
        english = lines_of(self.bullets_en)
        if len(english) != len(self.bullet_list):
            english = []
        pairs = [
            (bullet, english[i] if english else None) for i, bullet in enumerate(self.bullet_list)
        ]
        return self.heading_en or None, self.intro_en or None, pairs

    def text_parts(self):
        """The parts of the authoritative text a commitment may quote: intro, then bullets."""
        return [part for part in (self.intro, *self.bullet_list) if part]

    def quotes(self, passage):
        """Whether ``passage`` occurs, character for character, in one part of the text."""
        return bool(passage) and any(passage in part for part in self.text_parts())

    @property
    def allows_not_applicable(self):
        return self.kind in self.KINDS_ALLOWING_NOT_APPLICABLE

    t_title = translation_of("title")
    t_heading = translation_of("heading")
    t_intro = translation_of("intro")


class CommitmentQuerySet(VersionPartQuerySet):
    def allowing_not_applicable(self):
        """Commitments a place may declare not applicable (with a reason): the ambitions."""
        return self.filter(section__kind__in=Section.KINDS_ALLOWING_NOT_APPLICABLE)

    def conditions_of_membership(self):
        """Commitments a place may never declare not applicable: values and principles."""
        return self.exclude(section__kind__in=Section.KINDS_ALLOWING_NOT_APPLICABLE)


class Commitment(VersionPart):
    """One thing a place commits to and reports on, pointing into its section's text.

    ``text`` is the passage of the authoritative text it comes from, quoted character for
    character (a whole bullet, or part of the general-interest paragraph); it is fingerprinted
    with the text. ``key`` is stable across versions, so that reports of different years
    compare. Short title, reporting guidance and translations are aids.
    """

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
    text = models.TextField(
        _("passage cité"),
        help_text=_(
            "Le passage du texte de la partie dont l’engagement est tiré, caractère pour "
            "caractère : il fait partie du texte signé."
        ),
    )
    title = models.CharField(_("titre court"), max_length=200, help_text=AID_HELP)
    title_en = models.CharField(
        _("titre court (anglais)"), max_length=200, blank=True, help_text=TRANSLATION_HELP
    )
    text_en = models.TextField(
        _("passage cité (traduction anglaise)"), blank=True, help_text=TRANSLATION_HELP
    )
    guidance = models.TextField(_("questions pour le bilan"), blank=True, help_text=AID_HELP)
    guidance_en = models.TextField(
        _("questions pour le bilan (anglais)"), blank=True, help_text=AID_HELP
    )

    objects = CommitmentQuerySet.as_manager()

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

    @property
    def allows_not_applicable(self):
        """Whether a place may answer "not applicable" (with a reason): ambitions only.

        Reads ``section``: fetch it with ``select_related("section")`` in lists.
        """
        return self.section.allows_not_applicable

    def quote_found(self):
        """Whether ``text`` occurs verbatim in its section's text."""
        return self.section.quotes(self.text)

    t_title = translation_of("title")
    t_text = translation_of("text")
    t_guidance = translation_of("guidance")


# --- What was hashed ----------------------------------------------------------------------


class CanonicalTextQuerySet(models.QuerySet):
    def for_signature(self, *, version, fingerprint):
        """The text a signature of ``version`` (a version or its id) carrying ``fingerprint``
        was made on, with its version; None if that version never had this fingerprint.

        ``is_current`` tells whether it is the version's text as shown today, or an earlier
        form (``replaced_at``, ``t_replaced_because()``); ``get_absolute_url()`` serves its
        bytes for anyone to re-hash. One query.
        """
        version_id = getattr(version, "pk", version)
        return (
            self.filter(version_id=version_id, fingerprint=fingerprint)
            .select_related("version")
            .first()
        )

    def update(self, **kwargs):
        raise ImmutableVersionError(CanonicalText.IMMUTABLE)

    update.alters_data = True

    def delete(self):
        raise ImmutableVersionError(CanonicalText.IMMUTABLE)

    delete.alters_data = True


class CanonicalText(models.Model):
    """The exact bytes a version's fingerprint was computed from: anyone may re-hash them.

    One row per fingerprint, written when the version is published and never changed (the
    database refuses it too). A version has an earlier row when its canonical text was
    corrected after publication (version 1, restored word for word by migration 0006):
    signatures keep the fingerprint they were made with, and that row still serves their bytes.
    """

    IMMUTABLE = _("Un texte canonique enregistré ne change jamais et n’est jamais supprimé.")

    version = models.ForeignKey(
        CharterVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="canonical_texts",
    )
    fingerprint = models.CharField(_("empreinte SHA-256"), max_length=64, unique=True)
    content = models.TextField(_("contenu haché (JSON canonique, UTF-8)"))
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)
    replaced_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    replaced_because = models.TextField(_("raison du remplacement"), blank=True)
    replaced_because_en = models.TextField(_("raison du remplacement (anglais)"), blank=True)

    objects = CanonicalTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("texte canonique")
        verbose_name_plural = _("textes canoniques")
        ordering = ["version", "recorded_at", "pk"]
        constraints = [
            # A version has one current text, the bytes of its ``fingerprint``; the unique
            # fingerprint's index serves the lookups by fingerprint (for_signature, downloads).
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(replaced_at__isnull=True),
                name="charter_one_current_canonical_text",
            ),
        ]

    def __str__(self):
        return self.fingerprint

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableVersionError(self.IMMUTABLE)
        super().save(*args, **kwargs)

    save.alters_data = True

    def get_absolute_url(self):
        """``/charte/versions/<n>/canonical/<fingerprint>.json`` (reads ``version``)."""
        return reverse("charter:canonical_text", args=[self.version.number, self.fingerprint])

    def delete(self, *args, **kwargs):
        raise ImmutableVersionError(self.IMMUTABLE)

    delete.alters_data = True

    @property
    def is_current(self):
        return self.replaced_at is None

    def as_bytes(self):
        return self.content.encode("utf-8")

    t_replaced_because = translation_of("replaced_because")
