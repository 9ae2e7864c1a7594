"""The coordinators' import of places: the file to upload.

Its size, format and columns are checked by ``members.services.imports.read_file``, whose
``ImportFileError`` the admin page shows as this field's error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


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
