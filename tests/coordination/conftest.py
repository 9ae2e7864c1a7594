import pytest

from members.models import Membership
from tests import factories


def place_in(departement, region, postcode, **kwargs):
    return factories.MemberPlaceFactory(
        departement=departement, region=region, postcode=postcode, **kwargs
    )


@pytest.fixture
def rennes(db):
    """In Bretagne: inside the territorial coordinator's scope."""
    place = place_in("35", "53", "35000", name="Le Rennais")
    factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
    return place


@pytest.fixture
def lyon(db):
    """Rhône, in Auvergne-Rhône-Alpes: inside the scope through the département."""
    return place_in("69", "84", "69001", name="La Lyonnaise", commune="Lyon")


@pytest.fixture
def marseille(db):
    """Bouches-du-Rhône: outside the scope."""
    place = place_in("13", "93", "13001", name="La Marseillaise", commune="Marseille")
    factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
    return place


@pytest.fixture
def toulouse(db):
    """In Occitanie (région 76): outside the scope of the coordinator of Bretagne."""
    place = place_in("31", "76", "31000", name="Le Toulousain", commune="Toulouse")
    factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
    return place
