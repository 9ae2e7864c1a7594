"""/api/v1/: the read-only JSON API, its OpenAPI schema and its documentation page."""

from django.urls import path, re_path
from django.views.generic import TemplateView

from . import problems, views

app_name = "api"

urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("places/", views.PlaceList.as_view(), name="place-list"),
    path("places/<slug:slug>/", views.PlaceDetail.as_view(), name="place-detail"),
    path("signatures/", views.SignatureList.as_view(), name="signature-list"),
    path("signatures/<str:code>/", views.SignatureDetail.as_view(), name="signature-detail"),
    path("charter/versions/", views.CharterVersionList.as_view(), name="charter-version-list"),
    path(
        "charter/versions/<int:number>/",
        views.CharterVersionDetail.as_view(),
        name="charter-version-detail",
    ),
    path("reports/", views.ReportList.as_view(), name="report-list"),
    path("reports/<slug:slug>/<int:year>/", views.ReportDetail.as_view(), name="report-detail"),
    path("observatory/", views.ObservatoryCampaigns.as_view(), name="observatory"),
    path(
        "observatory/<int:year>/",
        views.ObservatoryCampaign.as_view(),
        name="observatory-campaign",
    ),
    path("schema/", views.Schema.as_view(), name="schema"),
    path("docs/", TemplateView.as_view(template_name="members/api/docs.html"), name="docs"),
    re_path(r"^.*$", problems.not_found),
]
