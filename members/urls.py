from django.urls import path

from .views import directory, portal, reports

app_name = "members"

urlpatterns = [
    path("espace/", portal.dashboard, name="dashboard"),
    path("annuaire/", directory.directory, name="directory"),
]

# --- Reports on commitments (issue 5) ---------------------------------------------------------
_bilan = "espace/<slug:slug>/bilans/<int:year>/"
urlpatterns += [
    path("espace/<slug:slug>/bilans/", reports.report_list, name="report_list"),
    path(
        "espace/<slug:slug>/bilans/apercu-markdown/",
        reports.markdown_preview,
        name="report_markdown_preview",
    ),
    path(_bilan, reports.report_detail, name="report_detail"),
    path(_bilan + "commencer/", reports.report_start, name="report_start"),
    path(_bilan + "parties/<int:position>/", reports.report_section, name="report_section"),
    path(_bilan + "indicateurs/", reports.report_indicators, name="report_indicators"),
    path(_bilan + "apercu/", reports.report_preview, name="report_preview"),
    path(_bilan + "envoyer/", reports.report_submit, name="report_submit"),
    path(_bilan + "publication/", reports.report_publication, name="report_publication"),
    path(_bilan + "imprimer/", reports.report_print, name="report_print"),
    path(_bilan + "pdf/", reports.report_pdf, name="report_pdf"),
    path(_bilan + "report-echeance/", reports.extension_request, name="report_extension"),
    path(_bilan + "preuves/<int:pk>/", reports.evidence_file, name="report_evidence"),
]
