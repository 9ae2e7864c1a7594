"""People, not e-mail addresses: the team, the history and the e-mails name people; an address
is shown only to the place's representatives and to coordinators."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from members.access import person_name, sees_addresses
from members.models import Membership
from members.services import teams as team_services
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
Role = Membership.Role


def others_addresses(content, me):
    return [address for address in EMAIL.findall(content) if address != me.email]


@pytest.fixture
def unnamed(place):
    return factories.MembershipFactory(
        place=place, role=Role.EDITOR, user__first_name="", user__last_name=""
    ).user


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_viewers_and_editors_see_names_not_addresses(
    client, request, role, place, representative, unnamed
):
    me = request.getfixturevalue(role)
    team_services.remove_member(membership=place.memberships.get(user=unnamed), by=representative)
    client.force_login(me)
    for page in ("members:team", "members:place_history"):
        content = client.get(reverse(page, args=[place.slug])).content.decode()
        assert not others_addresses(content, me), (page, others_addresses(content, me))
    team = client.get(reverse("members:team", args=[place.slug])).content.decode()
    assert representative.get_full_name() in team


def test_an_unnamed_member_is_not_shown_by_address(client, place, viewer, unnamed):
    client.force_login(viewer)
    team = client.get(reverse("members:team", args=[place.slug])).content.decode()
    assert "Membre sans nom" in team and unnamed.email not in team


def test_representatives_see_the_addresses(client, place, representative, viewer, unnamed):
    client.force_login(representative)
    team = client.get(reverse("members:team", args=[place.slug])).content.decode()
    assert viewer.email in team and unnamed.email in team
    assert viewer.get_full_name() in team


def test_who_sees_addresses(place, representative, editor, viewer, outsider, national, territorial):
    assert sees_addresses(representative, place)
    assert sees_addresses(national, place) and sees_addresses(territorial, place)  # Rennes
    for user in (editor, viewer, outsider):
        assert not sees_addresses(user, place)
    elsewhere = factories.MemberPlaceFactory(postcode="13001", departement="13", region="93")
    assert not sees_addresses(territorial, elsewhere)


def test_person_name_falls_back_without_the_address(unnamed):
    assert person_name(unnamed) == "Membre sans nom"
    assert person_name(unnamed, with_address=True) == unnamed.email


def test_emails_name_the_inviter_and_greet_by_name(
    place, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team_services.invite_member(
            place=place, email="nouvelle@example.org", role=Role.VIEWER, by=representative
        )
    body = mail.outbox[0].body
    assert representative.get_full_name() in body and representative.email not in body
    with django_capture_on_commit_callbacks(execute=True):
        team_services.request_to_join(identifier=place.rna, by=factories.UserFactory(
            first_name="Sacha", last_name="Petit", email="sacha@example.org"))  # fmt: skip
    request = mail.outbox[1]
    # To a representative: greeted by name; the requester by name and address (to invite them).
    assert request.body.startswith(f"Bonjour {representative.get_full_name()},")
    assert "Sacha Petit (sacha@example.org)" in request.body


def test_the_review_screen_names_who_edited_an_answer(client, national, place, editor):
    report = factories.published_report(place, factories.CampaignFactory(year=2025))
    answer = report.answers.first()
    answer.updated_by = editor
    answer.save()
    client.force_login(national)
    content = client.get(reverse("admin:members_report_review", args=[report.pk])).content
    assert f"Dernière modification par {editor.get_full_name()}" in content.decode()


def test_threads_and_assignments_name_people_not_addresses(
    client, place, representative, viewer, unnamed
):
    """An unnamed editor's message and the commitment given to them: the viewer reads "Membre
    sans nom" on the commitment's page and in the history, never the address."""
    from members.services import assignments as assignment_services
    from members.services import reports as report_services
    from members.services import threads as thread_services

    factories.SignatureFactory(place=place)
    report = report_services.create_report(
        place=place, campaign=factories.CampaignFactory(year=2026), by=representative
    )
    answer = report.answers.select_related("commitment").first()
    thread_services.post_message(answer=answer, by=unnamed, body="Je m’en occupe.")
    assignment_services.assign(answer=answer, assignee=unnamed, by=representative)
    client.force_login(viewer)
    pages = [
        reverse(
            "members:report_commitment",
            args=[place.slug, report.campaign.year, answer.commitment.key],
        ),
        reverse("members:place_history", args=[place.slug]),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Membre sans nom" in content, url
        assert unnamed.email not in content, url
