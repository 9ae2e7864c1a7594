"""/api/v1/: the read-only JSON API, its OpenAPI schema and its documentation page."""

from django.urls import path, re_path
from django.views.generic import TemplateView

from . import problems, views

app_name = "api"


def collection(prefix, name, list_view, detail_view, detail_route):
    """A collection at ``prefix`` (URL name ``<name>-list``) and each of its items at
    ``prefix + detail_route`` (``<name>-detail``)."""
    return [
        path(prefix, list_view.as_view(), name=f"{name}-list"),
        path(prefix + detail_route, detail_view.as_view(), name=f"{name}-detail"),
    ]


urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    *collection("places/", "place", views.PlaceList, views.PlaceDetail, "<slug:slug>/"),
    *collection(
        "signatures/", "signature", views.SignatureList, views.SignatureDetail, "<str:code>/"
    ),
    *collection(
        "charter/versions/",
        "charter-version",
        views.CharterVersionList,
        views.CharterVersionDetail,
        "<int:number>/",
    ),
    *collection(
        "reports/", "report", views.ReportList, views.ReportDetail, "<slug:slug>/<int:year>/"
    ),
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
