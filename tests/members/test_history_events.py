"""A place's events are stored as codes and read in the reader's language."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from charter.models import CharterVersion
from members import services
from members.history import Reader, describe
from members.models import Membership, Place, PlaceEvent, PlaceTransition, ReportTransition
from members.services import personal_data
from members.services import places as place_services
from members.services import teams as team_services
from members.services.history import record
from tests import factories

Code = PlaceEvent.Code

pytestmark = pytest.mark.django_db


def test_an_event_is_read_in_the_readers_language(place):
    event = record(
        place=place,
        code=PlaceEvent.Code.ROLE_CHANGED,
        person="Camille",
        **{"from": "viewer", "to": "editor"},
    )
    with translation.override("fr"):
        assert event.describe() == "Rôle de Camille : Lecteur·rice → Rédacteur·rice."
    with translation.override("en"):
        assert event.describe() == "Camille’s role: Viewer → Editor."


def test_unknown_codes_are_refused(place):
    with pytest.raises(ValueError):
        record(place=place, code="made_up")
    assert not PlaceEvent.objects.exists()


# --- Every service records its event, in its transaction ---------------------------------------


def events(place, code):
    return list(place.events.filter(code=code).order_by("pk"))


def test_status_changes_are_recorded_with_their_reason(place, national):
    place_services.suspend_place(place=place, by=national, reason="Statuts manquants")
    [event] = events(place, Code.PLACE_STATUS)
    assert event.by == national
    assert event.params == {"from": "member", "to": "suspended", "reason": "Statuts manquants"}
    assert event.describe() == "Statut du lieu : Membre → Suspendue."


def test_registration_is_the_first_event(outsider):
    place = place_services.register_place(place=Place(**_place_fields()), by=outsider)
    [event] = events(place, Code.PLACE_STATUS)
    assert event.describe() == "Inscription du lieu sur le portail (statut : Candidature)."


def _place_fields():
    return {"name": "La Ruche", "legal_name": "Association La Ruche", "postcode": "35000",
            "commune": "Rennes", "rna": "W351234599"}  # fmt: skip


def test_a_refused_change_records_nothing(place, editor):
    with pytest.raises(services.MembersError):
        place_services.suspend_place(place=place, by=editor, reason="Non")
    assert not place.events.exists()


def test_team_events_name_people_never_their_address(place, representative, editor, viewer):
    Role = Membership.Role
    invitation = team_services.invite_member(
        place=place, email="camille@example.org", role=Role.EDITOR, by=representative
    )
    team_services.revoke_invitation(invitation=invitation, by=representative)
    invitation = team_services.invite_member(
        place=place, email="dominique@example.org", role=Role.VIEWER, by=representative
    )
    newcomer = factories.UserFactory(email="dominique@example.org", first_name="Dominique",
                                     last_name="Martin")  # fmt: skip
    team_services.accept_invitation(invitation=invitation, user=newcomer)
    editor_membership = place.memberships.get(user=editor)
    team_services.change_role(membership=editor_membership, role=Role.VIEWER, by=representative)
    team_services.remove_member(membership=editor_membership, by=representative)
    team_services.leave_place(membership=place.memberships.get(user=viewer))
    codes = [e.code for e in place.events.order_by("pk")]
    assert codes == [
        Code.MEMBER_INVITED,
        Code.INVITATION_REVOKED,
        Code.MEMBER_INVITED,
        Code.INVITATION_ACCEPTED,
        Code.ROLE_CHANGED,
        Code.MEMBER_REMOVED,
        Code.MEMBER_LEFT,
    ]
    accepted = events(place, Code.INVITATION_ACCEPTED)[0]
    assert accepted.describe() == "Dominique Martin a rejoint l’équipe comme Lecteur·rice."
    removed = events(place, Code.MEMBER_REMOVED)[0]
    assert removed.params["person"] == editor.get_full_name()
    assert removed.describe() == f"{editor.get_full_name()} a été retiré·e de l’équipe."
    left = events(place, Code.MEMBER_LEFT)[0]
    assert left.by == viewer and left.params["person"] == viewer.get_full_name()
    # The only addresses stored are the invitees', shown to who may see addresses.
    for event in place.events.exclude(code__in=[Code.MEMBER_INVITED, Code.INVITATION_REVOKED]):
        assert "@" not in str(event.params)
    invited = events(place, Code.MEMBER_INVITED)[0]
    assert describe(invited) == "Une personne a été invitée comme Rédacteur·rice."
    assert describe(invited, Reader(show_addresses=True)) == (
        "camille@example.org a été invité·e comme Rédacteur·rice."
    )


def test_an_unnamed_person_is_named_in_the_readers_language(place, representative):
    unnamed = factories.MembershipFactory(
        place=place, role=Membership.Role.VIEWER, user__first_name="", user__last_name=""
    )
    team_services.remove_member(membership=unnamed, by=representative)
    [event] = events(place, Code.MEMBER_REMOVED)
    assert event.params["person"] == ""
    with translation.override("en"):
        assert event.describe() == "Unnamed member was removed from the team."


def test_a_signature_is_recorded(place, representative):
    version = CharterVersion.objects.current()
    factories.sign_with_the_service(
        place, by=representative, signatory_name="Camille Durand", signatory_title="Présidente"
    )
    [event] = events(place, Code.CHARTER_SIGNED)
    with translation.override("en"):
        assert event.describe() == (
            f"The charter (version {version.number}) was signed by Camille Durand (Présidente)."
        )


def test_a_deleted_account_leaves_an_anonymous_departure(place, editor):
    personal_data.delete_account(user=editor)
    [event] = events(place, Code.MEMBER_LEFT)
    assert event.params == {"account_deleted": True} and event.by is None
    assert event.describe() == "Un membre de l’équipe a supprimé son compte."


def test_coordinators_adding_and_changing_members_in_the_admin_are_recorded(
    client, place, national, representative
):
    client.force_login(national)
    newcomer = factories.UserFactory()
    response = client.post(
        reverse("admin:members_membership_add"),
        {"user": newcomer.pk, "place": place.pk, "role": Membership.Role.EDITOR},
    )
    assert response.status_code == 302
    membership = place.memberships.get(user=newcomer)
    response = client.post(
        reverse("admin:members_membership_change", args=[membership.pk]),
        {"role": Membership.Role.VIEWER},
    )
    assert response.status_code == 302
    client.post(reverse("admin:members_membership_delete", args=[membership.pk]), {"post": "yes"})
    codes = [e.code for e in place.events.order_by("pk")]
    assert codes == [Code.MEMBER_ADDED, Code.ROLE_CHANGED, Code.MEMBER_REMOVED]
    assert all(e.by == national for e in place.events.all())


# --- Places that lived before the events: migration 0022 ---------------------------------------


def test_the_migration_brings_earlier_records_into_the_history(place, representative):
    backfill = importlib.import_module(
        "members.migrations.0022_place_events_from_earlier_records"
    ).backfill
    PlaceTransition.objects.create(place=place, from_status="applicant", to_status="member",
                                   reason="Bienvenue", by=representative)  # fmt: skip
    factories.SignatureFactory(place=place, signed_by=representative)
    campaign = factories.CampaignFactory(year=2025)
    report = factories.ReportFactory(place=place, campaign=campaign)
    ReportTransition.objects.create(report=report, from_status="draft", to_status="submitted")
    factories.InvitationFactory(place=place, invited_by=representative, email="x@example.org")
    place.commune = "Saint-Malo"
    place.save()  # a second version of the profile (simple-history)
    backfill(apps, None)
    with translation.override("en"):
        texts = {e.code: e.describe() for e in place.events.all()}
    assert texts[Code.PLACE_STATUS] == "Place status: Applicant → Member."
    assert texts[Code.REPORT_STATUS] == "2025 report: Draft → Submitted."
    assert texts[Code.CHARTER_SIGNED].startswith("The charter (version 1) was signed by Camille")
    assert texts[Code.MEMBER_INVITED] == "Someone was invited as Editor."
    edit = place.events.get(code=Code.PROFILE_EDITED)
    assert edit.params == {"changes": {"commune": ["Rennes", "Saint-Malo"]}}
