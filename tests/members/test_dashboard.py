"""/espace/: every place of the user, its next action, the re-signing banner, the empty state."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Activity, Membership, Place, PublicServed
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("members:dashboard")
Role = Membership.Role


def actions(response):
    return {m.place.name: str(a.label) for m, a in response.context["rows"]}


def test_empty_state_offers_registration(client):
    client.force_login(factories.UserFactory())
    response = client.get(URL)
    html = response.content.decode()
    assert "Inscrire mon lieu" in html
    assert reverse("members:register") in html


def test_next_action_for_each_situation(client, django_assert_num_queries):
    user = factories.UserFactory()
    incomplete = factories.PlaceFactory(name="A incomplet", description="")
    complete = factories.PlaceFactory(name="B complet")
    complete.activities.set([Activity.objects.first()])
    complete.publics.set([PublicServed.objects.first()])
    to_sign = factories.MemberPlaceFactory(name="C à signer")
    signed = factories.MemberPlaceFactory(name="D signé")
    factories.SignatureFactory(place=signed)
    viewer_of = factories.MemberPlaceFactory(name="E lecteur")
    suspended = factories.MemberPlaceFactory(name="F suspendu", status=Place.Status.SUSPENDED)
    for p in (incomplete, complete, to_sign, signed, suspended):
        factories.MembershipFactory(user=user, place=p, role=Role.REPRESENTATIVE)
    factories.MembershipFactory(user=user, place=viewer_of, role=Role.VIEWER)
    client.force_login(user)
    # session, user, memberships + places, activities, publics, signatures + versions,
    # the charter versions for the signature policy, unread messages of all the places (one
    # grouped query), commitments given to me (one count)
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert actions(response) == {
        "A incomplet": "Compléter la fiche du lieu",
        "B complet": "Attendre la validation de la coordination",
        "C à signer": "Signer la charte",
        "D signé": "Rédiger le bilan",
        "E lecteur": "Un·e représentant·e doit signer la charte",
        "F suspendu": "Aucune action : le lieu n’est pas membre actif du réseau",
    }
    html = response.content.decode()
    assert reverse("members:sign", args=[to_sign.slug]) in html
    assert f"/espace/{signed.slug}/bilans/" in html
    assert "alert-warning" not in html


def test_resigning_banner_with_deadline(client, place, representative):
    factories.SignatureFactory(place=place)
    published = timezone.now() - datetime.timedelta(days=5)
    factories.publish_version_2(when=published, grace_days=60)
    client.force_login(representative)
    response = client.get(URL)
    html = response.content.decode()
    deadline = timezone.localtime(published + datetime.timedelta(days=60))
    assert "alert-warning" in html and "version 2" in html
    assert f"{deadline.day} " in html
    assert actions(response)[place.name] == "Signer à nouveau la charte avant le"
    assert reverse("members:sign", args=[place.slug]) in html


def test_place_profile_page(client, place, viewer):
    client.force_login(viewer)
    response = client.get(reverse("members:place", args=[place.slug]))
    html = response.content.decode()
    assert place.name in html and place.rna in html
    assert reverse("members:place_edit", args=[place.slug]) not in html  # viewers only read
