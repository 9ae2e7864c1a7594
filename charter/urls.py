from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("", views.current, name="current"),
    path("versions/", views.version_list, name="versions"),
    path("versions/<int:number>/", views.version_detail, name="version"),
    path("versions/<int:number>/canonical.json", views.canonical_json, name="canonical"),
    path(
        "versions/<int:number>/canonical/<slug:fingerprint>.json",
        views.canonical_text,
        name="canonical_text",
    ),
    path("versions/<int:a>/diff/<int:b>/", views.version_diff, name="diff"),
]
