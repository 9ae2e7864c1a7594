import pytest

from members import tallies
from members.models import Place
from tests import factories
from tests.helpers_places import located


def _signed(place):
    factories.SignatureFactory(place=place)
    return place


@pytest.fixture
def network(db):
    """One listed place and, signed and reported on alike, places that must never show:
    not public, suspended, an applicant, withdrawn."""
    campaign = factories.CampaignFactory(year=2026)
    listed = _signed(factories.MemberPlaceFactory(name="Atelier Visible", slug="atelier-visible"))
    hidden = {
        "private": _signed(
            factories.MemberPlaceFactory(
                name="Maison Discrète", slug="maison-discrete", is_public=False
            )
        ),
        "suspended": _signed(
            factories.MemberPlaceFactory(
                name="Lieu Suspendu", slug="lieu-suspendu", status=Place.Status.SUSPENDED
            )
        ),
        "applicant": _signed(
            factories.PlaceFactory(
                name="Lieu Candidat",
                slug="lieu-candidat",
                **located("69001", "Lyon"),
            )
        ),
        "withdrawn": _signed(
            factories.MemberPlaceFactory(
                name="Lieu Retiré", slug="lieu-retire", status=Place.Status.WITHDRAWN
            )
        ),
    }
    reports = {
        "listed": factories.published_report(
            listed, campaign, levels={"valeur-partage": "4"}, indicators={"benevoles": 12}
        )
    }
    for name, place in hidden.items():
        reports[name] = factories.published_report(place, campaign, indicators={"benevoles": 99})
    tallies.rebuild()
    return {"campaign": campaign, "listed": listed, "hidden": hidden, "reports": reports}
