from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import validators
from .models import Membership, Place, Signature


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; remembers the language the account was created in."""

    def save(self, request):
        user = super().save(request)
        language = (get_language() or "fr")[:2]
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        return user


# --- Members: places, teams, signatures (issue 4) ----------------------------------------------


LOGO_MAX_BYTES = 2 * 1024 * 1024
MINUTES_MAX_BYTES = 5 * 1024 * 1024


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
        self.duplicate = None  # the place already registered with this RNA or SIRET
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
                HTML('{% include "members/includes/_position_map.html" %}'),
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

    def _clean_identifier(self, field, normalise, validate):
        value = normalise(self.cleaned_data.get(field, ""))
        if value:
            validate(value)
            existing = Place.objects.filter(**{field: value}).exclude(pk=self.instance.pk).first()
            if existing:
                self.duplicate = existing
                raise forms.ValidationError(
                    _("Ce numéro est déjà celui du lieu « %(place)s », inscrit sur le portail.")
                    % {"place": existing.name},
                    code="duplicate",
                )
        return value

    def clean_rna(self):
        return self._clean_identifier("rna", validators.normalise_rna, validators.validate_rna)

    def clean_siret(self):
        return self._clean_identifier(
            "siret", validators.normalise_siret, validators.validate_siret
        )

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

    def clean(self):
        cleaned = super().clean()
        if (
            "rna" not in self.errors
            and "siret" not in self.errors
            and not cleaned.get("rna")
            and not cleaned.get("siret")
        ):
            self.add_error(
                "rna", _("Indiquez au moins un identifiant : le numéro RNA ou le SIRET.")
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail"))
    role = forms.ChoiceField(
        label=_("Rôle"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR
    )

    def __init__(self, *args, place=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Inviter une personne"), "email", "role"),
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)


class SignatureForm(forms.ModelForm):
    class Meta:
        model = Signature
        fields = [
            "signatory_name",
            "signatory_title",
            "board_decision_date",
            "mandate_certified",
            "minutes",
        ]
        labels = {
            "signatory_name": _("Nom et prénom du ou de la signataire"),
            "signatory_title": _("Qualité"),
            "board_decision_date": _("Date de la décision de votre instance dirigeante"),
            "mandate_certified": _(
                "Je certifie avoir reçu mandat de l’instance dirigeante de l’association "
                "(conseil d’administration, bureau ou assemblée générale) pour signer la charte "
                "en son nom."
            ),
            "minutes": _("Procès-verbal de la décision (facultatif)"),
        }
        help_texts = {
            "signatory_title": _("Par exemple : Présidente, Co-président, Trésorière."),
            "minutes": _("Fichier PDF, 5 Mo au plus."),
        }
        widgets = {
            "board_decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "minutes": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mandate_certified"].required = True
        self.fields["mandate_certified"].error_messages["required"] = _(
            "Cochez cette case pour certifier votre mandat."
        )
        self.fields["signatory_name"].widget.attrs["autocomplete"] = "name"
        self.fields["signatory_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["board_decision_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["minutes"].validators.append(FileExtensionValidator(["pdf"]))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Signataire"), "signatory_name", "signatory_title"),
            Fieldset(_("Mandat"), "board_decision_date", "minutes", "mandate_certified"),
        )

    def clean_board_decision_date(self):
        date = self.cleaned_data["board_decision_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("La date de la décision ne peut pas être dans le futur."))
        return date

    def clean_minutes(self):
        minutes = self.cleaned_data.get("minutes")
        if minutes:
            if minutes.size > MINUTES_MAX_BYTES:
                raise forms.ValidationError(_("Le procès-verbal dépasse 5 Mo."))
            minutes.seek(0)
            head = minutes.read(5)
            minutes.seek(0)
            if head != b"%PDF-":
                raise forms.ValidationError(_("Ce fichier n’est pas un PDF valide."))
        return minutes

    def _post_clean(self):
        # The service builds the signature (version, fingerprint, who): no model validation
        # of a half-made instance here.
        pass


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=30,
        help_text=_("12 caractères, par exemple ABCD-EFGH-JKLM ; tirets facultatifs."),
    )

    def clean_code(self):
        return normalise_code(self.cleaned_data["code"])


def normalise_code(value):
    """ "abcd efgh-jklm" → "ABCD-EFGH-JKLM"; other lengths are returned cleaned, unchanged."""
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    if len(raw) == 12:
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    return raw


class ReasonForm(forms.Form):
    """The reason a coordinator gives for refusing or suspending a place (admin action)."""

    reason = forms.CharField(
        label=_("Motif (transmis aux représentant·es du lieu)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
