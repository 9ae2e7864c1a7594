"""External surveys (SENACS, a département's census, a funder's form) filled from the portal.

A ``Survey`` lists its ``SurveyField``s in its own order, with its own codes. Each field takes
its value from somewhere the portal already knows (an indicator of the report, a commitment's
level, a field of the place, a constant) or is asked to the places in the indicators step of
the survey's campaign: those answers are ``SurveyAnswer`` rows of the report.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.i18n import translation_of

from .links import campaign_link, indicator_link, report_link
from .places import Place

# Fields of a place a survey may copy: its identity and public contact, never its team or notes;
# each labelled as on the place.
PLACE_FIELDS = {
    name: Place._meta.get_field(name).verbose_name
    for name in (
        "name",
        "legal_name",
        "legal_form",
        "year_founded",
        "rna",
        "siret",
        "street",
        "postcode",
        "commune",
        "departement",
        "region",
        "website",
        "public_email",
        "phone",
    )
}

CHOICE_SEPARATOR = "|"
TRUE_WORDS, FALSE_WORDS = {"true", "oui", "yes", "1"}, {"false", "non", "no", "0"}


class SurveyQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        """The surveys a campaign's reports feed: those attached to it, and those of its year
        attached to no campaign. The one rule, for the indicators step, the report page and
        the exports."""
        return self.filter(Q(campaign=campaign) | Q(campaign__isnull=True, year=campaign.year))


class Survey(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    year = models.PositiveIntegerField(_("année"))
    campaign = campaign_link("surveys", optional=True, on_delete=models.SET_NULL)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquête externe")
        verbose_name_plural = _("enquêtes externes")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="members_survey_once_a_year"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def report_campaign(self):
        """The campaign whose reports answer: the one attached, else the one of its year."""
        if self.campaign_id:
            return self.campaign
        from .reports import ReportingCampaign

        return ReportingCampaign.objects.filter(year=self.year).first()


class SurveyField(models.Model):
    class Kind(models.TextChoices):
        INTEGER = "integer", _("Nombre entier")
        DECIMAL = "decimal", _("Nombre décimal")
        TEXT = "text", _("Texte")
        BOOLEAN = "boolean", _("Oui ou non")
        CHOICE = "choice", _("Choix dans une liste")
        DATE = "date", _("Date")

    class Source(models.TextChoices):
        INDICATOR = "indicator", _("Indicateur du bilan")
        COMMITMENT = "commitment", _("Niveau d’un engagement")
        PLACE = "place", _("Fiche du lieu")
        CONSTANT = "constant", _("Valeur fixe")
        ASK = "ask", _("À demander aux lieux")

    survey = models.ForeignKey(
        Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="fields"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(
        _("code"), max_length=60, help_text=_("Le nom de la colonne dans l’enquête.")
    )
    label = models.CharField(_("libellé"), max_length=300)
    label_en = models.CharField(_("libellé (anglais)"), max_length=300, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.INTEGER)
    choices = models.TextField(
        _("valeurs permises"),
        blank=True,
        help_text=_(
            "Pour un choix : les valeurs séparées par « | », par exemple oui|non|en partie."
        ),
    )
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.ASK
    )
    indicator = indicator_link("survey_fields", optional=True)
    commitment_key = models.SlugField(
        _("engagement (clé)"),
        max_length=80,
        blank=True,
        help_text=_("Clé de l’engagement de la charte dont le niveau est repris."),
    )
    place_field = models.CharField(
        _("champ de la fiche"), max_length=20, blank=True, choices=list(PLACE_FIELDS.items())
    )
    constant = models.CharField(_("valeur fixe"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("champ d’enquête")
        verbose_name_plural = _("champs d’enquête")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="members_survey_field_code"),
            models.CheckConstraint(
                condition=Q(kind__in=["integer", "decimal", "text", "boolean", "choice", "date"]),
                name="members_survey_field_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="choice") | ~Q(choices=""),
                name="members_survey_field_choice_has_values",
            ),
            # Each source names what it reads, and only a field read from an indicator names one.
            models.CheckConstraint(
                condition=(
                    (Q(source="indicator") & Q(indicator__isnull=False))
                    | (~Q(source="indicator") & Q(indicator__isnull=True))
                ),
                name="members_survey_field_indicator_source",
            ),
            models.CheckConstraint(
                condition=~Q(source="commitment") | ~Q(commitment_key=""),
                name="members_survey_field_commitment_source",
            ),
            models.CheckConstraint(
                condition=~Q(source="place") | Q(place_field__in=list(PLACE_FIELDS)),
                name="members_survey_field_place_source",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["indicator", "commitment", "place", "constant", "ask"]),
                name="members_survey_field_source",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.label}"

    def clean(self):
        """The source names what it reads (the other references are cleared), a choice has
        values, a constant reads as the field's type."""
        from charter.models import Commitment

        Source = self.Source
        errors = {}
        if self.kind == self.Kind.CHOICE and not self.allowed_values():
            errors["choices"] = _("Un choix demande au moins une valeur permise.")
        if self.source != Source.INDICATOR:
            self.indicator = None
        elif self.indicator_id is None:
            errors["indicator"] = _("Choisissez l’indicateur repris.")
        if self.source != Source.COMMITMENT:
            self.commitment_key = ""
        elif not Commitment.objects.filter(key=self.commitment_key).exists():
            errors["commitment_key"] = _("Aucun engagement de la charte n’a la clé « %s ».") % (
                self.commitment_key
            )
        if self.source != Source.PLACE:
            self.place_field = ""
        elif self.place_field not in PLACE_FIELDS:
            errors["place_field"] = _("Champs de la fiche possibles : %s.") % ", ".join(
                PLACE_FIELDS
            )
        if self.source != Source.CONSTANT:
            self.constant = ""
        elif self.read(self.constant) is None:
            errors["constant"] = _("Cette valeur fixe ne correspond pas au type du champ.")
        if errors:
            raise ValidationError(errors)

    def read(self, text):
        """A stored text as this field's type (None when empty or unreadable): ``12``,
        ``12.5``, ``true``/``false`` (or oui/non), ``2026-03-01``, an allowed value."""
        text = (text or "").strip()
        if not text:
            return None
        Kind = self.Kind
        try:
            if self.kind == Kind.INTEGER:
                number = Decimal(text)
                return int(number) if number == number.to_integral() else None
            if self.kind == Kind.DECIMAL:
                return Decimal(text.replace(",", "."))
            if self.kind == Kind.DATE:
                return date.fromisoformat(text)
        except (InvalidOperation, ValueError):
            return None
        if self.kind == Kind.BOOLEAN:
            word = text.lower()
            return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
        if self.kind == Kind.CHOICE:
            return text if text in self.allowed_values() else None
        return text

    t_label = translation_of("label")

    def allowed_values(self):
        return [v.strip() for v in self.choices.split(CHOICE_SEPARATOR) if v.strip()]

    @property
    def is_asked(self):
        return self.source == self.Source.ASK


class SurveyAnswer(models.Model):
    """A place's answer, in one report, to a survey's question asked in the indicators step.

    ``value`` is stored as text in a normal form: ``12``, ``12.50``, ``true``/``false``,
    ``2026-03-01``, or one of the field's allowed values."""

    report = report_link("survey_answers")
    field = models.ForeignKey(
        SurveyField, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.CharField(_("réponse"), max_length=1000)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("réponse à une enquête")
        verbose_name_plural = _("réponses aux enquêtes")
        ordering = ["report", "field__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "field"], name="members_survey_answer_once"),
            models.CheckConstraint(condition=~Q(value=""), name="members_survey_answer_not_empty"),
        ]

    def __str__(self):
        return f"{self.field.code} = {self.value}"
