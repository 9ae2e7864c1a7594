from django import forms
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    """What the coordinator decides when publishing a draft."""

    requires_resigning = forms.BooleanField(
        label=_("Changement substantiel : chaque lieu signataire doit signer à nouveau"),
        required=False,
    )
    grace_period_days = forms.IntegerField(
        label=_("Délai pour signer à nouveau (jours)"),
        min_value=0,
        max_value=3650,
        initial=180,
        help_text=_(
            "Passé ce délai, la signature d’un lieu qui n’a pas signé à nouveau devient caduque."
        ),
    )
