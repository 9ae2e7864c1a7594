"""Permission matrix: every /espace/<slug>/ URL × role × method.

Anonymous: sent to log in (GET pages) or 404 (the place does not exist for them); outsider:
404; role too low: 403; allowed: 200 or a redirect after a POST.
"""

import pytest
from django.urls import reverse

from members.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db

ANON, OUTSIDER, VIEWER, EDITOR, REP = "anonymous", "outsider", "viewer", "editor", "representative"
RANK = {VIEWER: 1, EDITOR: 2, REP: 3}


@pytest.fixture
def world(place, representative, editor, viewer, outsider):
    """The place, one user per role, a member to act on, an invitation, a signature."""
    target = factories.MembershipFactory(place=place, role=Membership.Role.VIEWER)
    invitation = factories.InvitationFactory(place=place)
    signature = factories.SignatureFactory(place=place)
    return {
        "place": place,
        "users": {REP: representative, EDITOR: editor, VIEWER: viewer, OUTSIDER: outsider},
        "target": target,
        "invitation": invitation,
        "signature": signature,
    }


# (name, url builder, method, minimum role, POST data)
URLS = [
    ("place", lambda w: reverse("members:place", args=[w["place"].slug]), "GET", VIEWER),
    ("place_edit", lambda w: reverse("members:place_edit", args=[w["place"].slug]), "GET", EDITOR),
    ("place_edit", lambda w: reverse("members:place_edit", args=[w["place"].slug]), "POST", EDITOR),
    ("team", lambda w: reverse("members:team", args=[w["place"].slug]), "GET", VIEWER),
    ("team", lambda w: reverse("members:team", args=[w["place"].slug]), "POST", REP),
    (
        "team_role",
        lambda w: reverse("members:team_role", args=[w["place"].slug, w["target"].pk]),
        "POST",
        REP,
    ),
    (
        "team_remove",
        lambda w: reverse("members:team_remove", args=[w["place"].slug, w["target"].pk]),
        "POST",
        REP,
    ),
    (
        "invitation_revoke",
        lambda w: reverse("members:invitation_revoke", args=[w["place"].slug, w["invitation"].pk]),
        "POST",
        REP,
    ),
    ("team_leave", lambda w: reverse("members:team_leave", args=[w["place"].slug]), "POST", VIEWER),
    ("sign", lambda w: reverse("members:sign", args=[w["place"].slug]), "GET", REP),
    ("sign", lambda w: reverse("members:sign", args=[w["place"].slug]), "POST", REP),
    (
        "certificate",
        lambda w: reverse("members:certificate", args=[w["place"].slug, w["signature"].pk]),
        "GET",
        VIEWER,
    ),
]
POST_ONLY = {"team_role", "team_remove", "invitation_revoke", "team_leave"}


def expected(role, method, minimum):
    if role == ANON:
        return {302} if method == "GET" else {302, 404}
    if role == OUTSIDER:
        return {404}
    if RANK[role] < RANK[minimum]:
        return {403}
    return {200, 302, 400} if method == "POST" else {200}


@pytest.mark.parametrize("role", [ANON, OUTSIDER, VIEWER, EDITOR, REP])
@pytest.mark.parametrize(
    ("name", "build", "method", "minimum"), URLS, ids=[f"{u[0]}-{u[2]}" for u in URLS]
)
def test_matrix(client, world, role, name, build, method, minimum):
    if role != ANON:
        client.force_login(world["users"][role])
    url = build(world)
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert response.status_code in expected(role, method, minimum), (role, url, method)
    if role == ANON and response.status_code == 302:
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_get(client, world, name):
    client.force_login(world["users"][REP])
    build = next(u[1] for u in URLS if u[0] == name)
    assert client.get(build(world)).status_code == 405


def test_unknown_place_is_404_even_for_members(client, representative):
    client.force_login(representative)
    assert client.get(reverse("members:place", args=["nexiste-pas"])).status_code == 404


def test_nothing_changes_for_forbidden_posts(client, world):
    """Side effects: a too-low role's POSTs leave the team as it was."""
    client.force_login(world["users"][EDITOR])
    place = world["place"]
    client.post(reverse("members:team_remove", args=[place.slug, world["target"].pk]))
    client.post(
        reverse("members:team_role", args=[place.slug, world["target"].pk]),
        {"role": Membership.Role.REPRESENTATIVE},
    )
    world["target"].refresh_from_db()
    assert world["target"].role == Membership.Role.VIEWER


def test_tabs_offer_only_what_the_role_may_open(client, place, editor, representative):
    sign_url = f"/espace/{place.slug}/signer/"
    history_url = f"/espace/{place.slug}/historique/"
    client.force_login(editor)
    html = client.get(f"/espace/{place.slug}/equipe/").content.decode()
    assert sign_url not in html and history_url not in html
    client.force_login(representative)
    html = client.get(f"/espace/{place.slug}/equipe/").content.decode()
    assert sign_url in html and history_url in html
