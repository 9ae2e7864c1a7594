"""Peer review between places: invite, accept, read and comment, revoke, expiry, histories."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from charter.models import CharterVersion
from members.models import Membership, Message, PeerInvitation, PlaceEvent
from members.services import peers as peer_services
from members.services import threads as thread_services
from tests import factories

from .conftest import first_answer

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def peer():
    place = factories.MemberPlaceFactory(name="Lieu pair", slug="lieu-pair")
    place.representative = factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE).user
    place.editor = factories.MembershipFactory(place=place, role=Role.EDITOR).user
    return place


def peer_page(peer, invitation, answer=None):
    if answer is None:
        return reverse("members:peer_report", args=[peer.slug, invitation.pk])
    return reverse(
        "members:peer_commitment", args=[peer.slug, invitation.pk, answer.commitment.key]
    )


def test_a_peer_place_is_invited_accepts_reads_and_comments(
    client, django_capture_on_commit_callbacks, sent, representative, editor, peer
):
    client.force_login(representative)
    url = reverse("members:peer_reviews", args=[sent.place.slug])
    assert f'value="{peer.slug}"' in client.get(url, {"pair": peer.slug}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"report": sent.pk, "peer": peer.slug, "days": 30, "message": "Vos conseils ?"}
        )
    assert response.status_code == 302
    invitation = PeerInvitation.objects.get()
    assert invitation.state() == PeerInvitation.State.PENDING
    [email] = mail.outbox
    assert email.to == [peer.representative.email] and "Vos conseils ?" in email.body

    # Before acceptance the report does not exist for the peer.
    client.force_login(peer.editor)
    assert client.get(peer_page(peer, invitation)).status_code == 404
    assert (
        client.post(reverse("members:peer_accept", args=[peer.slug, invitation.pk])).status_code
        == 403
    )
    client.force_login(peer.representative)
    client.post(reverse("members:peer_accept", args=[peer.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.state() == PeerInvitation.State.ACTIVE
    assert invitation.expires_at > timezone.now() + timedelta(days=29)

    client.force_login(peer.editor)
    answer = first_answer(sent)
    assert answer.commitment.t_title() in client.get(peer_page(peer, invitation)).content.decode()
    assert (
        client.post(
            peer_page(peer, invitation, answer), {"body": "Chez nous, **ça marche**."}
        ).status_code
        == 302
    )
    message = Message.objects.get()
    assert (message.side, message.peer_place, message.author) == (
        Message.Side.PEER,
        peer,
        peer.editor,
    )
    # The place's team reads it in its own thread, with the peer named.
    client.force_login(editor)
    page = client.get(
        reverse("members:report_commitment", args=[sent.place.slug, 2026, answer.commitment.key])
    ).content.decode()
    assert "<strong>ça marche</strong>" in page and "Lieu pair" in page

    # Both histories say so.
    for place in (sent.place, peer):
        codes = set(place.events.values_list("code", flat=True))
        assert {PlaceEvent.Code.PEER_INVITED, PlaceEvent.Code.PEER_ACCEPTED} <= codes
    event = peer.events.get(code=PlaceEvent.Code.PEER_ACCEPTED)
    assert event.describe() == (
        f"Lieu pair a accepté de porter un regard de pair sur « {sent.campaign} » de "
        f"{sent.place.name}."
    )


@pytest.fixture
def running(sent, representative, peer):
    invitation = peer_services.invite_peer(report=sent, peer=peer, by=representative)
    return peer_services.accept_peer_invitation(invitation=invitation, by=peer.representative)


def test_the_peer_reads_only_that_report_read_only(client, running, peer, sent):
    client.force_login(peer.editor)
    slug, year = sent.place.slug, sent.campaign.year
    for url in (
        reverse("members:report_detail", args=[slug, year]),
        reverse("members:report_preview", args=[slug, year]),
        reverse("members:report_commitment", args=[slug, year, first_answer(sent).commitment.key]),
        reverse("members:place", args=[slug]),
    ):
        assert client.get(url).status_code == 404, url
    # The peer page has no writing form for the answer, only the message form.
    html = client.get(peer_page(peer, running, first_answer(sent))).content.decode()
    assert 'name="level"' not in html and 'name="body"' in html


def test_viewers_of_the_peer_read_without_writing(client, running, peer, sent):
    viewer = factories.MembershipFactory(place=peer, role=Role.VIEWER).user
    client.force_login(viewer)
    answer = first_answer(sent)
    assert client.get(peer_page(peer, running, answer)).status_code == 200
    assert client.post(peer_page(peer, running, answer), {"body": "x"}).status_code == 403


@pytest.mark.parametrize("end", ["revoked_by_place", "revoked_by_peer", "expired"])
def test_after_revocation_or_expiry_the_peer_gets_404(
    client, running, peer, sent, representative, end
):
    if end == "expired":
        PeerInvitation.objects.filter(pk=running.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    else:
        by = representative if end == "revoked_by_place" else peer.representative
        place = sent.place if end == "revoked_by_place" else peer
        client.force_login(by)
        response = client.post(reverse("members:peer_revoke", args=[place.slug, running.pk]))
        assert response.status_code == 302
        assert set(
            PlaceEvent.objects.filter(code=PlaceEvent.Code.PEER_REVOKED).values_list(
                "place", flat=True
            )
        ) == {
            sent.place.pk,
            peer.pk,
        }
    client.force_login(peer.editor)
    answer = first_answer(sent)
    assert client.get(peer_page(peer, running)).status_code == 404
    assert client.get(peer_page(peer, running, answer)).status_code == 404
    assert client.post(peer_page(peer, running, answer), {"body": "Trop tard"}).status_code == 404
    with pytest.raises(thread_services.ThreadError):
        thread_services.post_message(
            answer=answer, by=peer.editor, body="Par le service", peer_invitation=running
        )
    assert not Message.objects.exists()


def test_rules_of_an_invitation(sent, report, representative, editor, peer):
    with pytest.raises(peer_services.PeerError):
        peer_services.invite_peer(report=sent, peer=peer, by=editor)  # not a representative
    with pytest.raises(peer_services.PeerError):
        peer_services.invite_peer(report=sent, peer=sent.place, by=representative)
    suspended = factories.MemberPlaceFactory(status="suspended")
    with pytest.raises(peer_services.PeerError):
        peer_services.invite_peer(report=sent, peer=suspended, by=representative)
    invitation = peer_services.invite_peer(report=sent, peer=peer, by=representative)
    assert invitation.days == 30
    with pytest.raises(peer_services.PeerError, match="déjà invité"):
        peer_services.invite_peer(report=sent, peer=peer, by=representative)
    with pytest.raises(peer_services.PeerError):
        peer_services.accept_peer_invitation(invitation=invitation, by=representative)


def test_a_draft_cannot_be_shown_to_a_peer(report, representative, peer):
    with pytest.raises(peer_services.PeerError, match="envoyé ou validé"):
        peer_services.invite_peer(report=report, peer=peer, by=representative)


def test_a_pending_invitation_expires_too(running, sent, representative, peer):
    other = factories.MemberPlaceFactory()
    factories.MembershipFactory(place=other, role=Role.REPRESENTATIVE)
    invitation = peer_services.invite_peer(report=sent, peer=other, by=representative, days=5)
    PeerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    rep = other.memberships.get().user
    with pytest.raises(peer_services.PeerError):
        peer_services.accept_peer_invitation(invitation=invitation, by=rep)


def test_the_directory_offers_a_peer_review_to_representatives(client, representative, peer, place):
    key = CharterVersion.objects.current().commitments.order_by("pk").first().key
    factories.SignatureFactory(place=peer)
    factories.published_report(peer, factories.CampaignFactory(year=2025), levels={key: "4"})
    url = reverse("members:directory")
    client.force_login(representative)
    html = client.get(url, {"engagement": key}).content.decode()
    link = reverse("members:peer_reviews", args=[place.slug]) + f"?pair={peer.slug}"
    assert link in html and "Demander un regard de pair" in html
    client.logout()
    assert "Demander un regard de pair" not in client.get(url, {"engagement": key}).content.decode()
