"""Registering a place: the form, the service, duplicates, the coordinators' e-mail."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.models import (
    CoordinatorScope,
    Membership,
    Place,
    PlaceTransition,
)
from members.territory import TERRITORIAL_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("members:register")


form_data = factories.place_form_data


def png_bytes(size=(10, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def user(db):
    return factories.UserFactory(email="fondatrice@example.org")


@pytest.fixture
def coordinators(db, settings, national, territorial, unscoped_staff):
    """Told of a registration in Corsica: the national coordinator, Corsica's territorial
    coordinator and the extra address; never Bretagne's nor staff without a territory."""
    settings.COORDINATORS_EMAIL = ["coordination@reseau.example"]
    corse = factories.UserFactory(email="corse@reseau.example", is_staff=True)
    corse.groups.add(Group.objects.get(name=TERRITORIAL_GROUP))
    CoordinatorScope.objects.create(user=corse, regions=["94"])
    return corse


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_form_shows_fieldsets(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for legend in ("Identité", "Identifiants légaux", "Adresse", "Contact", "Présentation"):
        assert f"<legend>{legend}" in html or f">{legend}</legend>" in html


def test_registration_creates_applicant_with_representative(
    client, user, coordinators, django_capture_on_commit_callbacks
):
    client.force_login(user)
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {**form_data(siret="732 829 320 00074"), "logo": logo})
    place = Place.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("members:place", args=[place.slug])
    assert place.slug == "la-ruche-du-quartier"
    assert place.status == Place.Status.APPLICANT
    assert place.siret == "73282932000074"  # spaces removed
    assert (place.departement, place.region) == ("2B", "94")
    assert place.logo.name.startswith("places/logos/")
    assert place.activities.count() == 1 and place.publics.count() == 1
    membership = Membership.objects.get(place=place)
    assert membership.user == user and membership.role == Membership.Role.REPRESENTATIVE
    transition = PlaceTransition.objects.get(place=place)
    assert (transition.from_status, transition.to_status, transition.by) == (
        "",
        Place.Status.APPLICANT,
        user,
    )
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == [
        "coordination@reseau.example",
        "corse@reseau.example",
        "nationale@example.org",
    ]
    assert "La Ruche du Quartier" in mail.outbox[0].subject
    assert f"/admin/members/place/{place.pk}/change/" in mail.outbox[0].body


def test_slug_is_unique(client, user):
    factories.PlaceFactory(name="La Ruche du Quartier", slug="la-ruche-du-quartier")
    client.force_login(user)
    client.post(URL, form_data())
    assert Place.objects.filter(slug="la-ruche-du-quartier-2").exists()


def test_slug_never_shadows_a_portal_path(client, user):
    client.force_login(user)
    client.post(URL, form_data(name="Inscrire"))
    assert Place.objects.get().slug == "inscrire-2"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rna": "", "siret": ""}, "rna", "au moins un identifiant"),
        ({"rna": "W12"}, "rna", "W suivie de 9 chiffres"),
        ({"rna": "", "siret": "73282932000075"}, "siret", "pas valide"),
        ({"postcode": "99999"}, "postcode", "code postal français"),
        ({"year_founded": "2999"}, "year_founded", "entre 1800"),
    ],
)
def test_bad_input_is_refused_and_kept(client, user, overrides, field, message):
    client.force_login(user)
    data = form_data(**overrides)
    response = client.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert list(form.errors) == [field] and len(form.errors[field]) == 1  # said once, where due
    html = response.content.decode()
    assert 'value="La Ruche du Quartier"' in html  # nothing typed is lost
    assert 'value="3 place du Marché"' in html
    assert "Un lieu pour se retrouver." in html
    assert not Place.objects.exists()


def test_logo_must_be_a_real_image(client, user):
    client.force_login(user)
    fake = SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png")
    response = client.post(URL, {**form_data(), "logo": fake})
    assert "logo" in response.context["form"].errors
    assert not Place.objects.exists()


def test_logo_larger_than_two_megabytes_is_refused(client, user):
    client.force_login(user)
    big = png_bytes() + b"\0" * (2 * 1024 * 1024)
    response = client.post(
        URL, {**form_data(), "logo": SimpleUploadedFile("l.png", big, content_type="image/png")}
    )
    assert "2 Mo" in " ".join(response.context["form"].errors["logo"])
    assert not Place.objects.exists()


@pytest.mark.parametrize("field", ["rna", "siret"])
def test_duplicate_identifier_is_refused_with_a_way_to_join(
    client, user, field, django_capture_on_commit_callbacks
):
    existing = factories.MemberPlaceFactory(name="Maison Existante", commune="Lorient")
    rep = factories.MembershipFactory(place=existing).user
    client.force_login(user)
    overrides = {"rna": existing.rna} if field == "rna" else {"rna": "", "siret": existing.siret}
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 200
    assert "déjà celui d’un lieu inscrit" in " ".join(response.context["form"].errors[field])
    identifier = existing.rna if field == "rna" else existing.siret
    assert response.context["duplicate"] == identifier
    html = response.content.decode()
    assert reverse("members:join_request") in html
    assert f'name="identifier" value="{identifier}"' in html
    # Never the name nor the town of the place that holds the number (issue #13).
    assert "Maison Existante" not in html and "Lorient" not in html
    assert Place.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:join_request"), {"identifier": identifier})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[rep.email]]
    assert user.email in mail.outbox[0].body
    assert reverse("members:team", args=[existing.slug]) in mail.outbox[0].body
    assert not existing.memberships.filter(user=user).exists()  # they still have to invite


def test_join_request_unknown_identifier(client, user):
    client.force_login(user)
    response = client.post(reverse("members:join_request"), {"identifier": "W999999999"})
    assert response.status_code == 302
    assert response.url == reverse("members:dashboard")  # as for a known number
    assert not mail.outbox


def test_join_request_needs_post(client, user):
    client.force_login(user)
    assert client.get(reverse("members:join_request")).status_code == 405


def test_edit_profile_keeps_the_same_rules(client, place, editor):
    client.force_login(editor)
    url = reverse("members:place_edit", args=[place.slug])
    data = form_data(rna=place.rna, siret=place.siret, name="Nouveau nom")
    response = client.post(url, data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Nouveau nom" and place.departement == "2B"
    assert place.slug.startswith("maison-des-possibles")  # the address of the page stays

    other = factories.PlaceFactory()
    response = client.post(url, {**data, "rna": other.rna})
    assert "rna" in response.context["form"].errors
    assert response.context["place"].name == "Nouveau nom"  # the heading keeps the saved name


def test_viewer_cannot_edit(client, place, viewer):
    client.force_login(viewer)
    assert client.get(reverse("members:place_edit", args=[place.slug])).status_code == 403


def test_model_clean_validates_and_derives_location():
    place = factories.PlaceFactory.build(rna=" w 123456789", siret="", postcode="97400")
    place.clean()
    assert place.rna == "W123456789"
    assert (place.departement, place.region) == ("974", "04")
    place.rna = ""
    with pytest.raises(Exception) as exc:
        place.clean()
    assert "rna" in exc.value.message_dict


def test_a_withdrawn_place_whose_number_was_registered_again_is_not_reinstated(coordinator):
    from members.services import TransitionError
    from members.services import places as place_services

    withdrawn = factories.PlaceFactory(status=Place.Status.WITHDRAWN)
    factories.PlaceFactory(rna=withdrawn.rna, status=Place.Status.APPLICANT)
    with pytest.raises(TransitionError):
        place_services.reinstate_place(place=withdrawn, by=coordinator)
    withdrawn.refresh_from_db()
    assert withdrawn.status == Place.Status.WITHDRAWN
