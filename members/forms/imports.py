"""The coordinators' import of places: the file to upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.services.imports import MAX_BYTES


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier à importer (CSV ou XLSX)"),
        help_text=_("5 Mo et 5 000 lignes au plus."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.")
                % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload
