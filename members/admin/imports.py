"""The import of places in the coordinators' admin (``admin/members/place/import/``): upload a
CSV or XLSX file, read the preview (what will be created, what is skipped as a duplicate, what
is invalid and why), confirm. The preview is built again from the same rows on confirmation:
they travel in a signed, compressed field of the confirmation form (``django.core.signing``),
so nothing is stored between the two steps and nothing is uploaded twice."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core import csv as csv_export
from core.admin_pages import admin_page_context, admin_pages
from members.forms.imports import ImportFileForm
from members.models import Activity, PublicServed
from members.services import imports

PAYLOAD_SALT = "members.place-import"
PAYLOAD_MAX_AGE = 6 * 60 * 60  # seconds a preview may be confirmed after the upload
PAYLOAD_MAX_CHARS = 10 * 1024 * 1024  # below DATA_UPLOAD_MAX_MEMORY_SIZE (12 Mo)
SHOWN = 200  # lines shown in each table of the preview


def sign_rows(rows, *, user, filename):
    return signing.dumps(
        {"by": user.pk, "file": filename, "rows": rows}, salt=PAYLOAD_SALT, compress=True
    )


def unsign_rows(payload, *, user):
    """(rows, filename) of a payload signed for ``user``; ``signing.BadSignature`` otherwise
    (tampered with, expired, another coordinator's)."""
    data = signing.loads(payload, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    if data.get("by") != user.pk:
        raise signing.BadSignature("another user's import")
    return data["rows"], data.get("file", "")


class PlaceImportMixin:
    """PlaceAdmin's import pages, and the button to them on the list of places."""

    change_list_template = "admin/members/place/change_list.html"

    def get_urls(self):
        return [
            *admin_pages(
                self,
                ("import/", self.import_view, "members_place_import"),
                ("import/modele.csv", self.import_template_view, "members_place_import_template"),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": imports.may_import(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def _require_import_permission(self, request):
        if not imports.may_import(request.user):
            raise PermissionDenied

    def import_template_view(self, request):
        """The CSV to fill in: the headers, in the coordinator's language."""
        self._require_import_permission(request)
        header = [str(column.label) for column in imports.COLUMNS]
        return csv_export.response(_("modele-import-lieux.csv"), header, [])

    def _context(self, request, **extra):
        return admin_page_context(
            self,
            request,
            columns=imports.COLUMNS,
            activities=Activity.objects.all(),
            publics=PublicServed.objects.all(),
            **extra,
        )

    def _upload_page(self, request, form):
        context = self._context(request, title=_("Importer des lieux"), form=form)
        return TemplateResponse(request, "admin/members/place/import.html", context)

    def _preview_page(self, request, rows, filename, *, ignored=(), form=None):
        analysis = imports.analyse(rows, by=request.user)
        payload = None
        if not analysis.problems and analysis.to_create:
            payload = sign_rows(rows, user=request.user, filename=filename)
            if len(payload) > PAYLOAD_MAX_CHARS:
                payload = None
                messages.error(
                    request,
                    _(
                        "Ce fichier est trop volumineux pour être importé en une fois : découpez-le."
                    ),
                )
        context = self._context(
            request,
            title=_("Importer des lieux : aperçu"),
            analysis=analysis,
            filename=filename,
            ignored=ignored,
            payload=payload,
            form=form or ImportFileForm(),
            problems=analysis.problems[:SHOWN],
            duplicates=analysis.duplicates[:SHOWN],
            to_create=analysis.to_create[:SHOWN],
            shown=SHOWN,
        )
        return TemplateResponse(request, "admin/members/place/import_preview.html", context)

    def import_view(self, request):
        """GET: the upload form. POST a file: the preview. POST ``payload`` with ``confirm``:
        the import itself, then back to the list of places with the counts."""
        self._require_import_permission(request)
        if request.method == "POST" and "payload" in request.POST:
            try:
                rows, filename = unsign_rows(request.POST["payload"], user=request.user)
            except signing.BadSignature:
                messages.error(
                    request,
                    _("Cet aperçu a expiré ou a été modifié : importez le fichier à nouveau."),
                )
                return redirect("admin:members_place_import")
            try:
                result = imports.import_places(rows=rows, by=request.user)
            except imports.ImportRefused as error:
                messages.error(request, error.message)
                return self._preview_page(request, rows, filename)
            messages.success(request, _import_summary(result))
            return redirect(reverse("admin:members_place_changelist") + "?status__exact=applicant")
        if request.method != "POST":
            return self._upload_page(request, ImportFileForm())
        form = ImportFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                sheet = imports.read_file(upload)
            except imports.ImportFileError as error:
                form.add_error("file", error.message)
            else:
                return self._preview_page(request, sheet.rows, upload.name, ignored=sheet.ignored)
        return self._upload_page(request, form)


def _import_summary(result):
    created, skipped = len(result.created), len(result.duplicates)
    return _(
        "%(created)d lieu(x) importé(s) comme candidature(s), %(created)d invitation(s) envoyée(s) "
        "à leurs contacts ; %(skipped)d doublon(s) ignoré(s)."
    ) % {"created": created, "skipped": skipped}
