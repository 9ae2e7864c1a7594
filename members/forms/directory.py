"""The public directory's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from charter.models import CharterVersion, Commitment
from members import geography
from members.models import Activity, PublicServed

from .widgets import QuickSelect


class DirectoryFilterForm(forms.Form):
    """Filters from the query string. Every field is optional; a bad value is only ignored."""

    q = forms.CharField(label=_("Rechercher"), max_length=200, required=False)
    region = forms.ChoiceField(label=_("Région"), required=False, widget=QuickSelect)
    departement = forms.ChoiceField(label=_("Département"), required=False, widget=QuickSelect)
    activite = forms.ChoiceField(label=_("Activité"), required=False, widget=QuickSelect)
    public = forms.ChoiceField(label=_("Public accueilli"), required=False, widget=QuickSelect)
    engagement = forms.ChoiceField(
        label=_("Engagement bien établi ou exemplaire"),
        required=False,
        widget=QuickSelect,
        help_text=_(
            "Les lieux dont le dernier bilan publié juge cet engagement bien établi ou exemplaire."
        ),
    )

    FILTERS = ("region", "departement", "activite", "public", "engagement")

    def __init__(self, data, *, version=None):
        super().__init__(data)
        everything = [("", _("Toutes"))]
        self.fields["region"].choices = everything + geography.REGION_CHOICES
        self.fields["departement"].choices = [("", _("Tous"))] + geography.DEPARTEMENT_CHOICES
        self.fields["activite"].choices = everything + [
            (a.slug, str(a)) for a in Activity.objects.all()
        ]
        self.fields["public"].choices = [("", _("Tous"))] + [
            (p.slug, str(p)) for p in PublicServed.objects.all()
        ]
        commitments = (
            Commitment.objects.filter(version=version).order_by("section__position", "position")
            if version
            else Commitment.objects.none()
        )
        self.fields["engagement"].choices = [("", _("Tous"))] + [
            (c.key, c.t_title()) for c in commitments
        ]
        self.fields["q"].widget.input_type = "search"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def filters(self):
        """The valid filters, as a dict; invalid values are left out."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) for name in ("q", *self.FILTERS)}
        return {name: value for name, value in values.items() if value}

    def ignored(self):
        """(label, value) of each filter whose value was not recognised."""
        self.is_valid()
        return [(self.fields[name].label, self.data.get(name, "")) for name in self.errors]


def directory_filter_form(data, policy=None):
    """The filter form with its choices (four queries: versions, activities, publics, keys;
    three when the caller's ``SignaturePolicy`` already knows the version in force)."""
    version = policy.current if policy is not None else CharterVersion.objects.current()
    return DirectoryFilterForm(data, version=version)
