"""Working together on a report, from the attacker's side: every new URL (threads,
assignments, peer reviews) for a removed member, a peer after expiry or revocation, and a
coordinator outside the territory. The other-place roles are in test_attacks.py's matrix."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, PeerInvitation, Place
from members.services import teams as team_services

from .helpers import snapshot
from .test_attacks import PEER_URLS, PLACE_URLS, THREAD_URLS, _harmful_post, _kwargs, _request

# The URLs this issue added under /espace/<slug>/.
NEW_URLS = sorted(
    THREAD_URLS | PEER_URLS | {"members:report_assign_section", "members:peer_reviews"}
)
PEER_READING_URLS = sorted(
    {"members:peer_report", "members:peer_commitment", "members:peer_message_file"}
)


def _assert_404_without_change(client, world, names, place):
    before = snapshot()
    for name in names:
        url = reverse(name, kwargs=_kwargs(name, place, world))
        for method in PLACE_URLS[name]:
            response = _request(client, method, url, _harmful_post(name, place, world))
            assert response.status_code == 404, (name, method, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["editor", "representative"])
def test_a_removed_member_gets_404_on_every_new_url(client, world, who):
    team = world.team_a
    if who == "representative":  # a second representative, so that one may be removed
        target = team.representative
        team_services.change_role(
            membership=team.editor, role=Membership.Role.REPRESENTATIVE, by=target.user
        )
        team_services.remove_member(membership=target, by=team.editor.user)
        removed = target.user
    else:
        team_services.remove_member(membership=team.editor, by=team.representative.user)
        removed = team.editor.user
    client.force_login(removed)
    _assert_404_without_change(client, world, NEW_URLS, world.a)
    assert "status-" not in client.get(reverse("members:my_commitments")).content.decode()


@pytest.mark.parametrize("end", ["expired", "revoked"])
def test_a_peer_after_the_end_gets_404_on_every_reading_url(client, world, end):
    change = (
        {"expires_at": timezone.now() - timedelta(seconds=1)}
        if end == "expired"
        else {"revoked_at": timezone.now(), "revoked_by": world.team_c.representative.user}
    )
    PeerInvitation.objects.filter(pk=world.peer_a.pk).update(**change)
    for member in (world.team_a.representative, world.team_a.editor, world.team_a.viewer):
        client.force_login(member.user)
        _assert_404_without_change(client, world, PEER_READING_URLS, world.a)


def test_a_peer_never_reaches_the_team_pages_of_the_place_it_reads(client, world):
    """A running peer review opens peer pages only: C's own URLs stay 404."""
    client.force_login(world.team_a.representative.user)
    slug, year = world.c.slug, world.report_c.campaign.year
    key = world.message_c.answer.commitment.key
    before = snapshot()
    for url, method in [
        (reverse("members:report_detail", args=[slug, year]), "GET"),
        (reverse("members:report_commitment", args=[slug, year, key]), "GET"),
        (reverse("members:report_commitment", args=[slug, year, key]), "POST"),
        (reverse("members:report_assign", args=[slug, year, key]), "POST"),
        (reverse("members:report_message_file", args=[slug, year, key, world.message_c.pk]), "GET"),
        (reverse("members:peer_reviews", args=[slug]), "GET"),
    ]:
        response = _request(client, method, url, {"body": "Intrus", "assignee": ""})
        assert response.status_code == 404, url
    assert snapshot() == before


def test_a_peer_review_of_another_place_is_404_under_my_slug(client, world):
    """B's running peer review, asked for under A's slug by A's representative: 404."""
    client.force_login(world.team_a.representative.user)
    key = world.message_c.answer.commitment.key
    for url in (
        reverse("members:peer_report", args=[world.a.slug, world.peer_b.pk]),
        reverse("members:peer_commitment", args=[world.a.slug, world.peer_b.pk, key]),
    ):
        assert client.get(url).status_code == 404


def test_a_coordinator_outside_the_territory_gets_404(client, world, territorial):
    Place.objects.filter(pk=world.a.pk).update(region="84", departement="38")
    client.force_login(territorial)
    report, message = world.report_a, world.message_a
    before = snapshot()
    for url, method in [
        (reverse("admin:members_report_review", args=[report.pk]), "GET"),
        (reverse("admin:members_report_message", args=[report.pk, message.answer_id]), "POST"),
        (
            reverse(
                "admin:members_report_message_file",
                args=[report.pk, message.answer_id, message.pk],
            ),
            "GET",
        ),
    ]:
        response = _request(client, method, url, {"body": "Hors territoire"})
        assert response.status_code == 404, url
    # Not a member of the place either: the portal's thread pages are 404 too.
    _assert_404_without_change(client, world, sorted(THREAD_URLS), world.a)
    assert snapshot() == before


def test_the_coordinator_in_scope_reads_the_attachment(client, world, territorial):
    client.force_login(territorial)
    report, message = world.report_a, world.message_a
    url = reverse(
        "admin:members_report_message_file", args=[report.pk, message.answer_id, message.pk]
    )
    assert client.get(url).status_code == 200
