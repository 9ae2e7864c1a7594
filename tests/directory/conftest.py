"""Builders for the public directory's tests: listed places and their published reports."""

import pytest

from members.models import Activity, Place, PublicServed
from tests import factories


@pytest.fixture
def listed_place(db):
    """make(**fields, activities=[slugs], publics=[slugs]): a member, public, signed place."""

    def make(activities=(), publics=(), **fields):
        fields.setdefault("status", Place.Status.MEMBER)
        place = factories.MemberPlaceFactory(**fields)
        factories.SignatureFactory(place=place)
        place.activities.set(Activity.objects.filter(slug__in=activities))
        place.publics.set(PublicServed.objects.filter(slug__in=publics))
        return place

    return make


@pytest.fixture
def campaign(db):
    """An open campaign, due in two months."""
    return factories.CampaignFactory(year=2026)


@pytest.fixture
def past_campaign(db):
    return factories.past_campaign(year=2025, opened_days_ago=400, due_days_ago=300)


@pytest.fixture
def hidden_places(listed_place):
    """One place for each reason never to be shown; returns them by reason."""
    unsigned = factories.MemberPlaceFactory(name="Lieu Non Signé")
    return {
        "applicant": listed_place(name="Lieu Candidat", status=Place.Status.APPLICANT),
        "suspended": listed_place(name="Lieu Suspendu", status=Place.Status.SUSPENDED),
        "withdrawn": listed_place(name="Lieu Retiré", status=Place.Status.WITHDRAWN),
        "private": listed_place(name="Lieu Privé", is_public=False),
        "unsigned": unsigned,
    }
