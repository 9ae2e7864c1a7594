"""Territorial scope on the real admin site, from the attacker's side.

A territorial coordinator of Bretagne (région 53, plus the Rhône département) reads Rennes and
Lyon; Toulouse (Occitanie, 76) and Marseille (Provence-Alpes-Côte d'Azur, 93) are outside. Every
admin list, change/history/delete page, custom view (review, evidence, reason pages), action and
export answers only for the territory: 404 outside, nothing changed.
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from charter.models import CharterVersion
from members.models import (
    Answer,
    Evidence,
    Extension,
    Indicator,
    IndicatorValue,
    Invitation,
    Membership,
    Place,
    PlaceTransition,
    ReminderLog,
    Report,
    ReportTransition,
    Signature,
)
from members.territory import (
    NATIONAL_GROUP,
    TERRITORIAL_GROUP,
    places_in_scope,
    scope_queryset,
)
from tests import factories

pytestmark = pytest.mark.django_db

ADMIN_NAMESPACE = "admin"
HistoricalPlace = Place.history.model


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"{ADMIN_NAMESPACE}:{opts.app_label}_{opts.model_name}_{view}", args=args)


def records_of(place, campaign, indicator, commitment):
    """One object of every place-related kind the admin shows, for ``place``."""
    signature = factories.SignatureFactory(place=place, signatory_name=f"Signataire {place.name}")
    report = factories.ReportFactory(place=place, campaign=campaign, status=Report.Status.SUBMITTED)
    answer = Answer.objects.create(
        report=report, commitment=commitment, level="2", narrative=f"Récit {place.name}"
    )
    evidence = Evidence.objects.create(
        answer=answer, label="Compte rendu", file=ContentFile(b"%PDF-1.4\n", name="cr.pdf")
    )
    IndicatorValue.objects.create(report=report, indicator=indicator, value=12)
    ReportTransition.objects.create(
        report=report, from_status=Report.Status.DRAFT, to_status=Report.Status.SUBMITTED
    )
    PlaceTransition.objects.create(
        place=place, from_status=Place.Status.APPLICANT, to_status=Place.Status.MEMBER
    )
    return {
        Place: place,
        Signature: signature,
        Report: report,
        Membership: Membership.objects.get(place=place),
        Invitation: factories.InvitationFactory(place=place),
        Extension: Extension.objects.create(
            place=place, campaign=campaign, reason=f"Motif {place.name}"
        ),
        ReminderLog: ReminderLog.objects.create(
            place=place, kind=ReminderLog.Kind.LATE, sent_on="2026-01-01", recipients="x@y.z"
        ),
        HistoricalPlace: place.history.first(),
        Evidence: evidence,
    }


@pytest.fixture
def world(rennes, toulouse):
    campaign = factories.CampaignFactory()
    indicator = Indicator.objects.get(key="benevoles")
    campaign.indicators.add(indicator)
    commitment = CharterVersion.objects.current().commitments.order_by("pk").first()
    return {
        "campaign": campaign,
        "inside": records_of(rennes, campaign, indicator, commitment),
        "outside": records_of(toulouse, campaign, indicator, commitment),
    }


# Every admin of place data: its list must hold Rennes' rows and never Toulouse's.
SCOPED_MODELS = [
    Place,
    Signature,
    Report,
    Membership,
    Invitation,
    Extension,
    ReminderLog,
    HistoricalPlace,
]


# --- The rule ---------------------------------------------------------------------------------


def test_groups_created_by_the_data_migration():
    national = Group.objects.get(name=NATIONAL_GROUP)
    territorial = Group.objects.get(name=TERRITORIAL_GROUP)
    assert national.permissions.filter(codename="delete_place").exists()
    assert national.permissions.filter(codename="change_charterversion").exists()
    codenames = set(territorial.permissions.values_list("codename", flat=True))
    assert {"view_place", "change_place", "view_signature", "change_report"} <= codenames
    assert {"view_reportingcampaign", "view_membership"} <= codenames
    assert "delete_place" not in codenames
    assert "change_membership" not in codenames
    assert "change_reportingcampaign" not in codenames
    assert "change_coordinatorscope" not in codenames


def test_scope_by_region_or_departement(
    territorial, national, unscoped_staff, rennes, lyon, marseille, toulouse
):
    assert set(places_in_scope(territorial)) == {rennes, lyon}
    assert set(places_in_scope(national)) == {rennes, lyon, marseille, toulouse}
    assert list(places_in_scope(unscoped_staff)) == []
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    assert set(places_in_scope(superuser)) == {rennes, lyon, marseille, toulouse}
    member = factories.UserFactory()  # not staff: never a coordinator
    assert list(places_in_scope(member)) == []


def test_scope_follows_relations(territorial, rennes, toulouse):
    inside = factories.SignatureFactory(place=rennes)
    factories.SignatureFactory(place=toulouse)
    assert list(scope_queryset(territorial, Signature.objects.all())) == [inside]


# --- Lists --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m._meta.model_name)
def test_every_list_shows_only_the_territory(client, territorial, world, model):
    client.force_login(territorial)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Le Rennais" in content
    assert "Le Toulousain" not in content


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m._meta.model_name)
def test_national_coordinator_lists_everything(client, national, world, model):
    client.force_login(national)
    content = client.get(admin_url(model, "changelist")).content.decode()
    assert "Le Rennais" in content and "Le Toulousain" in content


def test_campaign_counts_only_the_territory(client, territorial, national, world):
    # Both places sent a report; the territorial coordinator counts only Rennes'.
    url = admin_url(type(world["campaign"]), "changelist")
    client.force_login(territorial)
    assert '<td class="field-report_count">1 / 1</td>' in client.get(url).content.decode()
    client.force_login(national)
    assert '<td class="field-report_count">2 / 2</td>' in client.get(url).content.decode()


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
    assert "Haute-Garonne" not in content


@pytest.mark.parametrize("model", [Place, Signature, Report, Membership, Invitation, Extension])
def test_filtering_on_a_region_outside_shows_nothing(client, territorial, world, model):
    client.force_login(territorial)
    param = "region" if model is Place else "place__region"
    response = client.get(admin_url(model, "changelist"), {param: "76"})
    assert "Le Toulousain" not in response.content.decode()


# --- Object pages: 404 outside -------------------------------------------------------------------


OBJECT_VIEWS = [
    (model, view)
    for model in SCOPED_MODELS
    for view in ("change", "history", "delete")
    if not (model is HistoricalPlace and view == "history")
]


@pytest.mark.parametrize(
    "model,view", OBJECT_VIEWS, ids=lambda v: v if isinstance(v, str) else v._meta.model_name
)
def test_object_pages_outside_the_territory_are_404(client, territorial, world, model, view):
    client.force_login(territorial)
    outside = world["outside"][model]
    assert client.get(admin_url(model, view, outside.pk)).status_code == 404
    assert client.post(admin_url(model, view, outside.pk), {"name": "Piratée"}).status_code == 404
    inside = world["inside"][model]
    # Territorial coordinators read inside; they never delete.
    expected = 403 if view == "delete" else 200
    assert client.get(admin_url(model, view, inside.pk)).status_code == expected


def test_posting_a_change_outside_changes_nothing(client, territorial, world, toulouse):
    client.force_login(territorial)
    response = client.post(admin_url(Place, "change", toulouse.pk), {"name": "Piratée"})
    assert response.status_code == 404
    toulouse.refresh_from_db()
    assert toulouse.name == "Le Toulousain"


def test_profile_history_pages_outside_are_404(client, territorial, world, rennes, toulouse):
    """simple-history's own pages: the list of versions and one version of the profile."""
    client.force_login(territorial)
    for place, expected in ((toulouse, 404), (rennes, 200)):
        record = place.history.first()
        url = reverse("admin:members_place_simple_history", args=[place.pk, record.pk])
        assert client.get(url).status_code == expected, place
        assert client.get(admin_url(Place, "history", place.pk)).status_code == expected


def test_review_screen_outside_is_404_and_decides_nothing(client, territorial, world):
    client.force_login(territorial)
    inside, outside = world["inside"][Report], world["outside"][Report]
    url = reverse("admin:members_report_review", args=[outside.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"decision": "request_changes", "message": "Piraté"})
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.status == Report.Status.SUBMITTED
    assert not outside.transitions.filter(to_status=Report.Status.CHANGES_REQUESTED).exists()
    inside_url = reverse("admin:members_report_review", args=[inside.pk])
    response = client.get(inside_url)
    assert response.status_code == 200
    assert "Récit Le Rennais" in response.content.decode()
    response = client.post(inside_url, {"decision": "request_changes", "message": "À compléter"})
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.status == Report.Status.CHANGES_REQUESTED


def test_evidence_outside_is_404(client, territorial, world):
    client.force_login(territorial)
    for side, expected in (("outside", 404), ("inside", 200)):
        evidence = world[side][Evidence]
        report = world[side][Report]
        url = reverse("admin:members_report_evidence", args=[report.pk, evidence.pk])
        assert client.get(url).status_code == expected, side
    # An inside report's URL with an outside file: still 404.
    url = reverse(
        "admin:members_report_evidence",
        args=[world["inside"][Report].pk, world["outside"][Evidence].pk],
    )
    assert client.get(url).status_code == 404


def test_charter_pages_are_national_only(client, territorial):
    client.force_login(territorial)
    version = CharterVersion.objects.current()
    assert client.get(reverse("admin:charter_charterversion_changelist")).status_code == 200
    publish = reverse("admin:charter_charterversion_publish", args=[version.pk])
    assert client.get(publish).status_code == 403
    new_draft = reverse("admin:charter_charterversion_new_draft", args=[version.pk])
    assert client.post(new_draft).status_code == 403
    assert CharterVersion.objects.count() == 1


# --- Actions: nothing outside changes -------------------------------------------------------------


def _select(client, model, action, objects, **extra):
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
    )


PLACE_ACTIONS = [
    # (action, starting status, status after, needs a reason)
    ("approve", Place.Status.APPLICANT, Place.Status.MEMBER, False),
    ("reject", Place.Status.APPLICANT, Place.Status.REJECTED, True),
    ("suspend", Place.Status.MEMBER, Place.Status.SUSPENDED, True),
    ("reinstate", Place.Status.SUSPENDED, Place.Status.MEMBER, False),
    ("withdraw", Place.Status.MEMBER, Place.Status.WITHDRAWN, False),
]


@pytest.mark.parametrize("action,start,after,with_reason", PLACE_ACTIONS)
def test_place_actions_act_only_inside(
    client, territorial, rennes, toulouse, action, start, after, with_reason
):
    Place.objects.filter(pk__in=[rennes.pk, toulouse.pk]).update(status=start)
    client.force_login(territorial)
    if with_reason:
        # The reason page lists only the places of the territory.
        page = _select(client, Place, action, [rennes, toulouse])
        assert page.status_code == 200
        content = page.content.decode()
        assert "Le Rennais" in content and "Le Toulousain" not in content
        response = _select(
            client, Place, action, [rennes, toulouse], apply="1", reason="Motif sérieux"
        )
    else:
        response = _select(client, Place, action, [rennes, toulouse])
    assert response.status_code == 302
    rennes.refresh_from_db()
    toulouse.refresh_from_db()
    assert rennes.status == after
    assert toulouse.status == start
    assert not PlaceTransition.objects.filter(place=toulouse).exists()


def test_remind_action_only_reminds_the_territory(
    client, territorial, rennes, toulouse, mailoutbox
):
    factories.CampaignFactory()
    client.force_login(territorial)
    _select(client, Place, "remind_action", [rennes, toulouse])
    assert list(ReminderLog.objects.values_list("place", flat=True)) == [rennes.pk]
    assert ReminderLog.objects.get().sent_by == territorial
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("action", ["grant", "refuse"])
def test_extension_actions_act_only_inside(client, territorial, world, action):
    inside, outside = world["inside"][Extension], world["outside"][Extension]
    client.force_login(territorial)
    response = _select(client, Extension, action, [inside, outside], due_on="2030-01-31")
    assert response.status_code == 302
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.status != Extension.Status.PENDING
    assert outside.status == Extension.Status.PENDING and outside.decided_by is None


# --- Exports ----------------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "name,column",
    [("places", "Nom"), ("signatures", "Lieu"), ("reports", "Lieu"), ("indicators", "Lieu")],
)
def test_exports_hold_only_the_territory(client, territorial, national, world, name, column):
    url = reverse(f"coordination_exports:{name}")
    params = {"campagne": world["campaign"].pk} if name in ("reports", "indicators") else {}
    client.force_login(territorial)
    assert {row[column] for row in read_csv(client.get(url, params))} == {"Le Rennais"}
    client.force_login(national)
    assert {row[column] for row in read_csv(client.get(url, params))} == {
        "Le Rennais",
        "Le Toulousain",
    }


# --- Coordination admins ----------------------------------------------------------------------


def test_coordinator_scope_admin_form(client, coordinator):
    # Superusers manage scopes (never a coordinator: issue #13); the form offers checkboxes.
    client.force_login(coordinator)
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


def test_coordinator_scope_needs_a_territory(client, coordinator):
    client.force_login(coordinator)
    target = factories.UserFactory(is_staff=True)
    response = client.post(reverse("admin:members_coordinatorscope_add"), {"user": target.pk})
    assert response.status_code == 200
    assert "Cochez au moins une région ou un département." in response.content.decode()


def test_territorial_coordinator_cannot_manage_scopes(client, territorial):
    client.force_login(territorial)
    assert client.get(reverse("admin:members_coordinatorscope_changelist")).status_code == 403
