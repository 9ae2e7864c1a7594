"""Teams: invitations (lifecycle, expiry), roles, removal, leaving, the last representative."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Activity, Invitation, Membership
from members.services import teams as team_services
from tests import factories

pytestmark = pytest.mark.django_db

Role = Membership.Role


def team_url(place):
    return reverse("members:team", args=[place.slug])


def test_team_page_lists_members_and_pending_invitations(
    client, place, representative, editor, viewer, django_assert_num_queries
):
    factories.InvitationFactory(place=place, email="pending@example.org")
    factories.InvitationFactory(place=place, email="used@example.org", accepted_at=timezone.now())
    client.force_login(representative)
    # session, user, membership + place, members with users, pending invitations with inviter
    with django_assert_num_queries(5):
        response = client.get(team_url(place))
    html = response.content.decode()
    for user in (representative, editor, viewer):
        assert user.email in html
    assert "pending@example.org" in html
    assert "used@example.org" not in html


def test_viewer_sees_team_without_management(client, place, viewer):
    factories.InvitationFactory(place=place, email="pending@example.org")
    client.force_login(viewer)
    html = client.get(team_url(place)).content.decode()
    assert "pending@example.org" not in html
    assert 'name="role"' not in html


def test_invite_sends_link_valid_fourteen_days(
    client, place, representative, django_capture_on_commit_callbacks
):
    client.force_login(representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            team_url(place), {"email": "Nouvelle@Example.org", "role": Role.EDITOR}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == Role.EDITOR and invitation.invited_by == representative
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    assert mail.outbox[0].to == ["Nouvelle@Example.org"]
    assert reverse("members:invitation", args=[invitation.token]) in mail.outbox[0].body


def test_invite_bad_email_keeps_input(client, place, representative):
    client.force_login(representative)
    response = client.post(team_url(place), {"email": "pas-une-adresse", "role": Role.VIEWER})
    assert response.status_code == 400
    assert 'value="pas-une-adresse"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_invite_existing_member_is_refused(client, place, representative, editor):
    client.force_login(representative)
    response = client.post(team_url(place), {"email": editor.email.upper(), "role": Role.VIEWER})
    assert response.status_code == 400
    assert "déjà partie" in response.content.decode()


def test_editor_cannot_invite(client, place, editor):
    client.force_login(editor)
    response = client.post(team_url(place), {"email": "x@example.org", "role": Role.VIEWER})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_reinviting_replaces_pending_invitation(place, representative):
    first = team_services.invite_member(
        place=place, email="a@example.org", role=Role.VIEWER, by=representative
    )
    team_services.invite_member(
        place=place, email="A@example.org", role=Role.EDITOR, by=representative
    )
    first.refresh_from_db()
    assert first.revoked_at is not None


# --- Accepting -------------------------------------------------------------------------------


@pytest.fixture
def invitation(place, representative):
    return team_services.invite_member(
        place=place, email="Invitee@Example.org", role=Role.EDITOR, by=representative
    )


def invitation_url(invitation):
    return reverse("members:invitation", args=[invitation.token])


def test_anonymous_is_offered_login_and_signup_with_next(client, invitation):
    response = client.get(invitation_url(invitation))
    html = response.content.decode()
    assert response.status_code == 200
    next_param = f"next=%2Fespace%2Finvitation%2F{invitation.token}%2F"
    assert f"{reverse('account_login')}?{next_param}" in html
    assert f"{reverse('account_signup')}?{next_param}" in html


def test_accept_with_same_address_case_insensitive(client, invitation, place):
    invitee = factories.UserFactory(email="invitee@example.org")
    client.force_login(invitee)
    assert client.get(invitation_url(invitation)).status_code == 200
    response = client.post(invitation_url(invitation))
    assert response.status_code == 302
    assert response.url == reverse("members:place", args=[place.slug])
    assert Membership.objects.get(place=place, user=invitee).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee and invitation.accepted_at


def test_login_then_back_to_invitation(client, invitation, place):
    factories.UserFactory(email="invitee@example.org")
    response = client.post(
        f"{reverse('account_login')}?next={invitation_url(invitation)}",
        {"login": "invitee@example.org", "password": "motdepasse-solide-42"},
    )
    assert response.status_code == 302
    assert response.url == invitation_url(invitation)


def test_other_address_changes_nothing(client, invitation, place, outsider):
    client.force_login(outsider)
    response = client.get(invitation_url(invitation))
    assert "pas celle de l’invitation" in response.content.decode()
    response = client.post(invitation_url(invitation), follow=True)
    assert "autre adresse" in response.content.decode()
    assert not place.memberships.filter(user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_expired_invitation(client, place, representative):
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=14, minutes=1)):
        expired = team_services.invite_member(
            place=place, email="invitee@example.org", role=Role.EDITOR, by=representative
        )
    invitee = factories.UserFactory(email="invitee@example.org")
    client.force_login(invitee)
    response = client.post(invitation_url(expired))
    assert response.status_code == 410
    assert "a expiré" in response.content.decode()
    assert not place.memberships.filter(user=invitee).exists()
    expired.refresh_from_db()
    assert expired.accepted_at is None


def test_invitation_still_valid_on_day_thirteen(client, place, representative):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=13)):
        invitation = team_services.invite_member(
            place=place, email="invitee@example.org", role=Role.EDITOR, by=representative
        )
    invitee = factories.UserFactory(email="invitee@example.org")
    client.force_login(invitee)
    assert client.post(invitation_url(invitation)).status_code == 302
    assert place.memberships.filter(user=invitee).exists()


def test_used_invitation_cannot_be_reused(client, invitation, place):
    invitee = factories.UserFactory(email="invitee@example.org")
    team_services.accept_invitation(invitation=invitation, user=invitee)
    client.force_login(invitee)
    response = client.post(invitation_url(invitation))
    assert response.status_code == 410
    assert "déjà été utilisée" in response.content.decode()
    assert place.memberships.filter(user=invitee).count() == 1


def test_revoked_invitation(client, invitation, place, representative):
    client.force_login(representative)
    url = reverse("members:invitation_revoke", args=[place.slug, invitation.pk])
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at
    invitee = factories.UserFactory(email="invitee@example.org")
    client.force_login(invitee)
    response = client.post(invitation_url(invitation))
    assert response.status_code == 410 and "annulée" in response.content.decode()
    assert not place.memberships.filter(user=invitee).exists()


def test_unknown_token_is_404(client):
    assert client.get(reverse("members:invitation", args=["nope"])).status_code == 404


def test_cannot_revoke_another_places_invitation(client, representative, outsider):
    other = factories.InvitationFactory()
    client.force_login(representative)
    place = representative.memberships.get().place
    url = reverse("members:invitation_revoke", args=[place.slug, other.pk])
    assert client.post(url).status_code == 404


# --- Roles, removal, leaving ----------------------------------------------------------------


def test_change_role(client, place, representative, viewer):
    client.force_login(representative)
    membership = place.memberships.get(user=viewer)
    url = reverse("members:team_role", args=[place.slug, membership.pk])
    assert client.post(url, {"role": Role.EDITOR}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_last_representative_cannot_be_demoted(client, place, representative):
    client.force_login(representative)
    membership = place.memberships.get(user=representative)
    url = reverse("members:team_role", args=[place.slug, membership.pk])
    response = client.post(url, {"role": Role.VIEWER}, follow=True)
    assert "au moins un·e représentant·e" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.REPRESENTATIVE


def test_remove_member(client, place, representative, editor):
    client.force_login(representative)
    membership = place.memberships.get(user=editor)
    url = reverse("members:team_remove", args=[place.slug, membership.pk])
    assert client.post(url).status_code == 302
    assert not place.memberships.filter(user=editor).exists()


def test_last_representative_cannot_be_removed_or_leave(place, representative):
    membership = place.memberships.get(user=representative)
    with pytest.raises(services.TeamError):
        team_services.remove_member(membership=membership, by=representative)
    with pytest.raises(services.TeamError):
        team_services.leave_place(membership=membership)
    assert place.memberships.filter(user=representative).exists()


def test_representative_can_leave_when_another_remains(client, place, representative):
    factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE)
    client.force_login(representative)
    response = client.post(reverse("members:team_leave", args=[place.slug]))
    assert response.url == reverse("members:dashboard")
    assert not place.memberships.filter(user=representative).exists()


def test_viewer_can_leave(client, place, viewer):
    client.force_login(viewer)
    assert client.post(reverse("members:team_leave", args=[place.slug])).status_code == 302
    assert not place.memberships.filter(user=viewer).exists()


def test_leave_last_representative_message(client, place, representative):
    client.force_login(representative)
    response = client.post(reverse("members:team_leave", args=[place.slug]), follow=True)
    assert "dernier·e représentant·e" in response.content.decode()
    assert place.memberships.filter(user=representative).exists()


def test_cannot_touch_another_places_member(client, place, representative, outsider):
    client.force_login(representative)
    other = outsider.memberships.get()
    url = reverse("members:team_remove", args=[place.slug, other.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_tabs_offer_only_what_the_role_may_open(client, place, editor, representative):
    sign_url = f"/espace/{place.slug}/signer/"
    history_url = f"/espace/{place.slug}/historique/"
    client.force_login(editor)
    html = client.get(f"/espace/{place.slug}/equipe/").content.decode()
    assert sign_url not in html and history_url in html  # the history: every member
    client.force_login(representative)
    html = client.get(f"/espace/{place.slug}/equipe/").content.decode()
    assert sign_url in html and history_url in html


def test_place_page_reads_the_place_once(client, place, editor, django_assert_num_queries):
    """A place's own page: session, user, the membership with its place, then the place's
    activities, publics and signatures (with their versions); the place is not read again."""
    place.activities.add(Activity.objects.first())
    factories.SignatureFactory(place=place)
    client.force_login(editor)
    with django_assert_num_queries(6):
        response = client.get(reverse("members:place", args=[place.slug]))
    html = response.content.decode()
    assert place.name in html and str(Activity.objects.first()) in html
