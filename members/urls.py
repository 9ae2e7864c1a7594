from django.urls import path

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
    path("espace/<slug:slug>/", places.place_detail, name="place"),
    path("espace/<slug:slug>/modifier/", places.place_edit, name="place_edit"),
    path("espace/<slug:slug>/equipe/", team.team, name="team"),
    path("espace/<slug:slug>/equipe/quitter/", team.leave, name="team_leave"),
    path("espace/<slug:slug>/equipe/<int:pk>/role/", team.change_role, name="team_role"),
    path("espace/<slug:slug>/equipe/<int:pk>/retirer/", team.remove_member, name="team_remove"),
    path(
        "espace/<slug:slug>/invitations/<int:pk>/annuler/",
        team.revoke_invitation,
        name="invitation_revoke",
    ),
    path("espace/<slug:slug>/signer/", signing.sign, name="sign"),
    path("espace/<slug:slug>/regards-pairs/", peers.peer_reviews, name="peer_reviews"),
    path(
        "espace/<slug:slug>/regards-pairs/<int:pk>/accepter/",
        peers.peer_accept,
        name="peer_accept",
    ),
    path(
        "espace/<slug:slug>/regards-pairs/<int:pk>/annuler/",
        peers.peer_revoke,
        name="peer_revoke",
    ),
    path("espace/<slug:slug>/regards-pairs/<int:pk>/", peers.peer_report, name="peer_report"),
    path(
        "espace/<slug:slug>/regards-pairs/<int:pk>/engagements/<slug:key>/",
        peers.peer_commitment,
        name="peer_commitment",
    ),
    path(
        "espace/<slug:slug>/regards-pairs/<int:pk>/engagements/<slug:key>/messages/"
        "<int:message_pk>/",
        peers.peer_message_file,
        name="peer_message_file",
    ),
    path(
        "espace/<slug:slug>/signatures/<int:pk>/certificat/",
        signing.certificate,
        name="certificate",
    ),
    path(
        "espace/<slug:slug>/signatures/<int:pk>/proces-verbal/",
        signing.minutes_file,
        name="signature_minutes",
    ),
    path("verifier/", signing.verify_form, name="verify_form"),
    path("verifier/<str:code>/", signing.verify, name="verify"),
]

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
    path(
        _bilan + "rapport-ag.odt",
        reports.report_general_assembly_odt,
        name="report_general_assembly_odt",
    ),
    path(
        _bilan + "rapport-ag.pdf",
        reports.report_general_assembly_pdf,
        name="report_general_assembly_pdf",
    ),
    path(_bilan + "report-echeance/", reports.extension_request, name="report_extension"),
    path(_bilan + "preuves/<int:pk>/", reports.evidence_file, name="report_evidence"),
    path(_bilan + "engagements/<slug:key>/", threads.commitment, name="report_commitment"),
    path(_bilan + "engagements/<slug:key>/confier/", threads.assign, name="report_assign"),
    path(
        _bilan + "engagements/<slug:key>/messages/<int:pk>/",
        threads.message_file,
        name="report_message_file",
    ),
    path(
        _bilan + "parties/<int:position>/confier/",
        threads.assign_section,
        name="report_assign_section",
    ),
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
