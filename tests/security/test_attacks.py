"""An attacker's tour of the portal: each attack is refused and nothing changes.

1. Other places' objects, by changing slugs and ids in every /espace/ URL.
2. Script and HTML payloads in every free-text field, on every page that shows them.
3. Files that lie about their type, and oversized files.
4. POSTs without a CSRF token.
5. Login brute force and account enumeration.
6. Security headers.
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from members.models import Membership

from .helpers import snapshot

Role = Membership.Role

# --- 1. Other places' objects ------------------------------------------------------------------

# Every /espace/<slug>/… URL: name → (methods it accepts, what a harmful POST would send).
PLACE_URLS = {
    "members:place": ("GET",),
    "members:place_edit": ("GET", "POST"),
    "members:place_history": ("GET",),
    "members:team": ("GET", "POST"),
    "members:team_leave": ("POST",),
    "members:team_role": ("POST",),
    "members:team_remove": ("POST",),
    "members:invitation_revoke": ("POST",),
    "members:sign": ("GET", "POST"),
    "members:certificate": ("GET",),
    "members:report_list": ("GET",),
    "members:report_markdown_preview": ("POST",),
    "members:report_detail": ("GET",),
    "members:report_start": ("POST",),
    "members:report_section": ("GET", "POST"),
    "members:report_indicators": ("GET", "POST"),
    "members:report_preview": ("GET",),
    "members:report_submit": ("POST",),
    "members:report_publication": ("POST",),
    "members:report_print": ("GET",),
    "members:report_pdf": ("GET",),
    "members:report_extension": ("GET", "POST"),
    "members:report_evidence": ("GET",),
}
# The least role each URL needs (the rest: any member of the team).
MIN_ROLE = {
    "members:place_edit": Role.EDITOR,
    "members:place_history": Role.REPRESENTATIVE,
    "members:team_role": Role.REPRESENTATIVE,
    "members:team_remove": Role.REPRESENTATIVE,
    "members:invitation_revoke": Role.REPRESENTATIVE,
    "members:sign": Role.REPRESENTATIVE,
    "members:report_markdown_preview": Role.EDITOR,
    "members:report_start": Role.EDITOR,
    "members:report_section": Role.EDITOR,
    "members:report_indicators": Role.EDITOR,
    "members:report_submit": Role.EDITOR,
    "members:report_publication": Role.EDITOR,
    "members:report_extension": Role.REPRESENTATIVE,
}
# POSTs to the team URL need representatives, GETs any member.
MIN_ROLE_POST = {"members:team": Role.REPRESENTATIVE}


def _kwargs(name, place, w):
    """The URL's arguments, pointing at ``place``'s own objects."""
    own = place == w.a
    team = w.team_a if own else w.team_b
    report = w.report_a if own else w.report_b
    kwargs = {"slug": place.slug}
    if name.startswith("members:report_") and name != "members:report_list":
        if name != "members:report_markdown_preview":
            kwargs["year"] = report.campaign.year
    extra = {
        "members:team_role": team.viewer.pk,
        "members:team_remove": team.viewer.pk,
        "members:invitation_revoke": (w.invitation_a if own else w.invitation_b).pk,
        "members:certificate": (w.signature_a if own else w.signature_b).pk,
        "members:report_evidence": (w.evidence_a if own else w.evidence_b).pk,
    }
    if name in extra:
        kwargs["pk"] = extra[name]
    if name == "members:report_section":
        kwargs["position"] = 1
    return kwargs


def _harmful_post(name, place, w):
    """What an attacker would send: valid enough that a missing check would change data."""
    report = w.report_a if place == w.a else w.report_b
    answers = report.answers.filter(commitment__section__position=1)
    data = {
        "members:place_edit": {"name": "Piraté", "legal_name": "Piraté", "postcode": "35000"},
        "members:team": {"email": "pirate@example.org", "role": Role.REPRESENTATIVE},
        "members:team_role": {"role": Role.REPRESENTATIVE},
        "members:sign": {
            "signatory_name": "Pirate",
            "signatory_title": "Président",
            "board_decision_date": "2025-01-01",
            "mandate_certified": "on",
        },
        "members:report_section": {
            "revision": report.revision,
            **{f"a{a.pk}-level": "4" for a in answers},
            **{f"a{a.pk}-narrative": "Piraté" for a in answers},
            **{f"a{a.pk}-remove_evidence": [str(e.pk) for e in a.evidence.all()] for a in answers},
        },
        "members:report_indicators": {"revision": report.revision},
        "members:report_publication": {"publish": ""},
        "members:report_extension": {"reason": "Piraté"},
        "members:report_markdown_preview": {"text": "Piraté"},
    }
    return data.get(name, {})


def _request(client, method, url, data):
    return client.post(url, data) if method == "POST" else client.get(url)


def test_every_place_url_is_attacked():
    """The table above lists every /espace/<slug>/… URL: a new one must be added to it."""
    resolver = get_resolver()
    names = set()

    def walk(patterns, prefix, namespace):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLPattern):
                if route.startswith("espace/<slug:slug>/") and p.name:
                    names.add(f"{namespace}:{p.name}" if namespace else p.name)
            else:
                ns = p.namespace or namespace
                walk(p.url_patterns, route, ns)

    walk(resolver.url_patterns, "", None)
    assert names == set(PLACE_URLS)


@pytest.mark.parametrize("name", sorted(PLACE_URLS))
def test_outsider_gets_404_on_every_url_of_another_place(client, world, name):
    """A member of another place, changing the slug (and ids) to place A's: 404, no change."""
    client.force_login(world.outsider)
    url = reverse(name, kwargs=_kwargs(name, world.a, world))
    before = snapshot()
    for method in PLACE_URLS[name]:
        response = _request(client, method, url, _harmful_post(name, world.a, world))
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(PLACE_URLS))
def test_representative_of_a_gets_404_on_place_b_urls(client, world, name):
    """The most powerful member of A, with B's slug: B does not exist for them."""
    client.force_login(world.team_a.representative.user)
    url = reverse(name, kwargs=_kwargs(name, world.b, world))
    before = snapshot()
    for method in PLACE_URLS[name]:
        response = _request(client, method, url, _harmful_post(name, world.b, world))
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


# A's slug with one of B's ids (or B's year, where A has no report).
CROSS_IDS = {
    "members:team_role": ("POST", lambda w: {"pk": w.team_b.viewer.pk}),
    "members:team_remove": ("POST", lambda w: {"pk": w.team_b.viewer.pk}),
    "members:invitation_revoke": ("POST", lambda w: {"pk": w.invitation_b.pk}),
    "members:certificate": ("GET", lambda w: {"pk": w.signature_b.pk}),
    "members:report_evidence": (
        "GET",
        lambda w: {"year": w.report_a.campaign.year, "pk": w.evidence_b.pk},
    ),
    **{
        name: (method, lambda w: {"year": w.report_b.campaign.year})
        for name, method in [
            ("members:report_detail", "GET"),
            ("members:report_section", "GET"),
            ("members:report_section", "POST"),
            ("members:report_indicators", "POST"),
            ("members:report_preview", "GET"),
            ("members:report_submit", "POST"),
            ("members:report_publication", "POST"),
            ("members:report_print", "GET"),
            ("members:report_pdf", "GET"),
        ]
    },
}


@pytest.mark.parametrize("name", sorted(CROSS_IDS))
def test_representative_of_a_gets_404_for_b_ids_under_a_slug(client, world, name):
    """/espace/lieu-a/signatures/<B's signature>/certificat/ and the like: 404, no change."""
    method, target = CROSS_IDS[name]
    kwargs = {**_kwargs(name, world.a, world), **target(world)}
    url = reverse(name, kwargs=kwargs)
    data = _harmful_post(name, world.b, world)
    client.force_login(world.team_a.representative.user)
    before = snapshot()
    response = _request(client, method, url, data)
    assert response.status_code == 404, (url, response.status_code)
    assert snapshot() == before


def test_the_cross_id_urls_work_with_a_own_ids(client, world):
    """The same URLs with A's own ids answer: the 404s above are about ownership."""
    client.force_login(world.team_a.representative.user)
    for name in ("members:certificate", "members:report_evidence", "members:report_detail"):
        response = client.get(reverse(name, kwargs=_kwargs(name, world.a, world)))
        assert response.status_code == 200, name


def _too_low_roles():
    """(role, URL name, method) for every role below what the URL needs."""
    for name, methods in sorted(PLACE_URLS.items()):
        for method in methods:
            needed = (MIN_ROLE_POST.get(name) if method == "POST" else None) or MIN_ROLE.get(name)
            if needed:
                yield Role.VIEWER, name, method
            if needed == Role.REPRESENTATIVE:
                yield Role.EDITOR, name, method


@pytest.mark.parametrize(("role", "name", "method"), list(_too_low_roles()))
def test_too_low_role_gets_403_and_changes_nothing(client, world, role, name, method):
    member = world.team_a.viewer if role == Role.VIEWER else world.team_a.editor
    client.force_login(member.user)
    url = reverse(name, kwargs=_kwargs(name, world.a, world))
    before = snapshot()
    response = _request(client, method, url, _harmful_post(name, world.a, world))
    assert response.status_code == 403, (method, url, response.status_code)
    assert snapshot() == before


def test_anonymous_is_sent_to_log_in_and_changes_nothing(client, world):
    before = snapshot()
    for name, methods in PLACE_URLS.items():
        url = reverse(name, kwargs=_kwargs(name, world.a, world))
        for method in methods:
            response = _request(client, method, url, _harmful_post(name, world.a, world))
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("account_login"))
    assert snapshot() == before


def test_guessed_invitation_token_is_404(client, world):
    client.force_login(world.outsider)
    before = snapshot()
    for token in ("1", world.invitation_b.token[:-1] + "x", str(world.invitation_b.pk)):
        response = client.post(reverse("members:invitation", args=[token]))
        assert response.status_code == 404
    assert snapshot() == before
