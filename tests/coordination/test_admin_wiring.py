"""The coordination pieces wired into the real admin: dashboard links, team rules."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from members.models import Membership
from members.stats import dashboard_figures
from tests import factories
from tests.coordination.test_dashboard import build_network

pytestmark = pytest.mark.django_db


class DashboardLinks(HTMLParser):
    """Every href inside <section class="lcp-dashboard">."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (self.depth or "lcp-dashboard" in attrs.get("class", "")):
            self.depth += 1
        elif tag == "a" and self.depth:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "section" and self.depth:
            self.depth -= 1


def _figures_with_links(figures):
    yield figures["applications"]
    yield figures["without_representative"]
    yield from figures["places_by_status"]
    yield from figures["signatures"]
    yield from figures.get("campaign_figures", [])


@pytest.mark.parametrize("who", ["national", "territorial"])
def test_every_dashboard_link_opens_its_list(client, request, who):
    user = request.getfixturevalue(who)
    build_network(n=2)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    parser = DashboardLinks()
    parser.feed(response.content.decode())
    # Places: status ×5 + applications + without representative, signatures ×4, campaign ×7,
    # review list, review queue, exports ×4.
    assert len(parser.links) >= 20, parser.links
    for url in parser.links:
        response = client.get(url)
        # An unknown filter parameter would redirect to "?e=1" (the admin's error page).
        assert response.status_code == 200, url
        assert "e" not in parse_qs(urlsplit(url).query), url


@pytest.mark.parametrize("who", ["national", "territorial"])
def test_dashboard_figures_match_the_lists_they_link_to(client, request, who):
    user = request.getfixturevalue(who)
    build_network(n=2)
    client.force_login(user)
    figures = dashboard_figures(user)
    checked = 0
    for figure in _figures_with_links(figures):
        response = client.get(figure["url"])
        assert response.status_code == 200, figure["url"]
        assert response.context["cl"].result_count == figure["value"], figure
        checked += 1
    assert checked >= 17
    response = client.get(figures["review_url"])
    assert response.context["cl"].result_count == figures["review_count"]
    # The numbers are not all zero: the test compares something.
    assert figures["review_count"] > 0
    assert any(f["value"] for f in figures["campaign_figures"])


def test_place_admin_filters_and_actions(client, national):
    client.force_login(national)
    response = client.get(reverse("admin:members_place_changelist"))
    assert response.status_code == 200
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert {"approve", "reject", "suspend", "reinstate", "withdraw", "remind_action"} <= set(
        actions
    )
    for param in ("sans_representant=1", "signature=lapsed", "suivi=late"):
        assert client.get(f"{reverse('admin:members_place_changelist')}?{param}").status_code == 200


def test_place_history_is_shown_to_coordinators(client, national, rennes):
    rennes.description = "Un nouveau texte"
    rennes.save()
    client.force_login(national)
    response = client.get(reverse("admin:members_place_history", args=[rennes.pk]))
    assert response.status_code == 200
    # simple-history's page: one row per version, with a link to each.
    record = rennes.history.first()
    assert reverse("admin:members_place_simple_history", args=[rennes.pk, record.pk]) in (
        response.content.decode()
    )


# --- Team: the last representative ----------------------------------------------------------


def test_team_inline_is_read_only_with_links(client, national, rennes):
    membership = Membership.objects.get(place=rennes)
    client.force_login(national)
    response = client.get(reverse("admin:members_place_change", args=[rennes.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="memberships-0-role"' not in content
    assert reverse("admin:members_membership_change", args=[membership.pk]) in content


def test_place_change_form_still_saves(client, national, rennes):
    """The read-only team inline does not get in the way of editing the profile."""
    client.force_login(national)
    url = reverse("admin:members_place_change", args=[rennes.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if name != "logo" and form[name].value() is not None
    }
    data["name"] = "Le Rennais solidaire"
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            data[f"{inline_form.prefix}-id"] = inline_form.instance.pk
            data[f"{inline_form.prefix}-place"] = rennes.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rennes.refresh_from_db()
    assert rennes.name == "Le Rennais solidaire"
    assert Membership.objects.filter(place=rennes).count() == 1


def test_last_representative_cannot_be_demoted(client, national, rennes):
    membership = Membership.objects.get(place=rennes)
    client.force_login(national)
    url = reverse("admin:members_membership_change", args=[membership.pk])
    response = client.post(url, {"role": Membership.Role.EDITOR})
    assert response.status_code == 200
    assert "garder au moins un·e représentant·e" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Membership.Role.REPRESENTATIVE
    # With a second representative, the change goes through.
    factories.MembershipFactory(place=rennes, role=Membership.Role.REPRESENTATIVE)
    assert client.post(url, {"role": Membership.Role.EDITOR}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.EDITOR


def test_last_representative_cannot_be_removed(client, national, rennes):
    membership = Membership.objects.get(place=rennes)
    client.force_login(national)
    url = reverse("admin:members_membership_delete", args=[membership.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
    other = factories.MembershipFactory(place=rennes, role=Membership.Role.REPRESENTATIVE)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert list(Membership.objects.filter(place=rennes)) == [other]


def test_memberships_are_not_bulk_deleted(client, national, rennes):
    client.force_login(national)
    response = client.get(reverse("admin:members_membership_changelist"))
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no action at all: no bulk delete
    membership = Membership.objects.get(place=rennes)
    client.post(
        reverse("admin:members_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_territorial_coordinator_reads_memberships_only(client, territorial, rennes):
    membership = Membership.objects.get(place=rennes)
    client.force_login(territorial)
    url = reverse("admin:members_membership_change", args=[membership.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"role": Membership.Role.VIEWER})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.REPRESENTATIVE


def test_departement_filter_narrows_to_the_chosen_region(client, national):
    client.force_login(national)
    url = reverse("admin:members_place_changelist")
    assert "Haute-Garonne" in client.get(url).content.decode()
    content = client.get(url, {"region": "53"}).content.decode()
    assert "Finistère" in content
    assert "Haute-Garonne" not in content
