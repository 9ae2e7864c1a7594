"""Reporting campaigns, reports, answers on each commitment, indicators, extensions."""

from datetime import datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import user_link
from core.i18n import translated, translation_of
from core.storage import private_storage
from core.uploads import unguessable_name

from .links import (
    answer_link,
    campaign_link,
    indicator_link,
    place_link,
    report_link,
    version_link,
)
from .places import Place, Transition


class ReportingStatus(models.TextChoices):
    """A place's situation in a campaign, derived from its report and the dates."""

    NOT_STARTED = "not_started", _("Pas commencé")
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Envoyé")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    APPROVED = "approved", _("Validé")
    LATE = "late", _("En retard")
    NON_COMMUNICATING = "non_communicating", _("Non communicant")
    NOT_EXPECTED = "not_expected", _("Pas attendu : lieu devenu membre après l’échéance")


# A place that becomes a member while a campaign runs has at least this long to report.
NEWCOMER_DAYS = 90


class Indicator(models.Model):
    class Kind(models.TextChoices):
        INTEGER = "integer", _("Nombre entier")
        DECIMAL = "decimal", _("Nombre décimal")
        MONEY = "money", _("Montant en euros")
        PERCENTAGE = "percentage", _("Pourcentage")

    key = models.SlugField(_("clé"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200, blank=True)
    help_text = models.TextField(_("aide"), blank=True)
    help_text_en = models.TextField(_("aide (anglais)"), blank=True)
    unit = models.CharField(_("unité"), max_length=30, blank=True)
    unit_en = models.CharField(_("unité (anglais)"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.INTEGER)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True, default=0
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    required = models.BooleanField(_("obligatoire"), default=False)
    commitment_key = models.SlugField(
        _("engagement lié (clé)"),
        max_length=80,
        blank=True,
        help_text=_("Clé de l’engagement de la charte auquel cet indicateur se rapporte."),
    )
    group = models.CharField(_("groupe"), max_length=60, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["position", "key", "pk"]

    def __str__(self):
        return translated(self, "label")

    t_unit = translation_of("unit")


class ReportingCampaignQuerySet(models.QuerySet):
    def current(self, today=None):
        """The campaign in progress: the latest one already opened, or None."""
        today = today or timezone.localdate()
        return self.filter(opens_on__lte=today).order_by("-opens_on", "-year", "-pk").first()


class ReportingCampaign(models.Model):
    name = models.CharField(_("nom"), max_length=100)
    name_en = models.CharField(_("nom (anglais)"), max_length=100, blank=True)
    year = models.PositiveIntegerField(_("année"), unique=True)
    opens_on = models.DateField(_("ouverture"))
    due_on = models.DateField(_("date limite"))
    grace_days = models.PositiveIntegerField(_("délai de grâce (jours)"), default=90)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicateurs demandés"), blank=True, related_name="campaigns"
    )
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction (anglais)"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = ReportingCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne de bilans")
        verbose_name_plural = _("campagnes de bilans")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("opens_on")),
                name="members_campaign_due_after_opening",
            ),
        ]

    def __str__(self):
        return translated(self, "name")

    def t_description(self):
        """What the campaign covers, e.g. "Bilan 2025 (activité 2025, à rendre avant le
        31 mai 2026)": its name alone may not say which year it asks about."""
        return _("%(name)s (activité %(year)s, à rendre avant le %(due)s)") % {
            "name": self,
            "year": self.year,
            "due": date_format(self.due_on),
        }

    @property
    def grace_ends_on(self):
        return self.due_on + timedelta(days=self.grace_days)

    @property
    def opened_at(self):
        """The moment the campaign opened (midnight, local time): a place approved since then
        has a due date of its own (``NEWCOMER_DAYS``), or none."""
        return timezone.make_aware(datetime.combine(self.opens_on, time.min))


class ReportQuerySet(models.QuerySet):
    def published(self, policy=None):
        """What the public may read: approved, "publier ce bilan" ticked, place listed."""
        return self.filter(
            status=Report.Status.APPROVED,
            publish=True,
            place__in=Place.objects.listed(policy).values("pk"),
        )


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Envoyé")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        APPROVED = "approved", _("Validé")

    # Sent to the coordinators: no longer a draft (asking for changes keeps a report sent).
    SENT = (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED)

    place = place_link("reports")
    campaign = campaign_link("reports", on_delete=models.PROTECT)
    version = version_link("reports")
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish = models.BooleanField(_("publier ce bilan"), default=True)
    # Approved, "publier ce bilan" ticked and the place listed: kept by members.tallies.
    is_published = models.BooleanField(_("publié"), default=False, db_default=False, editable=False)
    revision = models.PositiveIntegerField(
        _("révision"), default=0, help_text=_("Incrémentée à chaque enregistrement.")
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    approved_at = models.DateTimeField(_("validé le"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilan")
        verbose_name_plural = _("bilans")
        ordering = ["-campaign__year", "place__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "campaign"], name="members_report_once"),
        ]
        indexes = [
            # Review queue: submitted reports, oldest first.
            models.Index(fields=["status", "submitted_at"], name="report_status_idx"),
            # Directory: a place's published reports (place page, the `engagement` filter's
            # "latest published report of each place", the observatory).
            models.Index(fields=["place", "status", "publish"], name="report_place_public_idx"),
            # Observatory medians: the published reports of one campaign, their number and
            # latest approval read from the index alone.
            models.Index(
                fields=["campaign", "is_published", "approved_at"], name="report_published_idx"
            ),
            # Admin report list: ORDER BY updated_at DESC, id DESC LIMIT 100 (ReportAdmin),
            # instead of sorting 50,000 reports joined to their campaign and place.
            models.Index(fields=["updated_at", "id"], name="report_updated_idx"),
        ]

    def __str__(self):
        return f"{self.place} – {self.campaign}"


class Answer(models.Model):
    """A place's answer on one commitment in one report."""

    class Level(models.TextChoices):
        NOT_ENGAGED = "0", _("Pas encore engagé")
        FIRST_STEPS = "1", _("Premiers pas")
        PROGRESSING = "2", _("En progression")
        ESTABLISHED = "3", _("Bien établi")
        EXEMPLARY = "4", _("Exemplaire")
        NOT_APPLICABLE = "na", _("Non concerné")

    report = report_link("answers")
    commitment = models.ForeignKey(
        "charter.Commitment",
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    level = models.CharField(_("niveau"), max_length=2, choices=Level.choices, blank=True)
    na_reason = models.TextField(_("pourquoi non concerné"), blank=True)
    narrative = models.TextField(_("récit"), blank=True)
    actions = models.TextField(_("actions concrètes"), blank=True)
    carried_over = models.BooleanField(_("repris du bilan précédent"), default=False)
    # Incremented at each save: the conflict check compares it with the form's.
    revision = models.PositiveIntegerField(_("révision"), default=0, db_default=0)
    reviewer_comment = models.TextField(_("commentaire de la coordination"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    updated_by = user_link(_("modifié par"))

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["report", "commitment__section__position", "commitment__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="members_answer_once"),
            models.CheckConstraint(
                condition=~models.Q(level="na") | ~models.Q(na_reason=""),
                name="members_answer_na_has_reason",
            ),
        ]
        indexes = [
            # Directory `engagement` filter and observatory: answers to one commitment at a
            # level ("3", "4"), e.g. WHERE commitment_id IN (…) AND level IN ('3', '4').
            models.Index(fields=["commitment", "level"], name="answer_commitment_level_idx"),
        ]

    def __str__(self):
        return f"{self.report} – {self.commitment.key}"

    @property
    def is_not_applicable(self):
        return self.level == self.Level.NOT_APPLICABLE


# What each step of the scale means, shown next to the choice and in the PDF.
LEVEL_DESCRIPTIONS = {
    Answer.Level.NOT_ENGAGED: _("Rien n’est encore fait sur cet engagement, ou presque."),
    Answer.Level.FIRST_STEPS: _("Quelques actions ponctuelles, pas encore organisées."),
    Answer.Level.PROGRESSING: _("Des actions régulières, qui progressent d’année en année."),
    Answer.Level.ESTABLISHED: _("Une pratique installée, connue de l’équipe et des usagers."),
    Answer.Level.EXEMPLARY: _("Une pratique aboutie, dont d’autres lieux peuvent s’inspirer."),
    Answer.Level.NOT_APPLICABLE: _("Cet engagement ne concerne pas votre lieu (motif demandé)."),
}


def evidence_path(instance, filename):
    return unguessable_name("reports/evidence", filename)


class Evidence(models.Model):
    answer = answer_link("evidence")
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    url = models.URLField(_("lien"), blank=True)
    file = models.FileField(
        _("fichier"), upload_to=evidence_path, storage=private_storage, blank=True
    )
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")
        ordering = ["answer", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="", file=""), name="members_evidence_url_or_file"
            ),
        ]

    def __str__(self):
        return self.label or self.url or self.file.name


class IndicatorValue(models.Model):
    report = report_link("indicator_values")
    indicator = indicator_link("values")
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")
        ordering = ["report", "indicator__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="members_indicator_value_once"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.key} = {self.value}"


class ReportTransition(Transition):
    """One step of a report's life: who, when, from, to, and the message."""

    subject_field = "report"
    # PROTECT: a transition is never deleted (members/triggers.py), nor is its report.
    report = report_link("transitions", on_delete=models.PROTECT)
    from_status = models.CharField(
        _("de"), max_length=20, choices=Report.Status.choices, blank=True
    )
    to_status = models.CharField(_("vers"), max_length=20, choices=Report.Status.choices)
    message = models.TextField(_("message"), blank=True)
    # The report's start: the year of the report it was pre-filled from, if any. The start's
    # sentence is written at reading time, in the reader's language (``text``).
    prefilled_from = models.PositiveSmallIntegerField(
        _("pré-rempli à partir du bilan"), null=True, blank=True
    )

    class Meta(Transition.Meta):
        verbose_name = _("étape du bilan")
        verbose_name_plural = _("étapes du bilan")

    def text(self):
        """What this step says: its message, or for the start, a sentence in the reader's
        language (older starts kept their message as written then)."""
        if self.message or self.from_status:
            return self.message
        if self.prefilled_from:
            return gettext("Bilan commencé, pré-rempli à partir du bilan %(year)s.") % {
                "year": self.prefilled_from
            }
        return gettext("Bilan commencé.")


class Extension(models.Model):
    """A representative's request for a later due date, and the coordinators' answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        GRANTED = "granted", _("Accordé")
        REFUSED = "refused", _("Refusé")

    place = place_link("extensions")
    campaign = campaign_link("extensions")
    reason = models.TextField(_("motif de la demande"))
    requested_by = user_link(_("demandé par"), blank=False)
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    due_on = models.DateField(_("nouvelle date limite"), null=True, blank=True)
    decided_by = user_link(_("décidé par"))
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("report d’échéance")
        verbose_name_plural = _("reports d’échéance")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # Reporting status of every listed place: the extension granted for one campaign.
            models.Index(fields=["place", "campaign"], name="extension_place_campaign_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="granted") | models.Q(due_on__isnull=False),
                name="members_extension_granted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.place} – {self.campaign}"
