"""External surveys in the coordinators' admin: the survey and its fields, the field list
imported from CSV, and the answers of the places of the coordinator's territory exported as
CSV or XLSX (the survey's columns, in its order, with its codes).

The field list is written by ``members.services.surveys``; the exports read
``surveys.survey_rows`` over ``territory.places_in_scope``.
"""

import io

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import csv
from core.admin_pages import admin_page_context, admin_pages
from members.models import Place, Survey, SurveyField
from members.models.surveys import PLACE_FIELDS
from members.services import MembersError
from members.services import surveys as survey_services
from members.territory import places_in_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SurveyFieldFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Supprimer ce champ")


class SurveyFieldInline(admin.TabularInline):
    model = SurveyField
    formset = SurveyFieldFormSet
    extra = 0
    ordering = ["position", "pk"]
    fields = [
        "position",
        "code",
        "label",
        "label_en",
        "kind",
        "choices",
        "source",
        "indicator",
        "commitment_key",
        "place_field",
        "constant",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        if db_field.name == "choices":
            field.widget = forms.TextInput(attrs={"size": 20})
        # A table's cells have no <label>: each input is named after its column.
        widget = getattr(field.widget, "widget", field.widget)
        widget.attrs["aria-label"] = str(db_field.verbose_name)
        return field


class FieldListForm(forms.Form):
    file = forms.FileField(
        label=_("Liste des champs (CSV)"),
        help_text=_(
            "Une ligne d’en-tête puis une ligne par champ, séparées par des virgules ou des "
            "points-virgules, en UTF-8."
        ),
    )


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "campaign", "field_count", "exports"]
    list_filter = ["year"]
    search_fields = ["name"]
    list_select_related = ["campaign"]
    raw_id_fields = ["campaign"]
    fields = ["name", "year", "campaign", "description", "description_en"]
    inlines = [SurveyFieldInline]
    change_form_template = "admin/members/survey/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_fields=Count("fields"))

    @admin.display(description=_("champs"), ordering="num_fields")
    def field_count(self, obj):
        return obj.num_fields

    @admin.display(description=_("réponses des lieux"))
    def exports(self, obj):
        return format_html(
            '<a href="{}">CSV</a> · <a href="{}">XLSX</a>',
            reverse("admin:members_survey_export_csv", args=[obj.pk]),
            reverse("admin:members_survey_export_xlsx", args=[obj.pk]),
        )

    def get_urls(self):
        return [
            *admin_pages(
                self,
                ("<int:pk>/import/", self.import_view, "members_survey_import"),
                ("<int:pk>/reponses.csv", self.export_csv_view, "members_survey_export_csv"),
                ("<int:pk>/reponses.xlsx", self.export_xlsx_view, "members_survey_export_xlsx"),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_url": reverse("admin:members_survey_import", args=[object_id])
            if object_id and object_id.isdigit()
            else None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- The field list from CSV -------------------------------------------------------------

    def import_view(self, request, pk):
        survey = get_object_or_404(Survey, pk=pk)
        if not self.has_change_permission(request, survey):
            raise Http404
        form = FieldListForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                content = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error(
                    "file", _("Ce fichier n’est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».")
                )
            else:
                try:
                    created, updated = survey_services.import_field_list(
                        survey=survey, by=request.user, content=content
                    )
                except survey_services.SurveyImportError as error:
                    errors = error.errors
                    self.message_user(request, str(error), messages.ERROR)
                except MembersError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        gettext("%(created)d champ(s) ajouté(s), %(updated)d mis à jour.")
                        % {"created": created, "updated": updated},
                        messages.SUCCESS,
                    )
                    return redirect("admin:members_survey_change", survey.pk)
        context = admin_page_context(
            self,
            request,
            title=gettext("Importer les champs de « %(survey)s »") % {"survey": survey},
            survey=survey,
            original=survey,
            form=form,
            errors=errors,
            columns=survey_services.COLUMNS,
            kinds=SurveyField.Kind.choices,
            sources=SurveyField.Source.choices,
            place_fields=list(PLACE_FIELDS),
        )
        return TemplateResponse(request, "admin/members/survey/import.html", context)

    # --- Exports -----------------------------------------------------------------------------

    def _export(self, request, pk):
        if not self.has_view_permission(request):
            raise Http404
        survey = get_object_or_404(Survey.objects.select_related("campaign"), pk=pk)
        fields = survey_services.survey_fields(survey)
        places = (
            places_in_scope(request.user).filter(status=Place.Status.MEMBER).order_by("name", "pk")
        )
        return survey, fields, survey_services.survey_rows(survey, places, fields)

    @staticmethod
    def _filename(survey, extension):
        return f"enquete-{slugify(survey.name)}-{survey.year}.{extension}"

    def export_csv_view(self, request, pk):
        """One row per member place of the territory: the place, then the survey's codes."""
        survey, fields, rows = self._export(request, pk)
        header = [gettext("Lieu"), *(field.code for field in fields)]
        lines = ([row.place.name, *row.values] for row in rows)
        return csv.response(self._filename(survey, "csv"), header, lines)

    def export_xlsx_view(self, request, pk):
        """The same table as the CSV, and a second sheet listing what each place lacks."""
        from openpyxl import Workbook

        survey, fields, rows = self._export(request, pk)
        book = Workbook(write_only=True)
        answers = book.create_sheet(gettext("Réponses"))
        completeness = book.create_sheet(gettext("Complétude"))
        answers.append([gettext("Lieu"), *(field.code for field in fields)])
        completeness.append(
            [gettext("Lieu"), gettext("Champs manquants"), gettext("Codes manquants")]
        )
        for row in rows:
            # Text goes through the CSV's cell rule: "=…" stays text, never a formula.
            answers.append([_xlsx_cell(row.place.name), *map(_xlsx_cell, row.values)])
            if row.missing:
                completeness.append(
                    [
                        _xlsx_cell(row.place.name),
                        len(row.missing),
                        ", ".join(field.code for field in row.missing),
                    ]
                )
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self._filename(survey, "xlsx")}"'
        return response


def _xlsx_cell(value):
    return csv.cell(value) if isinstance(value, str) else value
