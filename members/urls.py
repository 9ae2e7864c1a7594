from django.urls import path

from .views import directory, portal

app_name = "members"

urlpatterns = [
    path("espace/", portal.dashboard, name="dashboard"),
    path("annuaire/", directory.directory, name="directory"),
]
