import pytest
from django.contrib.auth.models import Group

from members.models import CoordinatorScope, Membership
from members.territory import NATIONAL_GROUP, TERRITORIAL_GROUP
from tests import factories


@pytest.fixture
def national(db):
    user = factories.UserFactory(email="nationale@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=NATIONAL_GROUP))
    return user


@pytest.fixture
def territorial(db):
    """Coordinates Bretagne (région 53) and the Rhône département (69)."""
    user = factories.UserFactory(email="bretagne@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=TERRITORIAL_GROUP))
    CoordinatorScope.objects.create(user=user, regions=["53"], departements=["69"])
    return user


@pytest.fixture
def unscoped_staff(db):
    user = factories.UserFactory(email="sans-territoire@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=TERRITORIAL_GROUP))
    return user


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
