"""/espace/<slug>/historique/: every member of the team reads the place's whole history, in
their own language, people by name; coordinators read it in the admin."""

import re

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from members.forms.places import PlaceForm
from members.models import Membership, PlaceEvent
from members.services import places as place_services
from members.services import teams as team_services
from members.services.history import record
from members.views.history import PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def url(place):
    return reverse("members:place_history", args=[place.slug])


def edit_profile(client, place, **changes):
    """Post the profile form as it stands, with ``changes``, as the logged-in editor."""
    form = PlaceForm(instance=place)
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False, "")}
    data.pop("logo", None)
    data.update(changes)
    response = client.post(reverse("members:place_edit", args=[place.slug]), data)
    assert response.status_code == 302, response.context["form"].errors


@pytest.fixture
def history(client, place, national, representative, editor):
    """A suspension with its reason, a profile edit by the editor, an invitation, a role."""
    place_services.suspend_place(place=place, by=national, reason="Bienvenue à la relecture")
    place_services.reinstate_place(place=place, by=national)
    client.force_login(editor)
    edit_profile(client, place, commune="Saint-Malo")
    team_services.invite_member(
        place=place, email="nouvelle@example.org", role=Membership.Role.VIEWER, by=representative
    )
    membership = place.memberships.get(user=editor)
    team_services.change_role(membership=membership, role=Membership.Role.VIEWER, by=representative)
    client.logout()
    return place


@pytest.mark.parametrize("role", ["representative", "editor", "viewer"])
def test_every_member_reads_the_history(client, request, role, history, editor):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(history))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Statut du lieu : Membre → Suspendue" in content
    assert "Bienvenue à la relecture" in content  # the coordinator's reason
    assert "La coordination du réseau" in content  # a coordinator acts for the network
    assert "Fiche modifiée : Commune." in content
    assert "Rennes" in content and "Saint-Malo" in content  # old → new
    assert editor.get_full_name() in content  # who edited the profile, by name
    assert f"Rôle de {editor.get_full_name()} : Rédacteur·rice → Lecteur·rice." in content
    assert content.count("<h1") == 1
    # The tab bar leads here from every page of the place's space.
    place_page = client.get(reverse("members:place", args=[history.slug])).content.decode()
    assert url(history) in place_page


def test_a_viewer_sees_no_address_the_representative_does(client, history, viewer, representative):
    client.force_login(viewer)
    content = client.get(url(history)).content.decode()
    assert "Une personne a été invitée comme Lecteur·rice." in content
    assert not EMAIL.findall(content.replace(viewer.email, "")), EMAIL.findall(content)
    client.force_login(representative)
    content = client.get(url(history)).content.decode()
    assert "nouvelle@example.org a été invité·e comme Lecteur·rice." in content


def test_the_history_is_read_in_the_readers_language(client, history, viewer):
    client.force_login(viewer)
    content = client.get(url(history), headers={"accept-language": "en"}).content.decode()
    assert "Place status: Member → Suspended." in content
    assert "Profile edited: Commune." in content or "Profile edited: Town." in content
    assert "Someone was invited as Viewer." in content
    assert "Statut du lieu" not in content


def test_outsider_gets_404(client, outsider, history):
    client.force_login(outsider)
    assert client.get(url(history)).status_code == 404


def test_anonymous_redirected(client, history):
    assert client.get(url(history)).status_code == 302


def test_wrong_method(client, viewer, history):
    client.force_login(viewer)
    assert client.post(url(history)).status_code == 405


def test_paginated_with_constant_queries(client, viewer, place, django_assert_num_queries):
    client.force_login(viewer)
    for n in range(PER_PAGE + 5):
        record(place=place, code=PlaceEvent.Code.PROFILE_EDITED, changes={"commune": ["A", n]})
    record(place=place, code=PlaceEvent.Code.COORDINATOR_COMMENT, year=2025, commitments=[1, 2])
    # session, user, membership + place, count, the page's events with their authors,
    # the commented commitments' titles
    with django_assert_num_queries(6):
        response = client.get(url(place))
    assert len(response.context["page"].object_list) == PER_PAGE
    assert isinstance(response.context["page"].paginator, Paginator)
    factories.PlaceFactory()  # unrelated data changes nothing
    for n in range(PER_PAGE):
        record(place=place, code=PlaceEvent.Code.MEMBER_LEFT, person=f"P{n}")
    with django_assert_num_queries(5):  # no commented commitment on this page
        response = client.get(url(place) + "?page=3")
    assert len(response.context["page"].object_list) == 6


# --- Coordinators read the same history in the admin -------------------------------------------


def admin_url(place):
    return reverse("admin:members_place_events", args=[place.pk])


def test_coordinators_read_it_in_the_admin_with_names(client, national, history, editor):
    client.force_login(national)
    change = client.get(reverse("admin:members_place_change", args=[history.pk]))
    assert admin_url(history) in change.content.decode()
    content = client.get(admin_url(history)).content.decode()
    assert "Statut du lieu : Membre → Suspendue" in content
    assert "nouvelle@example.org a été invité·e" in content  # coordinators see addresses
    assert national.get_full_name() in content  # and each other's names


def test_a_coordinator_outside_the_territory_gets_404(client, territorial):
    place = factories.MemberPlaceFactory(postcode="13001", departement="13", region="93")
    client.force_login(territorial)
    assert client.get(admin_url(place)).status_code == 404


def test_a_profile_edit_in_the_admin_is_in_the_history(client, national, place):
    client.force_login(national)
    change_url = reverse("admin:members_place_change", args=[place.pk])
    form = client.get(change_url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: v for k, v in data.items() if v not in (False, "") and k != "logo"}
    data.update(name="Nouveau nom", **_inline_management(client.get(change_url)))
    assert client.post(change_url, data).status_code == 302
    event = place.events.get(code=PlaceEvent.Code.PROFILE_EDITED)
    assert event.by == national and "name" in event.params["changes"]


def _inline_management(response):
    """The management forms of the change page's inlines, as the browser posts them."""
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data
