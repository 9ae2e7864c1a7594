"""/espace/compte/: download my data, delete my account (the place keeps its records)."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from charter.models import CharterVersion
from members.models import Answer, CoordinatorScope, Membership, Signature, User
from members.stats import dashboard_figures
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(place, representative):
    signature = factories.SignatureFactory(
        place=place, signed_by=representative, signatory_name="Camille Durand"
    )
    report = factories.ReportFactory(place=place)
    commitment = CharterVersion.objects.current().commitments.order_by("pk").first()
    answer = Answer.objects.create(
        report=report,
        commitment=commitment,
        level="2",
        narrative="Nos ateliers",
        updated_by=representative,
    )
    return signature, answer


def test_account_page(client, representative):
    client.force_login(representative)
    response = client.get(reverse("members:account"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "seule personne représentante" in content  # sole representative warned


def test_account_requires_login(client):
    response = client.get(reverse("members:account"))
    assert response.status_code == 302
    assert client.get(reverse("members:account_data")).status_code == 302
    assert client.post(reverse("members:account_delete")).status_code == 302


def test_download_my_data(client, representative, place, records):
    signature, answer = records
    client.force_login(representative)
    response = client.get(reverse("members:account_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == representative.email
    assert data["memberships"] == [
        {
            "place": place.name,
            "place_slug": place.slug,
            "role": "representative",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert [s["verification_code"] for s in data["signatures"]] == [signature.verification_code]
    assert [a["narrative"] for a in data["reports_edited"]] == ["Nos ateliers"]


def test_data_of_another_user_never_included(client, editor, records):
    client.force_login(editor)
    data = json.loads(client.get(reverse("members:account_data")).content)
    assert data["signatures"] == [] and data["reports_edited"] == []


def test_wrong_methods(client, representative):
    client.force_login(representative)
    assert client.get(reverse("members:account_delete")).status_code == 405
    assert client.post(reverse("members:account_data")).status_code == 405


def test_wrong_confirmation_deletes_nothing(client, representative):
    client.force_login(representative)
    response = client.post(reverse("members:account_delete"), {"confirmation": "autre@example.org"})
    assert response.status_code == 400
    assert "rien n’a été supprimé" in response.content.decode()
    assert 'value="autre@example.org"' in response.content.decode()  # what was typed stays
    assert User.objects.filter(pk=representative.pk).exists()


def test_delete_account_keeps_the_places_records(client, representative, place, records, national):
    signature, answer = records
    client.force_login(representative)
    response = client.post(
        reverse("members:account_delete"), {"confirmation": representative.email.upper()}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=representative.pk).exists()
    signature = Signature.objects.get(pk=signature.pk)
    assert signature.signed_by is None
    assert signature.signatory_name == "Camille Durand"
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.updated_by is None and answer.narrative == "Nos ateliers"
    assert not Membership.objects.filter(place=place, role=Membership.Role.REPRESENTATIVE).exists()
    # Logged out, and the place is flagged to coordinators.
    assert client.get(reverse("members:account")).status_code == 302
    assert dashboard_figures(national)["without_representative"]["value"] == 1


def test_place_left_without_representative_is_flagged_to_its_coordinators(
    client, rennes, territorial, national, settings, django_capture_on_commit_callbacks
):
    """Staff whose territory holds the place, national coordinators and COORDINATORS_EMAIL."""
    settings.COORDINATORS_EMAIL = ["coordination@reseau.example", territorial.email]
    elsewhere = factories.UserFactory(email="occitanie@example.org", is_staff=True)
    CoordinatorScope.objects.create(user=elsewhere, regions=["76"])
    factories.UserFactory(email="membre@example.org")  # not staff
    representative = Membership.objects.get(place=rennes).user
    client.force_login(representative)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("members:account_delete"), {"confirmation": representative.email}
        )
    assert response.status_code == 302
    assert mail.outbox == []  # sent once the deletion is committed, not before
    for callback in callbacks:
        callback()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([territorial.email, national.email, "coordination@reseau.example"])
    message = mail.outbox[0]
    assert "Le Rennais" in message.subject
    admin_url = reverse("admin:members_place_change", args=[rennes.pk])
    assert settings.SITE_URL.rstrip("/") + admin_url in message.body
    # The links in the e-mail open for the coordinator.
    client.force_login(territorial)
    for line in message.body.splitlines():
        if settings.SITE_URL in line:
            url = line.split(settings.SITE_URL.rstrip("/"), 1)[1]
            response = client.get(url)
            assert response.status_code == 200, url


def test_no_mail_while_another_representative_remains(
    client, rennes, territorial, django_capture_on_commit_callbacks
):
    factories.MembershipFactory(place=rennes, role=Membership.Role.REPRESENTATIVE)
    leaving = Membership.objects.filter(place=rennes).order_by("pk").first().user
    client.force_login(leaving)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:account_delete"), {"confirmation": leaving.email})
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert [m.subject for m in mail.outbox] == []


def test_a_person_sets_their_name_and_the_language_of_their_emails(client, viewer):
    user = viewer
    client.force_login(user)
    response = client.post(
        reverse("members:account"),
        {"first_name": "Camille", "last_name": "Durand", "language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.get_full_name(), user.language) == ("Camille Durand", "en")
    page = client.get(reverse("members:account")).content.decode()
    assert 'value="Camille"' in page
    refused = client.post(reverse("members:account"), {"first_name": "Camille", "language": "xx"})
    assert refused.status_code == 400 and 'value="Camille"' in refused.content.decode()
