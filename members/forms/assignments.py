"""Giving a commitment, or a whole part of a report, to a member of the team."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.access import person_name


class AssignmentForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Confier à"), required=False, coerce=int, empty_value=None
    )
    due_on = forms.DateField(
        label=_("À faire avant le (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, writers, **kwargs):
        super().__init__(*args, **kwargs)
        self.writers = {user.pk: user for user in writers}
        self.fields["assignee"].choices = [
            ("", _("Personne")),
            *((u.pk, person_name(u)) for u in writers),
        ]

    def service_data(self):
        """The assignee (a writer of the team, or nobody) and the date, as the services take them."""
        pk = self.cleaned_data.get("assignee")
        return {
            "assignee": self.writers.get(pk) if pk else None,
            "due_on": self.cleaned_data.get("due_on"),
        }
