"""/espace/<slug>/historique/: representatives read their place's history."""

import pytest
from django.urls import reverse

from members.models import Place, PlaceTransition
from tests import factories

pytestmark = pytest.mark.django_db


def url(place):
    return reverse("members:place_history", args=[place.slug])


@pytest.fixture
def history(place, representative):
    PlaceTransition.objects.create(
        place=place,
        from_status=Place.Status.APPLICANT,
        to_status=Place.Status.MEMBER,
        reason="Bienvenue",
    )
    place.commune = "Saint-Malo"
    place._history_user = representative
    place.save()
    return place


def test_representative_reads_the_history(client, representative, history):
    client.force_login(representative)
    response = client.get(url(history))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Candidature → Membre" in content
    assert "Bienvenue" in content
    assert "Commune" in content and "Rennes" in content and "Saint-Malo" in content
    assert "Création de la fiche." in content
    assert representative.get_full_name() in content  # who made the edit
    assert content.count("<h1") == 1


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_lower_roles_get_403(client, request, role, history):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(history)).status_code == 403


def test_outsider_gets_404(client, outsider, history):
    client.force_login(outsider)
    assert client.get(url(history)).status_code == 404


def test_anonymous_redirected(client, history):
    assert client.get(url(history)).status_code == 302


def test_wrong_method(client, representative, history):
    client.force_login(representative)
    assert client.post(url(history)).status_code == 405


def test_constant_queries(client, representative, place, django_assert_num_queries):
    client.force_login(representative)
    for n in range(5):
        place.commune = f"Commune {n}"
        place.save()
        PlaceTransition.objects.create(place=place, to_status=Place.Status.MEMBER)
    # session, user, membership+place, transitions, history records
    with django_assert_num_queries(5):
        assert client.get(url(place)).status_code == 200
    factories.PlaceFactory()  # unrelated data changes nothing
    for n in range(5):
        place.commune = f"Autre {n}"
        place.save()
    with django_assert_num_queries(5):
        client.get(url(place))
