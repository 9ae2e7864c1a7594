"""Asking another place for a peer review of one report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import PEER_REVIEW_DAYS, Place
from members.services.peers import MAX_DAYS


class PeerInvitationForm(forms.Form):
    report = forms.TypedChoiceField(label=_("Bilan à faire lire"), coerce=int)
    peer = forms.SlugField(
        label=_("Lieu pair"),
        help_text=_(
            "L’adresse de sa fiche dans l’annuaire, après /annuaire/ (par exemple "
            "« maison-des-possibles »). Le filtre « engagement » de l’annuaire propose ce lien."
        ),
    )
    days = forms.IntegerField(
        label=_("Durée (jours)"), min_value=1, max_value=MAX_DAYS, initial=PEER_REVIEW_DAYS
    )
    message = forms.CharField(
        label=_("Message au lieu pair (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reports, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place
        self.reports = {r.pk: r for r in reports}
        self.fields["report"].choices = [(r.pk, str(r.campaign)) for r in reports]

    def clean_peer(self):
        slug = self.cleaned_data["peer"]
        peer = Place.objects.filter(slug=slug, status=Place.Status.MEMBER).first()
        if peer is None:
            raise forms.ValidationError(_("Aucun lieu membre du réseau n’a cette adresse."))
        if peer.pk == self.place.pk:
            raise forms.ValidationError(_("Choisissez un autre lieu que le vôtre."))
        return peer

    def chosen_report(self):
        return self.reports[self.cleaned_data["report"]]
