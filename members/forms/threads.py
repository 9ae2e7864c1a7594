"""Forms of the commitments' threads: a message, and how often to hear about new ones."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import NotificationSetting
from members.services.threads import MAX_BODY

from .reports import EvidenceFileField


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mise en forme Markdown possible : **gras**, *italique*, listes, liens."),
    )
    attachment = EvidenceFileField(
        label=_("Pièce jointe (facultatif)"), help_text=_("PDF ou image, 10 Mo au plus.")
    )
    attachment_label = forms.CharField(
        label=_("Intitulé de la pièce jointe"), max_length=200, required=False
    )

    def service_data(self):
        """The message as ``threads.post_message`` takes it."""
        return {
            "body": self.cleaned_data["body"],
            "attachment": self.cleaned_data.get("attachment"),
            "attachment_label": self.cleaned_data.get("attachment_label", ""),
        }


class NotificationForm(forms.ModelForm):
    class Meta:
        model = NotificationSetting
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        labels = {"frequency": _("E-mails sur les conversations des bilans")}
