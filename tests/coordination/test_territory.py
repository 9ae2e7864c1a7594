"""Territorial scope, from the attacker's side: lists, change pages, actions, filters."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from members.models import Place, ReminderLog, Report, Signature
from members.territory import (
    NATIONAL_GROUP,
    TERRITORIAL_GROUP,
    places_in_scope,
    scope_queryset,
)
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.coordination.urls")]

# The lead points this at the real admin ("admin") once the mixin is on the real admins.
ADMIN_NAMESPACE = "scoped"


def admin_url(model, view, *args):
    return reverse(f"{ADMIN_NAMESPACE}:members_{model._meta.model_name}_{view}", args=args)


# --- The rule ---------------------------------------------------------------------------------


def test_groups_created_by_the_data_migration():
    national = Group.objects.get(name=NATIONAL_GROUP)
    territorial = Group.objects.get(name=TERRITORIAL_GROUP)
    assert national.permissions.filter(codename="delete_place").exists()
    assert national.permissions.filter(codename="change_charterversion").exists()
    codenames = set(territorial.permissions.values_list("codename", flat=True))
    assert {"view_place", "change_place", "view_signature", "change_report"} <= codenames
    assert {"view_reportingcampaign"} <= codenames
    assert "delete_place" not in codenames
    assert "change_reportingcampaign" not in codenames
    assert "change_coordinatorscope" not in codenames


def test_scope_by_region_or_departement(
    territorial, national, unscoped_staff, rennes, lyon, marseille
):
    assert set(places_in_scope(territorial)) == {rennes, lyon}
    assert set(places_in_scope(national)) == {rennes, lyon, marseille}
    assert list(places_in_scope(unscoped_staff)) == []
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    assert set(places_in_scope(superuser)) == {rennes, lyon, marseille}
    member = factories.UserFactory()  # not staff: never a coordinator
    assert list(places_in_scope(member)) == []


def test_scope_follows_relations(territorial, rennes, marseille):
    inside = factories.SignatureFactory(place=rennes)
    factories.SignatureFactory(place=marseille)
    assert list(scope_queryset(territorial, Signature.objects.all())) == [inside]


# --- Admin lists --------------------------------------------------------------------------------


def test_lists_show_only_the_territory(client, territorial, rennes, lyon, marseille):
    factories.SignatureFactory(place=rennes)
    factories.SignatureFactory(place=marseille)
    factories.ReportFactory(place=rennes)
    factories.ReportFactory(place=marseille)
    client.force_login(territorial)
    for model in (Place, Signature, Report):
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model
        content = response.content.decode()
        assert "Le Rennais" in content
        assert "La Marseillaise" not in content


def test_national_coordinator_sees_everything(client, national, rennes, marseille):
    client.force_login(national)
    content = client.get(admin_url(Place, "changelist")).content.decode()
    assert "Le Rennais" in content and "La Marseillaise" in content


def test_staff_without_scope_sees_nothing(client, unscoped_staff, rennes):
    client.force_login(unscoped_staff)
    response = client.get(admin_url(Place, "changelist"))
    assert response.status_code == 200
    assert "Le Rennais" not in response.content.decode()


def test_region_filter_offers_only_the_territory(client, territorial, rennes):
    client.force_login(territorial)
    content = client.get(admin_url(Place, "changelist")).content.decode()
    assert "Bretagne" in content
    assert "Auvergne-Rhône-Alpes" in content  # the Rhône's région
    assert "Occitanie" not in content
    assert "Bouches-du-Rhône" not in content


def test_filtering_on_a_region_outside_shows_nothing(client, territorial, marseille):
    client.force_login(territorial)
    response = client.get(admin_url(Place, "changelist"), {"region": "93"})
    assert "La Marseillaise" not in response.content.decode()


# --- Change pages: 404 outside --------------------------------------------------------------------


def _objects(rennes, marseille):
    return {
        "inside": [
            (Place, rennes),
            (Signature, factories.SignatureFactory(place=rennes)),
            (Report, factories.ReportFactory(place=rennes)),
        ],
        "outside": [
            (Place, marseille),
            (Signature, factories.SignatureFactory(place=marseille)),
            (Report, factories.ReportFactory(place=marseille)),
        ],
    }


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_object_pages_outside_the_territory_are_404(client, territorial, rennes, marseille, view):
    objects = _objects(rennes, marseille)
    client.force_login(territorial)
    for model, obj in objects["outside"]:
        assert client.get(admin_url(model, view, obj.pk)).status_code == 404, (model, view)
    if view != "delete":  # territorial coordinators may not delete
        for model, obj in objects["inside"]:
            assert client.get(admin_url(model, view, obj.pk)).status_code == 200, (model, view)


def test_posting_a_change_outside_changes_nothing(client, territorial, marseille):
    client.force_login(territorial)
    response = client.post(admin_url(Place, "change", marseille.pk), {"name": "Piratée"})
    assert response.status_code == 404
    marseille.refresh_from_db()
    assert marseille.name == "La Marseillaise"


def test_foreign_key_choices_limited_to_the_territory(
    client, national, territorial, rennes, marseille
):
    report = factories.ReportFactory(place=rennes)
    client.force_login(territorial)
    content = client.get(admin_url(Report, "change", report.pk)).content.decode()
    assert "La Marseillaise" not in content


# --- Actions: nothing outside changes -------------------------------------------------------------


def test_action_on_places_outside_changes_nothing(client, territorial, rennes, marseille):
    client.force_login(territorial)
    response = client.post(
        admin_url(Place, "changelist"),
        {"action": "hide_from_directory", "_selected_action": [rennes.pk, marseille.pk]},
    )
    assert response.status_code == 302
    rennes.refresh_from_db()
    marseille.refresh_from_db()
    assert rennes.is_public is False
    assert marseille.is_public is True


def test_report_action_outside_changes_nothing(client, territorial, rennes, marseille):
    inside = factories.ReportFactory(place=rennes, status=Report.Status.SUBMITTED)
    outside = factories.ReportFactory(place=marseille, status=Report.Status.SUBMITTED)
    client.force_login(territorial)
    client.post(
        admin_url(Report, "changelist"),
        {"action": "approve", "_selected_action": [inside.pk, outside.pk]},
    )
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.status == Report.Status.APPROVED
    assert outside.status == Report.Status.SUBMITTED


def test_remind_action_only_reminds_the_territory(
    client, territorial, rennes, marseille, mailoutbox
):
    factories.CampaignFactory()
    client.force_login(territorial)
    client.post(
        admin_url(Place, "changelist"),
        {"action": "remind_action", "_selected_action": [rennes.pk, marseille.pk]},
    )
    assert list(ReminderLog.objects.values_list("place", flat=True)) == [rennes.pk]
    assert ReminderLog.objects.get().sent_by == territorial
    assert len(mailoutbox) == 1


# --- Coordination admins on the real site ---------------------------------------------------------


def test_reminder_log_and_history_admins_are_scoped(client, territorial, rennes, marseille):
    for place in (rennes, marseille):
        ReminderLog.objects.create(
            place=place, kind=ReminderLog.Kind.LATE, sent_on="2026-01-01", recipients="x@y.z"
        )
    client.force_login(territorial)
    content = client.get(reverse("admin:members_reminderlog_changelist")).content.decode()
    assert "Le Rennais" in content and "La Marseillaise" not in content
    content = client.get(reverse("admin:members_historicalplace_changelist")).content.decode()
    assert "Le Rennais" in content and "La Marseillaise" not in content
    outside = ReminderLog.objects.get(place=marseille)
    assert (
        client.get(reverse("admin:members_reminderlog_change", args=[outside.pk])).status_code
        == 404
    )
    record = marseille.history.first()
    url = reverse("admin:members_historicalplace_change", args=[record.pk])
    assert client.get(url).status_code == 404


def test_coordinator_scope_admin_form(client, national):
    # National coordinators manage scopes; the form offers checkboxes.
    client.force_login(national)
    assert Permission.objects.filter(codename="add_coordinatorscope").exists()
    response = client.get(reverse("admin:members_coordinatorscope_add"))
    assert response.status_code == 200
    assert 'type="checkbox" name="regions" value="53"' in response.content.decode()
    target = factories.UserFactory(is_staff=True)
    response = client.post(
        reverse("admin:members_coordinatorscope_add"),
        {"user": target.pk, "regions": ["53", "11"], "departements": ["2A"]},
    )
    assert response.status_code == 302
    assert target.coordinator_scope.regions == ["53", "11"]
    assert target.coordinator_scope.departements == ["2A"]


def test_coordinator_scope_needs_a_territory(client, national):
    client.force_login(national)
    target = factories.UserFactory(is_staff=True)
    response = client.post(reverse("admin:members_coordinatorscope_add"), {"user": target.pk})
    assert response.status_code == 200
    assert "Cochez au moins une région ou un département." in response.content.decode()


def test_territorial_coordinator_cannot_manage_scopes(client, territorial):
    client.force_login(territorial)
    assert client.get(reverse("admin:members_coordinatorscope_changelist")).status_code == 403
