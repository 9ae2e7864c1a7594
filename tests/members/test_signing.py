"""Signing the charter, immutability, fingerprint, certificate, and the verification page."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from charter import canonical
from charter.models import CharterVersion
from members import services
from members.models import Membership, Place, Signature, SignatureImmutableError
from tests import factories
from tests.assertions import assert_every_write_refused

pytestmark = pytest.mark.django_db


def sign_url(place):
    return reverse("members:sign", args=[place.slug])


def data(**overrides):
    return {
        "signatory_name": "Camille Durand",
        "signatory_title": "Présidente",
        "board_decision_date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "mandate_certified": "on",
        **overrides,
    }


def test_sign_page_shows_the_full_charter(client, place, representative):
    client.force_login(representative)
    response = client.get(sign_url(place))
    assert response.status_code == 200
    version = CharterVersion.objects.current()
    html = response.content.decode()
    # The authoritative text, word for word: what is signed and fingerprinted.
    assert version.title in html and version.preamble in html
    for commitment in version.commitments.all():
        assert commitment.text in html
    assert version.fingerprint in html


def test_signing_records_everything_and_emails_representatives(
    client, place, representative, django_capture_on_commit_callbacks
):
    other_rep = factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE).user
    factories.MembershipFactory(place=place, role=Membership.Role.VIEWER)
    client.force_login(representative)
    minutes = SimpleUploadedFile("pv.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sign_url(place),
            {**data(), "minutes": minutes},
            HTTP_USER_AGENT="Firefox de test",
            REMOTE_ADDR="203.0.113.7",
        )
    signature = Signature.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("members:certificate", args=[place.slug, signature.pk])
    version = CharterVersion.objects.current()
    assert signature.version == version
    assert signature.fingerprint == version.fingerprint
    assert signature.fingerprint == canonical.fingerprint(canonical.version_content(version))
    assert signature.signed_by == representative
    assert (signature.ip_address, signature.user_agent) == ("203.0.113.7", "Firefox de test")
    assert signature.minutes.name.endswith(".pdf")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([representative.email, other_rep.email])
    assert signature.verification_code in mail.outbox[0].body


def test_signing_twice_the_same_version_changes_nothing(client, place, representative):
    existing = factories.SignatureFactory(place=place)
    client.force_login(representative)
    response = client.get(sign_url(place))
    assert "déjà signé la version" in response.content.decode()
    response = client.post(sign_url(place), data(signatory_name="Autre"), follow=True)
    assert "déjà signé" in response.content.decode()
    assert list(Signature.objects.all()) == [existing]
    with pytest.raises(services.SignatureError):
        factories.sign_with_the_service(place, version=existing.version, by=representative)


@pytest.mark.parametrize("status", [Place.Status.APPLICANT, Place.Status.SUSPENDED])
def test_place_not_member_cannot_sign(client, place, representative, status):
    Place.objects.filter(pk=place.pk).update(status=status)
    client.force_login(representative)
    assert "dès que la coordination" in client.get(sign_url(place)).content.decode()
    client.post(sign_url(place), data())
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {
                "board_decision_date": (
                    timezone.localdate() + datetime.timedelta(days=1)
                ).isoformat()
            },
            "board_decision_date",
        ),
        ({"mandate_certified": ""}, "mandate_certified"),
        ({"signatory_title": ""}, "signatory_title"),
    ],
)
def test_bad_input_is_refused_and_kept(client, place, representative, overrides, field):
    client.force_login(representative)
    response = client.post(sign_url(place), data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'value="Camille Durand"' in response.content.decode()
    assert not Signature.objects.exists()


def test_minutes_must_be_a_pdf(client, place, representative):
    client.force_login(representative)
    fake = SimpleUploadedFile("pv.pdf", b"<html>not a pdf", content_type="application/pdf")
    response = client.post(sign_url(place), {**data(), "minutes": fake})
    assert "PDF" in " ".join(response.context["form"].errors["minutes"])
    big = SimpleUploadedFile("pv.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))
    response = client.post(sign_url(place), {**data(), "minutes": big})
    assert "5 Mo" in " ".join(response.context["form"].errors["minutes"])
    assert not Signature.objects.exists()


def test_editor_gets_403(client, place, editor):
    client.force_login(editor)
    assert client.get(sign_url(place)).status_code == 403
    assert client.post(sign_url(place), data()).status_code == 403


# --- Immutability and fingerprint ------------------------------------------------------------


def test_signature_cannot_be_changed_or_deleted():
    signature = factories.SignatureFactory()
    assert_every_write_refused(signature, SignatureImmutableError, signatory_title="Trésorière")
    signature.refresh_from_db()
    assert signature.signatory_title == "Présidente"


def test_fingerprint_changes_with_one_character():
    version = CharterVersion.objects.current()
    content = canonical.version_content(version)
    assert canonical.fingerprint(content) == version.fingerprint
    content["sections"][0]["commitments"][0]["text"] += "."
    assert canonical.fingerprint(content) != version.fingerprint


# --- Certificate -----------------------------------------------------------------------------


def test_certificate(client, place, viewer):
    signature = factories.SignatureFactory(place=place)
    client.force_login(viewer)
    response = client.get(reverse("members:certificate", args=[place.slug, signature.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert place.name in html and signature.fingerprint in html
    assert f"http://testserver/verifier/{signature.verification_code}/" in html
    assert "js/print.js" in html


def test_certificate_of_another_place_is_404(client, place, viewer):
    other = factories.SignatureFactory()
    client.force_login(viewer)
    url = reverse("members:certificate", args=[place.slug, other.pk])
    assert client.get(url).status_code == 404


# --- Public verification ---------------------------------------------------------------------


def _publish_v2(when, grace_days=30):
    return factories.publish_version_2(when=when, grace_days=grace_days)


def verify(client, signature):
    return client.get(reverse("members:verify", args=[signature.verification_code]))


def test_verify_current_shows_no_personal_data(client):
    signature = factories.SignatureFactory(signatory_name="Camille Durand")
    response = verify(client, signature)
    html = response.content.decode()
    assert response.context["state"] == Signature.State.CURRENT
    assert "en vigueur" in html
    assert signature.place.name in html and signature.place.commune in html
    assert "Présidente" in html
    assert "Camille Durand" not in html


def test_verify_awaiting_then_lapsed_then_superseded(client):
    signature = factories.SignatureFactory()
    start = timezone.now()
    v2 = _publish_v2(start, grace_days=30)
    with time_machine.travel(start + datetime.timedelta(days=10)):
        response = verify(client, signature)
        assert response.context["state"] == Signature.State.AWAITING
        deadline = (start + datetime.timedelta(days=30)).astimezone(timezone.get_current_timezone())
        assert f"jusqu’au {deadline.day} " in response.content.decode()
    with time_machine.travel(start + datetime.timedelta(days=31)):
        response = verify(client, signature)
        assert response.context["state"] == Signature.State.LAPSED
        assert "caduque" in response.content.decode()
    factories.SignatureFactory(place=signature.place, version=v2, fingerprint=v2.fingerprint)
    response = verify(client, signature)
    assert response.context["state"] == Signature.State.SUPERSEDED


def test_verify_unknown_code_is_404(client):
    assert client.get(reverse("members:verify", args=["AAAA-BBBB-CCCC"])).status_code == 404


def test_verify_form_accepts_lowercase_without_dashes(client):
    signature = factories.SignatureFactory()
    typed = signature.verification_code.replace("-", "").lower()
    response = client.get(reverse("members:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response.url == reverse("members:verify", args=[signature.verification_code])
    response = client.get(f"/verifier/{typed}/")
    assert response.url == reverse("members:verify", args=[signature.verification_code])


def test_verify_form_page(client):
    response = client.get(reverse("members:verify_form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
