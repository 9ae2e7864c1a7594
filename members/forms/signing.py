"""Signing the charter and checking a signature."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import is_pdf
from members.models import Signature

MINUTES_MAX_BYTES = 5 * 1024 * 1024


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
            if not is_pdf(minutes):
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
