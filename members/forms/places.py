"""A place's registration and profile; the reason of a coordinator's decision."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import validators
from members.models import Place

LOGO_MAX_BYTES = 2 * 1024 * 1024


class PlaceForm(forms.ModelForm):
    """Registration and profile of a place; the same rules for both."""

    class Meta:
        model = Place
        fields = [
            "name",
            "legal_name",
            "legal_form",
            "year_founded",
            "rna",
            "siret",
            "street",
            "postcode",
            "commune",
            "public_email",
            "phone",
            "website",
            "description",
            "activities",
            "publics",
            "logo",
            "is_public",
            # Position sur la carte (optional; see members.geography.approximate_position)
            "latitude",
            "longitude",
        ]
        widgets = {
            "activities": forms.CheckboxSelectMultiple,
            "publics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "latitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        }
        help_texts = {
            "name": _("Le nom sous lequel le public connaît votre lieu."),
            "rna": _("W suivi de 9 chiffres, sur le récépissé de déclaration en préfecture."),
            "siret": _("14 chiffres ; les espaces sont acceptés."),
            "postcode": _("Le département et la région en sont déduits."),
            "logo": _("Image PNG, JPEG ou WebP, 2 Mo au plus."),
            "is_public": _("Une fois la charte signée, votre fiche figure dans l’annuaire."),
            "latitude": _(
                "En degrés décimaux, par exemple 45.7640 (négative au sud de l’équateur)."
            ),
            "longitude": _(
                "En degrés décimaux, par exemple 4.8357 (négative à l’ouest de Greenwich)."
            ),
        }

    submit_label = _("Enregistrer")

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The RNA or SIRET typed, when a registered place holds it already (never that place:
        # its name and town are not told to whoever types its number).
        self.duplicate = None
        # Users type spaces ("732 829 320 00074"): accept them, clean_* removes them.
        for name, length in (("rna", 20), ("siret", 24)):
            self.fields[name].max_length = length
            self.fields[name].validators = [MaxLengthValidator(length)]
        self.fields["rna"].widget.attrs.update({"maxlength": 20, "autocomplete": "off"})
        self.fields["siret"].widget.attrs.update(
            {"maxlength": 24, "inputmode": "numeric", "autocomplete": "off"}
        )
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        self.fields["year_founded"].widget.attrs.update({"min": 1800, "max": 2100})
        if self.instance.position_is_approximate:
            # A département's centre is not the user's answer: leave the fields empty.
            self.initial["latitude"] = self.initial["longitude"] = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Identité"), "name", "legal_name", "legal_form", "year_founded"),
            Fieldset(
                _("Identifiants légaux"),
                HTML(
                    '<p class="small text-muted">{}</p>'.format(
                        _("Indiquez le numéro RNA, le SIRET, ou les deux.")
                    )
                ),
                "rna",
                "siret",
            ),
            Fieldset(_("Adresse"), "street", "postcode", "commune"),
            Fieldset(
                _("Position sur la carte"),
                HTML('{% include "members/portal/includes/_position_map.html" %}'),
                "latitude",
                "longitude",
            ),
            Fieldset(_("Contact"), "public_email", "phone", "website"),
            Fieldset(_("Présentation"), "description", "activities", "publics", "logo"),
            Fieldset(_("Annuaire"), "is_public"),
        )

    def clean_year_founded(self):
        year = self.cleaned_data.get("year_founded")
        if year and not 1800 <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Indiquez une année entre 1800 et l’année en cours."))
        return year

    def _clean_identifier(self, field, normalise):
        """The identifier as stored, refused if a registered place holds it. Its format, and
        that one of the two is given, are the model's rules (``Place.clean``)."""
        value = normalise(self.cleaned_data.get(field, ""))
        if value:
            holders = Place.objects.holding_identifiers().filter(**{field: value})
            if holders.exclude(pk=self.instance.pk).exists():
                self.duplicate = value
                raise forms.ValidationError(
                    _("Ce numéro est déjà celui d’un lieu inscrit sur le portail."),
                    code="duplicate",
                )
        return value

    def clean_rna(self):
        return self._clean_identifier("rna", validators.normalise_rna)

    def clean_siret(self):
        return self._clean_identifier("siret", validators.normalise_siret)

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        validators.validate_postcode(postcode)
        return postcode

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # A newly uploaded file has gone through forms.ImageField: Pillow opened and verified it.
        if logo and hasattr(logo, "image"):
            if logo.size > LOGO_MAX_BYTES:
                raise forms.ValidationError(_("Le logo dépasse 2 Mo : réduisez-le."))
            if logo.image.format not in ("PNG", "JPEG", "WEBP"):
                raise forms.ValidationError(_("Le logo doit être une image PNG, JPEG ou WebP."))
        return logo


class ReasonForm(forms.Form):
    """The reason a coordinator gives for refusing or suspending a place (admin action)."""

    reason = forms.CharField(
        label=_("Motif (transmis aux représentant·es du lieu)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
