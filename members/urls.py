from django.urls import include, path

from .views import (
    account,
    brochure,
    datapackage,
    directory,
    history,
    observatory,
    opendata,
    peers,
    places,
    portal,
    reports,
    signing,
    team,
    threads,
)

app_name = "members"

report = [  # /espace/<slug>/bilans/<year>/…
    path("", reports.report_detail, name="report_detail"),
    path("commencer/", reports.report_start, name="report_start"),
    path("parties/<int:position>/", reports.report_section, name="report_section"),
    path("parties/<int:position>/confier/", threads.assign_section, name="report_assign_section"),
    path("indicateurs/", reports.report_indicators, name="report_indicators"),
    path("apercu/", reports.report_preview, name="report_preview"),
    path("envoyer/", reports.report_submit, name="report_submit"),
    path("publication/", reports.report_publication, name="report_publication"),
    path("imprimer/", reports.report_print, name="report_print"),
    path("pdf/", reports.report_pdf, name="report_pdf"),
    path("rapport-ag.odt", reports.report_general_assembly_odt, name="report_general_assembly_odt"),
    path("rapport-ag.pdf", reports.report_general_assembly_pdf, name="report_general_assembly_pdf"),
    path("report-echeance/", reports.extension_request, name="report_extension"),
    path("preuves/<int:pk>/", reports.evidence_file, name="report_evidence"),
    path("engagements/<slug:key>/", threads.commitment, name="report_commitment"),
    path("engagements/<slug:key>/confier/", threads.assign, name="report_assign"),
    path(
        "engagements/<slug:key>/messages/<int:pk>/",
        threads.message_file,
        name="report_message_file",
    ),
]

peer_review = [  # /espace/<slug>/regards-pairs/<pk>/…
    path("", peers.peer_report, name="peer_report"),
    path("accepter/", peers.peer_accept, name="peer_accept"),
    path("annuler/", peers.peer_revoke, name="peer_revoke"),
    path("engagements/<slug:key>/", peers.peer_commitment, name="peer_commitment"),
    path(
        "engagements/<slug:key>/messages/<int:message_pk>/",
        peers.peer_message_file,
        name="peer_message_file",
    ),
]

place = [  # /espace/<slug>/…
    path("", places.place_detail, name="place"),
    path("modifier/", places.place_edit, name="place_edit"),
    path("equipe/", team.team, name="team"),
    path("equipe/quitter/", team.leave, name="team_leave"),
    path("equipe/<int:pk>/role/", team.change_role, name="team_role"),
    path("equipe/<int:pk>/retirer/", team.remove_member, name="team_remove"),
    path("invitations/<int:pk>/annuler/", team.revoke_invitation, name="invitation_revoke"),
    path("signer/", signing.sign, name="sign"),
    path("signatures/<int:pk>/certificat/", signing.certificate, name="certificate"),
    path("signatures/<int:pk>/proces-verbal/", signing.minutes_file, name="signature_minutes"),
    path("regards-pairs/", peers.peer_reviews, name="peer_reviews"),
    path("regards-pairs/<int:pk>/", include(peer_review)),
    path("bilans/", reports.report_list, name="report_list"),
    path("bilans/apercu-markdown/", reports.markdown_preview, name="report_markdown_preview"),
    path("bilans/<int:year>/", include(report)),
]

urlpatterns = [
    path("espace/", portal.dashboard, name="dashboard"),
    path("espace/compte/", account.account, name="account"),
    path("espace/compte/notifications/", threads.notifications, name="notifications"),
    path("espace/mes-engagements/", threads.my_commitments, name="my_commitments"),
    path("espace/compte/mes-donnees.json", account.account_data, name="account_data"),
    path("espace/compte/supprimer/", account.account_delete, name="account_delete"),
    path("espace/<slug:slug>/historique/", history.place_history, name="place_history"),
    path("espace/inscrire/", places.register, name="register"),
    path("espace/inscrire/rejoindre/", places.join_request, name="join_request"),
    path("espace/invitation/<str:token>/", team.invitation, name="invitation"),
    path("espace/<slug:slug>/", include(place)),
    path("verifier/", signing.verify_form, name="verify_form"),
    path("verifier/<str:code>/", signing.verify, name="verify"),
    path("annuaire/", directory.directory, name="directory"),
    path("annuaire/export.csv", opendata.export_csv, name="export_csv"),
    path("annuaire/export.json", opendata.export_json, name="export_json"),
    path("annuaire/export.geojson", opendata.export_geojson, name="export_geojson"),
    path("annuaire/<slug:slug>/", directory.place_detail, name="public_place"),
    path("donnees/", opendata.opendata, name="opendata"),
    path("donnees/datapackage.json", datapackage.datapackage, name="datapackage"),
    path("observatoire/", observatory.observatory, name="observatory"),
    path("observatoire/plaquette.pdf", brochure.brochure, name="observatory_brochure"),
]
