"""CSV exports: parse, BOM, French headers, the coordinator's territory only."""

import csv
import io

import pytest
from django.urls import reverse

from charter.models import CharterVersion
from members.models import Answer, Indicator, IndicatorValue, Report
from tests import factories

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def data(rennes, lyon, marseille):
    campaign = factories.CampaignFactory()
    indicator = Indicator.objects.get(key="benevoles")
    campaign.indicators.add(indicator)
    commitment = CharterVersion.objects.current().commitments.order_by("pk").first()
    for place in (rennes, marseille):
        factories.SignatureFactory(place=place, signatory_name=f"Signataire {place.name}")
        report = factories.ReportFactory(
            place=place, campaign=campaign, status=Report.Status.SUBMITTED
        )
        Answer.objects.create(
            report=report, commitment=commitment, level="2", narrative="=SOMME(A1) « été »"
        )
        IndicatorValue.objects.create(report=report, indicator=indicator, value=12)
    return campaign


EXPORTS = ["places", "signatures", "reports", "indicators"]


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_respect_the_territory(client, territorial, data, name):
    client.force_login(territorial)
    rows = read_csv(client.get(reverse(f"coordination_exports:{name}"), {"campagne": data.pk}))
    first_column = {"places": "Nom"}.get(name, "Lieu")
    names = {row[first_column] for row in rows}
    assert "Le Rennais" in names
    assert "La Marseillaise" not in names


@pytest.mark.parametrize("name", EXPORTS)
def test_national_exports_everything(client, national, data, name):
    client.force_login(national)
    rows = read_csv(client.get(reverse(f"coordination_exports:{name}"), {"campagne": data.pk}))
    first_column = {"places": "Nom"}.get(name, "Lieu")
    assert {"Le Rennais", "La Marseillaise"} <= {row[first_column] for row in rows}


def test_places_export_columns(client, national, data, rennes):
    client.force_login(national)
    rows = read_csv(client.get(reverse("coordination_exports:places")))
    row = next(r for r in rows if r["Nom"] == "Le Rennais")
    assert row["Statut"] == "Membre"
    assert row["État de la signature"] == "En vigueur"
    assert row["Région"] == "Bretagne"
    assert row["Dernière version signée"] == "1"


def test_reports_export_one_row_per_commitment_formulas_neutralised(client, national, data):
    client.force_login(national)
    rows = read_csv(client.get(reverse("coordination_exports:reports"), {"campagne": data.pk}))
    row = next(r for r in rows if r["Lieu"] == "Le Rennais")
    assert row["Niveau"] == "En progression"
    assert row["Récit"] == "'=SOMME(A1) « été »"
    assert len(rows) == 2


def test_indicators_export_one_column_per_indicator(client, national, data):
    client.force_login(national)
    rows = read_csv(client.get(reverse("coordination_exports:indicators"), {"campagne": data.pk}))
    assert rows[0]["Bénévoles (personnes)"] == "12.00"


def test_signatures_export(client, national, data):
    client.force_login(national)
    rows = read_csv(client.get(reverse("coordination_exports:signatures")))
    assert {r["Nom du ou de la signataire"] for r in rows} == {
        "Signataire Le Rennais",
        "Signataire La Marseillaise",
    }


def test_members_and_anonymous_cannot_export(client, representative):
    url = reverse("coordination_exports:places")
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(representative)
    assert client.get(url).status_code == 302


def test_staff_without_permission_gets_403(client):
    staff = factories.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("coordination_exports:places")).status_code == 403


def test_wrong_method_and_bad_campaign(client, national, data):
    client.force_login(national)
    assert client.post(reverse("coordination_exports:places")).status_code == 405
    assert client.get(reverse("coordination_exports:reports"), {"campagne": "x"}).status_code == 404
