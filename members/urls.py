from django.urls import path

from .views import account, directory, history, portal

app_name = "members"

urlpatterns = [
    path("espace/", portal.dashboard, name="dashboard"),
    # Coordination issue: personal data and place history ("compte" before espace/<slug>/).
    path("espace/compte/", account.account, name="account"),
    path("espace/compte/mes-donnees.json", account.account_data, name="account_data"),
    path("espace/compte/supprimer/", account.account_delete, name="account_delete"),
    path("espace/<slug:slug>/historique/", history.place_history, name="place_history"),
    path("annuaire/", directory.directory, name="directory"),
]
