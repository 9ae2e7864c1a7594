from django.urls import path

from .views import directory, observatory, opendata, portal

app_name = "members"

urlpatterns = [
    path("espace/", portal.dashboard, name="dashboard"),
    # --- Public directory, open data and observatory (directory issue) ---------------------
    path("annuaire/", directory.directory, name="directory"),
    path("annuaire/export.csv", opendata.export_csv, name="export_csv"),
    path("annuaire/export.json", opendata.export_json, name="export_json"),
    path("annuaire/export.geojson", opendata.export_geojson, name="export_geojson"),
    path("annuaire/<slug:slug>/", directory.place_detail, name="place"),
    path("donnees/", opendata.opendata, name="opendata"),
    path("observatoire/", observatory.observatory, name="observatory"),
    # --- end of the directory block ---------------------------------------------------------
]
