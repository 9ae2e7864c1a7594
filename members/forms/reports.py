"""Forms of the reporting pages: one answer per commitment, the indicators, extensions, review."""

from decimal import Decimal
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.i18n import translated
from core.uploads import is_pdf
from members.models import Answer, Extension, Indicator, Report
from members.services import reports as report_services
from members.services.reports import ANSWER_FIELDS

MAX_EVIDENCE_SIZE = 10 * 1024 * 1024
IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp", "GIF": ".gif"}


def validate_evidence_file(upload):
    """PDF or image, at most 10 MB, recognised by its content (never by its name).

    The stored name takes the extension of the detected type, so a file that lies about
    its type is either refused or renamed to what it really is.
    """
    if upload.size > MAX_EVIDENCE_SIZE:
        raise ValidationError(
            _("Ce fichier pèse %(size)s : la limite est de %(max)s par fichier."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "max": filesizeformat(MAX_EVIDENCE_SIZE),
            },
        )
    if is_pdf(upload):
        extension = ".pdf"
    else:
        try:
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                _("Seuls les fichiers PDF et les images (PNG, JPEG, WebP, GIF) sont acceptés."),
                code="file_type",
            ) from error
        finally:
            upload.seek(0)
        if image_format not in IMAGE_FORMATS:
            raise ValidationError(
                _("Seuls les fichiers PDF et les images (PNG, JPEG, WebP, GIF) sont acceptés."),
                code="file_type",
            )
        extension = IMAGE_FORMATS[image_format]
    upload.name = (Path(upload.name).stem[:80] or "preuve") + extension


class EvidenceFileField(forms.FileField):
    """An optional file kept as evidence (an answer's proof, a message's attachment), checked
    by ``validate_evidence_file``."""

    default_validators = [validate_evidence_file]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class FieldPerItemMixin:
    """A form with one field for each of its ``items`` (the campaign's indicators, the
    surveys' questions), named ``field_name(item)``."""

    items = ()

    def grouped_fields(self, group_of):
        """[(group, [bound fields])], ``group_of(item)`` in the items' order."""
        grouped = {}
        for item in self.items:
            grouped.setdefault(group_of(item), []).append(self[self.field_name(item)])
        return list(grouped.items())

    def service_data(self):
        """{item: its cleaned value} as the services take it."""
        return {item: self.cleaned_data.get(self.field_name(item)) for item in self.items}


def _widget_class(widget):
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class AnswerForm(forms.ModelForm):
    """One commitment's answer. Saved through ``report_services.save_answers``, never ``save()``."""

    level = forms.ChoiceField(
        label=_("Où en est votre lieu sur cet engagement ?"),
        choices=Answer.Level.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    evidence_url = forms.URLField(
        label=_("Ajouter un lien vers une preuve"),
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Article de presse, page de votre site, compte rendu en ligne…"),
    )
    evidence_label = forms.CharField(
        label=_("Intitulé de la preuve (facultatif)"), required=False, max_length=200
    )
    evidence_file = EvidenceFileField(
        label=_("Ajouter un fichier"),
        help_text=_("PDF ou image (PNG, JPEG, WebP, GIF), 10 Mo au plus."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,image/png,image/jpeg,image/webp,image/gif"}
        ),
    )
    remove_evidence = forms.MultipleChoiceField(
        label=_("Retirer des preuves"), required=False, widget=forms.CheckboxSelectMultiple
    )
    confirm = forms.BooleanField(
        label=_("Je confirme cette réponse reprise du bilan précédent, elle reste juste"),
        required=False,
    )
    # The answer's revision when the page was loaded: the service's conflict check.
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Answer
        fields = ["level", "na_reason", "narrative", "actions"]
        widgets = {
            "na_reason": forms.Textarea(attrs={"rows": 2}),
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "na_reason": _("Pourquoi votre lieu n’est-il pas concerné ?"),
            "narrative": _("Récit"),
            "actions": _("Actions concrètes"),
        }
        help_texts = {
            "na_reason": _("Obligatoire si vous choisissez « Non concerné »."),
            "narrative": _(
                "Racontez ce que votre lieu a fait. Mise en forme Markdown possible : "
                "**gras**, *italique*, listes avec des tirets, liens."
            ),
            "actions": _("Une action par ligne : ce qui a été fait, avec qui, quand."),
        }

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["revision"] = self.instance.revision
        if not self.instance.commitment.allows_not_applicable:
            # Values and general-interest principles are conditions of membership.
            self.fields["level"].choices = [
                choice
                for choice in self.fields["level"].choices
                if choice[0] != Answer.Level.NOT_APPLICABLE
            ]
            del self.fields["na_reason"]
        # The values as loaded travel with the page, so that only what this person changed
        # is sent to the service (``changed_data``), never the stale rest of the section.
        for name in ANSWER_FIELDS:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True
        self.evidence = list(evidence)
        self.fields["remove_evidence"].choices = [(str(e.pk), str(e)) for e in self.evidence]
        for field in self.fields.values():  # Bootstrap's classes (includes/_field.html)
            field.widget.attrs.setdefault("class", _widget_class(field.widget))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def clean(self):
        data = super().clean()
        if (
            data.get("level") == Answer.Level.NOT_APPLICABLE
            and not data.get("na_reason", "").strip()
        ):
            self.add_error(
                "na_reason",
                _("Indiquez pourquoi votre lieu n’est pas concerné par cet engagement."),
            )
        if data.get("evidence_label") and not (
            data.get("evidence_url") or data.get("evidence_file")
        ):
            self.add_error("evidence_url", _("Donnez le lien ou le fichier de cette preuve."))
        return data

    def validate_constraints(self):
        """The one check constraint (a reason for "non concerné") is checked in ``clean()``,
        without the database query per form that model validation would run."""

    def service_data(self):
        """What ``report_services.save_answers`` expects for this answer."""
        data = self.cleaned_data
        label = data.get("evidence_label", "")
        return {
            **{name: data[name] for name in ANSWER_FIELDS if name in self.changed_data},
            "confirm": data.get("confirm", False),
            "revision": data.get("revision"),
            "new_links": [(data["evidence_url"], label)] if data.get("evidence_url") else [],
            "new_files": [(data["evidence_file"], label)] if data.get("evidence_file") else [],
            "remove_evidence": [int(pk) for pk in data.get("remove_evidence", [])],
        }


class IndicatorsForm(FieldPerItemMixin, forms.Form):
    """The campaign's indicators (``items``), grouped; values optional until the report is
    sent."""

    def __init__(self, *args, indicators, values=None, **kwargs):
        values = values or {}
        kwargs.setdefault("initial", {})
        super().__init__(*args, **kwargs)
        self.items = list(indicators)
        for indicator in self.items:
            name = self.field_name(indicator)
            kind = Indicator.Kind(indicator.kind)
            min_value = indicator.min_value if indicator.min_value is not None else Decimal(0)
            max_value = indicator.max_value
            if kind == Indicator.Kind.PERCENTAGE:
                min_value = max(min_value, Decimal(0))
                max_value = min(max_value, Decimal(100)) if max_value is not None else Decimal(100)
            label = str(indicator)
            if indicator.t_unit():
                label = f"{label} ({indicator.t_unit()})"
            field = forms.DecimalField(
                label=label,
                required=False,
                min_value=min_value,
                max_value=max_value,
                max_digits=14,
                decimal_places=0 if kind == Indicator.Kind.INTEGER else 2,
                help_text=translated(indicator, "help_text"),
                localize=True,
            )
            field.widget.attrs.update({"inputmode": "decimal"})
            field.indicator = indicator
            self.fields[name] = field
            if indicator.pk in values:
                self.initial.setdefault(name, values[indicator.pk])

    @staticmethod
    def field_name(indicator):
        return f"ind_{indicator.key}"

    def groups(self):
        """[(legend, [bound fields])] in the indicators' order."""
        return self.grouped_fields(
            lambda indicator: str(
                report_services.INDICATOR_GROUPS.get(indicator.group)
                or indicator.group
                or _("Autres indicateurs")
            )
        )

    def clean(self):
        data = super().clean()
        values = {indicator.key: data.get(self.field_name(indicator)) for indicator in self.items}
        for message in report_services.budget_errors(values):
            self.add_error(self.field_name_for_key(report_services.BUDGET_TOTAL), message)
        return data

    def field_name_for_key(self, key):
        for indicator in self.items:
            if indicator.key == key:
                return self.field_name(indicator)
        return None

    @staticmethod
    def loaded_name(indicator):
        return f"loaded_{indicator.key}"

    def loaded_values(self):
        """{indicator pk: the value shown when the page was loaded} from the hidden inputs."""
        loaded = {}
        for indicator in self.items:
            raw = self.data.get(self.loaded_name(indicator))
            if raw is None:
                continue
            try:
                loaded[indicator.pk] = Decimal(raw) if raw else None
            except ArithmeticError:
                continue
        return loaded


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["publish"]
        labels = {"publish": _("Publier ce bilan sur la fiche publique du lieu une fois validé")}


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["reason"]
        labels = {"reason": _("Pourquoi avez-vous besoin de plus de temps ?")}
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}


class ReviewForm(forms.Form):
    """The coordinators' decision on a submitted report, with a comment per answer."""

    class Decision:
        APPROVE = "approve"
        REQUEST_CHANGES = "request_changes"

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (Decision.APPROVE, _("Valider le bilan")),
            (Decision.REQUEST_CHANGES, _("Demander des modifications")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message au lieu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Obligatoire pour demander des modifications. Envoyé par e-mail à l’équipe."),
    )

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = answers
        for answer in answers:
            self.fields[f"comment_{answer.pk}"] = forms.CharField(
                label=_("Message sur « %(title)s »") % {"title": answer.commitment.t_title()},
                required=False,
                help_text=_("Ajouté à la conversation de cet engagement."),
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
            )

    def comment_field(self, answer):
        return self[f"comment_{answer.pk}"]

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == self.Decision.REQUEST_CHANGES
            and not data.get("message", "").strip()
        ):
            self.add_error("message", _("Expliquez au lieu ce qu’il doit modifier."))
        return data

    def comments(self):
        return {answer.pk: self.cleaned_data[f"comment_{answer.pk}"] for answer in self.answers}
