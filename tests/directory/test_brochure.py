"""A territory's brochure: a valid PDF from published data, with that territory's figures."""

import io

import pytest
from pypdf import PdfReader

from members import tallies
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(listed_place):
    return {
        "brest": listed_place(
            name="Centre Social Kerangoff", commune="Brest", departement="29", region="53"
        ),
        "lyon": listed_place(
            name="Tiers-Lieu La Cordée", commune="Lyon", departement="69", region="84"
        ),
    }


def _text(response):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_brochure_of_a_region_holds_its_figures(client, places, campaign):
    factories.published_report(places["brest"], campaign, levels={"valeur-partage": "4"})
    tallies.rebuild()
    response = client.get("/observatoire/plaquette.pdf", {"region": "53"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="plaquette-region-53.pdf"' in response["Content-Disposition"]
    text = _text(response)
    assert "Bretagne" in text
    assert "lieux signataires" in text and "bilans publiés" in text
    # The map of the places is drawn in the PDF (an image WeasyPrint may load: no network).
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert sum(len(page.images) for page in pages) >= 1
    # The same request again is served from the cache of this generation.
    again = client.get("/observatoire/plaquette.pdf", {"region": "53"})
    assert again.content == response.content
    assert again["Content-Disposition"] == response["Content-Disposition"]


def test_an_unknown_territory_is_404(client, db):
    assert client.get("/observatoire/plaquette.pdf").status_code == 404
    assert client.get("/observatoire/plaquette.pdf", {"region": "99"}).status_code == 404
    assert client.get("/observatoire/plaquette.pdf", {"departement": "zz"}).status_code == 404


def test_the_brochure_of_a_departement_in_english(client, places, campaign):
    tallies.rebuild()
    response = client.get(
        "/observatoire/plaquette.pdf", {"departement": "29"}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert "signatory places" in _text(response)
