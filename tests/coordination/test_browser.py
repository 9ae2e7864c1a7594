"""Browser: the coordinators' dashboard, the account and history pages, with axe-core."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from members.models import Membership, PlaceTransition
from members.territory import NATIONAL_GROUP
from tests import factories
from tests.coordination.test_dashboard import build_network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_admin_dashboard(live_server, page, client, screenshot):
    build_network(3)
    user = factories.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=NATIONAL_GROUP))
    login(page, live_server, client, user)
    page.goto(live_server.url + "/admin/")
    assert page.locator(".lcp-heatmap caption").is_visible()
    screenshot("admin-dashboard")


def test_account_and_history_pages_are_accessible(live_server, page, client, axe, screenshot):
    place = factories.MemberPlaceFactory(name="L’Escale")
    user = factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE).user
    PlaceTransition.objects.create(place=place, from_status="applicant", to_status="member")
    place.commune = "Saint-Malo"
    place.save()
    login(page, live_server, client, user)
    page.goto(live_server.url + "/espace/compte/")
    assert page.locator("h1").count() == 1
    axe(page)
    screenshot("account")
    page.goto(live_server.url + f"/espace/{place.slug}/historique/")
    axe(page)
    screenshot("history")


def test_place_admin_team_and_membership_rule(live_server, page, client, screenshot):
    """The place's team is read-only with links; the membership form keeps the last
    representative."""
    place = factories.MemberPlaceFactory(name="L’Escale")
    membership = factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE)
    user = factories.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=NATIONAL_GROUP))
    login(page, live_server, client, user)
    page.goto(live_server.url + f"/admin/members/place/{place.pk}/change/")
    screenshot("place-change")
    page.goto(live_server.url + "/admin/members/place/?sans_representant=1")
    screenshot("place-list-filters")
    page.goto(live_server.url + f"/admin/members/membership/{membership.pk}/change/")
    page.select_option("select[name=role]", Membership.Role.EDITOR.value)
    with page.expect_navigation():
        page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    assert page.locator("a.deletelink").count() == 0  # the last representative stays
    screenshot("membership-last-representative")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_history_with_every_kind_of_event_is_accessible(
    live_server, page, client, axe, screenshot, language
):
    from members.models import PlaceEvent
    from members.services.history import record

    place = factories.MemberPlaceFactory(name="L’Escale")
    viewer = factories.MembershipFactory(place=place, role=Membership.Role.VIEWER).user
    Code = PlaceEvent.Code
    for code, params in [
        (Code.PLACE_STATUS, {"from": "member", "to": "suspended", "reason": "Statuts à fournir."}),
        (Code.PROFILE_EDITED, {"changes": {"commune": ["Rennes", "Saint-Malo"], "logo": None}}),
        (Code.MEMBER_INVITED, {"email": "nouvelle@example.org", "role": "viewer"}),
        (Code.ROLE_CHANGED, {"person": "Camille Durand", "from": "viewer", "to": "editor"}),
        (Code.CHARTER_SIGNED, {"version": 1, "signatory": "Camille Durand", "title": "Présidente"}),
        (Code.REPORT_STATUS, {"year": 2025, "from": "draft", "to": "submitted"}),
    ]:
        record(place=place, code=code, by=viewer, **params)
    login(page, live_server, client, viewer)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(live_server.url + f"/espace/{place.slug}/historique/")
    expect(page.locator("tbody tr")).to_have_count(6)
    heading = "History of L’Escale" if language == "en" else "Historique de L’Escale"
    expect(page.locator("h1")).to_have_text(heading)
    axe(page)
    screenshot(f"history-events-{language}")
