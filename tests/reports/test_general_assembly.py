"""The general-assembly document: ODT (odfpy opens it) and PDF, for the team's writers."""

import io

import pytest
from django.urls import reverse
from odf import teletype
from odf.opendocument import load
from odf.text import H

from members.services import reports as report_services

pytestmark = pytest.mark.django_db


def _url(report, kind):
    return reverse(
        f"members:report_general_assembly_{kind}", args=[report.place.slug, report.campaign.year]
    )


def test_the_odt_holds_identity_signature_every_commitment_and_indicators(
    client, complete_report, editor, signature
):
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(editor)
    response = client.get(_url(complete_report, "odt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    document = load(io.BytesIO(response.content))
    text = teletype.extractText(document.text)
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    assert complete_report.place.name in headings[0]
    assert signature.verification_code in text
    for answer in complete_report.answers.select_related("commitment"):
        assert answer.commitment.t_title() in headings
        assert answer.narrative in text
    assert "Indicateurs" in headings and "450" in text  # people reached
    assert any(name.endswith(".png") for name in document.Pictures)


def test_the_pdf_is_a_pdf_with_the_place(client, complete_report, editor):
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(editor)
    response = client.get(_url(complete_report, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_only_sent_reports_and_only_writers(client, report, complete_report, editor, viewer):
    client.force_login(editor)
    assert client.get(_url(report, "odt")).status_code == 404  # a draft: not yet
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(viewer)
    assert client.get(_url(complete_report, "odt")).status_code == 403


def test_in_english(client, complete_report, editor):
    report_services.submit_report(report=complete_report, by=editor)
    client.force_login(editor)
    response = client.get(_url(complete_report, "odt"), headers={"accept-language": "en"})
    text = teletype.extractText(load(io.BytesIO(response.content)).text)
    assert "Activity report" in text and "Rapport d’activité" not in text
