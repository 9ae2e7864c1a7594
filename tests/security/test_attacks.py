"""An attacker's tour of the portal: each attack is refused and nothing changes.

1. Other places' objects, by changing slugs and ids in every /espace/ URL.
2. Script and HTML payloads in every free-text field, on every page that shows them.
3. Files that lie about their type, and oversized files.
4. POSTs without a CSRF token.
5. Login brute force and account enumeration.
6. Security headers.
"""

import csv
import io
from pathlib import Path

import pytest
from django.http import Http404
from django.urls import URLPattern, get_resolver, reverse

from members.models import Membership, Place
from tests import factories

from .helpers import XSS, XSS_PAYLOADS, assert_no_raw_payload, media_files, snapshot

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
    "members:signature_minutes": ("GET",),
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
    "members:report_general_assembly_odt": ("GET",),
    "members:report_general_assembly_pdf": ("GET",),
    "members:report_commitment": ("GET", "POST"),
    "members:report_assign": ("POST",),
    "members:report_assign_section": ("POST",),
    "members:report_message_file": ("GET",),
    "members:peer_reviews": ("GET", "POST"),
    "members:peer_accept": ("POST",),
    "members:peer_revoke": ("POST",),
    "members:peer_report": ("GET",),
    "members:peer_commitment": ("GET", "POST"),
    "members:peer_message_file": ("GET",),
}
# URLs that answer only once the report is sent (before: 404 for everyone).
SENT_REPORT_URLS = {"members:report_general_assembly_odt", "members:report_general_assembly_pdf"}
# The least role each URL needs (the rest: any member of the team).
MIN_ROLE = {
    "members:place_edit": Role.EDITOR,
    "members:team_role": Role.REPRESENTATIVE,
    "members:team_remove": Role.REPRESENTATIVE,
    "members:invitation_revoke": Role.REPRESENTATIVE,
    "members:sign": Role.REPRESENTATIVE,
    "members:signature_minutes": Role.REPRESENTATIVE,
    "members:report_markdown_preview": Role.EDITOR,
    "members:report_start": Role.EDITOR,
    "members:report_section": Role.EDITOR,
    "members:report_indicators": Role.EDITOR,
    "members:report_submit": Role.EDITOR,
    "members:report_publication": Role.EDITOR,
    "members:report_extension": Role.REPRESENTATIVE,
    "members:report_general_assembly_odt": Role.EDITOR,
    "members:report_general_assembly_pdf": Role.EDITOR,
    "members:report_assign": Role.EDITOR,
    "members:report_assign_section": Role.EDITOR,
    "members:peer_accept": Role.REPRESENTATIVE,
    "members:peer_revoke": Role.REPRESENTATIVE,
}
# POSTs to the team URL need representatives, GETs any member; a thread is read by the whole
# team, written by its editors.
MIN_ROLE_POST = {
    "members:team": Role.REPRESENTATIVE,
    "members:report_commitment": Role.EDITOR,
    "members:peer_reviews": Role.REPRESENTATIVE,
    "members:peer_commitment": Role.EDITOR,
}


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
        "members:signature_minutes": (w.signature_a if own else w.signature_b).pk,
        "members:report_evidence": (w.evidence_a if own else w.evidence_b).pk,
        "members:report_message_file": (w.message_a if own else w.message_b).pk,
    }
    if name in extra:
        kwargs["pk"] = extra[name]
    if name in ("members:report_section", "members:report_assign_section"):
        kwargs["position"] = 1
    if name in THREAD_URLS:
        kwargs["key"] = (w.message_a if own else w.message_b).answer.commitment.key
    if name in PEER_URLS:  # the peer review of C's report that the place received
        kwargs["pk"] = (w.peer_a if own else w.peer_b).pk
    if name in ("members:peer_commitment", "members:peer_message_file"):
        kwargs["key"] = w.message_c.answer.commitment.key
    if name == "members:peer_message_file":
        kwargs["message_pk"] = w.message_c.pk
    return kwargs


THREAD_URLS = {"members:report_commitment", "members:report_assign", "members:report_message_file"}
PEER_URLS = {
    "members:peer_accept",
    "members:peer_revoke",
    "members:peer_report",
    "members:peer_commitment",
    "members:peer_message_file",
}


def _harmful_post(name, place, w):
    """What an attacker would send: valid enough that a missing check would change data."""
    report = w.report_a if place == w.a else w.report_b
    team = w.team_a if place == w.a else w.team_b
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
        "members:report_commitment": {"body": "Piraté"},
        "members:report_assign": {"assignee": team.editor.user.pk},
        "members:report_assign_section": {"assignee": team.editor.user.pk},
        "members:peer_reviews": {
            "report": report.pk,
            "peer": (w.b if place == w.a else w.a).slug,
            "days": 30,
        },
        "members:peer_commitment": {"body": "Piraté"},
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


def _assert_404_without_change(client, world, name, place):
    """Every method on ``name``'s URL for ``place``: 404, and nothing changed."""
    url = reverse(name, kwargs=_kwargs(name, place, world))
    before = snapshot()
    for method in PLACE_URLS[name]:
        response = _request(client, method, url, _harmful_post(name, place, world))
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(PLACE_URLS))
def test_outsider_gets_404_on_every_url_of_another_place(client, world, name):
    """A member of another place, changing the slug (and ids) to place A's: 404, no change."""
    client.force_login(world.outsider)
    _assert_404_without_change(client, world, name, world.a)


@pytest.mark.parametrize("name", sorted(PLACE_URLS))
def test_representative_of_a_gets_404_on_place_b_urls(client, world, name):
    """The most powerful member of A, with B's slug: B does not exist for them."""
    client.force_login(world.team_a.representative.user)
    _assert_404_without_change(client, world, name, world.b)


# A's slug with one of B's ids (or B's year, where A has no report).
CROSS_IDS = {
    "members:team_role": ("POST", lambda w: {"pk": w.team_b.viewer.pk}),
    "members:team_remove": ("POST", lambda w: {"pk": w.team_b.viewer.pk}),
    "members:invitation_revoke": ("POST", lambda w: {"pk": w.invitation_b.pk}),
    "members:certificate": ("GET", lambda w: {"pk": w.signature_b.pk}),
    "members:signature_minutes": ("GET", lambda w: {"pk": w.signature_b.pk}),
    "members:report_evidence": (
        "GET",
        lambda w: {"year": w.report_a.campaign.year, "pk": w.evidence_b.pk},
    ),
    "members:report_message_file": (
        "GET",
        lambda w: {"year": w.report_a.campaign.year, "pk": w.message_b.pk},
    ),
    # A's slug with the peer review that B received.
    **{
        name: (method, lambda w: {"pk": w.peer_b.pk})
        for name, method in [
            ("members:peer_accept", "POST"),
            ("members:peer_revoke", "POST"),
            ("members:peer_report", "GET"),
            ("members:peer_commitment", "GET"),
            ("members:peer_commitment", "POST"),
            ("members:peer_message_file", "GET"),
        ]
    },
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
            ("members:report_commitment", "GET"),
            ("members:report_commitment", "POST"),
            ("members:report_assign", "POST"),
            ("members:report_assign_section", "POST"),
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
    for name in (
        "members:certificate",
        "members:signature_minutes",
        "members:report_evidence",
        "members:report_detail",
    ):
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


def _allowed_roles():
    """(role, URL name, method) for every role at or above what the URL needs."""
    ranks = [Role.VIEWER, Role.EDITOR, Role.REPRESENTATIVE]
    for name, methods in sorted(PLACE_URLS.items()):
        for method in methods:
            needed = (MIN_ROLE_POST.get(name) if method == "POST" else None) or MIN_ROLE.get(name)
            for role in ranks[ranks.index(needed or Role.VIEWER) :]:
                yield role, name, method


@pytest.mark.parametrize(("role", "name", "method"), list(_allowed_roles()))
def test_every_role_at_or_above_the_minimum_is_let_in(client, world, role, name, method):
    """The other side of the matrix: the roles a URL admits get the page (GET) or their POST
    is handled (a redirect, the page again with errors, or a bad request), never 403/404."""
    member = {
        Role.VIEWER: world.team_a.viewer,
        Role.EDITOR: world.team_a.editor,
        Role.REPRESENTATIVE: world.team_a.representative,
    }[role]
    if name in SENT_REPORT_URLS:
        from members.services import reports as report_services
        from tests.reports.conftest import complete

        complete(world.report_a, world.team_a.editor.user)
        report_services.submit_report(report=world.report_a, by=world.team_a.editor.user)
    client.force_login(member.user)
    url = reverse(name, kwargs=_kwargs(name, world.a, world))
    response = client.get(url) if method == "GET" else client.post(url, {})
    expected = {200} if method == "GET" else {200, 302, 400}
    assert response.status_code in expected, (role, method, url, response.status_code)


def test_post_only_urls_refuse_get(client, world):
    client.force_login(world.team_a.representative.user)
    for name, methods in PLACE_URLS.items():
        if methods == ("POST",):
            url = reverse(name, kwargs=_kwargs(name, world.a, world))
            assert client.get(url).status_code == 405, name


def test_an_unknown_place_is_404_even_for_members(client, world):
    client.force_login(world.team_a.representative.user)
    assert client.get(reverse("members:place", args=["nexiste-pas"])).status_code == 404


# Private files do not exist for anonymous visitors either: 404, not a login page.
PRIVATE_FILE_URLS = {
    "members:report_evidence",
    "members:signature_minutes",
    "members:report_message_file",
    "members:peer_message_file",
}


def test_anonymous_is_sent_to_log_in_and_changes_nothing(client, world):
    before = snapshot()
    for name, methods in PLACE_URLS.items():
        url = reverse(name, kwargs=_kwargs(name, world.a, world))
        for method in methods:
            response = _request(client, method, url, _harmful_post(name, world.a, world))
            if name in PRIVATE_FILE_URLS:
                assert response.status_code == 404, (method, url)
                continue
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


# --- 2. Script and HTML payloads in every free-text field --------------------------------------

PLACE_TEXT_FIELDS = ("name", "legal_name", "description", "commune", "street")


def _place_form_data(place, **changes):
    from members.forms.places import PlaceForm

    form = PlaceForm(instance=place)
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if name in ("activities", "publics"):
            data[name] = [str(v.pk) for v in value or []]
        elif name == "logo" or value is None:
            continue
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    data.update(changes)
    return data


def _pages(client, urls):
    """GET each URL and check the payloads never come back as live markup."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        content = (b"".join(response) if response.streaming else response.content).decode()
        if "text/html" in response["Content-Type"]:
            assert_no_raw_payload(content, url)
            assert XSS_PAYLOADS[0] not in content
        else:  # data (JSON, CSV): never sniffed as HTML
            assert response["X-Content-Type-Options"] == "nosniff"
    return True


@pytest.fixture
def coordinator_client(db):
    from django.test import Client

    client = Client()
    client.force_login(
        factories.UserFactory(email="coord@example.org", is_staff=True, is_superuser=True)
    )
    return client


def test_payloads_in_the_place_profile_are_escaped_everywhere(client, coordinator_client, world):
    a = world.a
    client.force_login(world.team_a.editor.user)
    payloads = {name: f"Lieu {name} {XSS}"[:200] for name in PLACE_TEXT_FIELDS}
    response = client.post(
        reverse("members:place_edit", args=[a.slug]), _place_form_data(a, **payloads)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    a.refresh_from_db()
    assert a.description == payloads["description"]  # stored as typed, escaped on output
    _pages(
        client,
        [
            reverse("members:place", args=[a.slug]),
            reverse("members:place_edit", args=[a.slug]),
            reverse("members:dashboard"),
            reverse("members:report_list", args=[a.slug]),
            reverse("members:certificate", args=[a.slug, world.signature_a.pk]),
        ],
    )
    client.force_login(world.team_a.representative.user)
    _pages(client, [reverse("members:place_history", args=[a.slug])])
    client.logout()
    _pages(
        client,
        [
            "/",
            reverse("members:directory") + "?q=Lieu",
            reverse("members:public_place", args=[a.slug]),
            reverse("members:verify", args=[world.signature_a.verification_code]),
            reverse("members:observatory"),
            reverse("members:export_csv"),
            reverse("members:export_json"),
            reverse("members:export_geojson"),
        ],
    )
    _pages(
        coordinator_client,
        [
            reverse("admin:index"),
            reverse("admin:members_place_changelist"),
            reverse("admin:members_place_change", args=[a.pk]),
            reverse("admin:members_signature_change", args=[world.signature_a.pk]),
            reverse("admin:members_report_changelist"),
        ],
    )


def test_payloads_in_an_imported_file_are_escaped_and_signed_rows_cannot_be_forged(
    coordinator_client, world
):
    """A spreadsheet's cells are shown escaped in the preview, in every table; the rows of the
    confirmation are signed: an edited payload creates nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def table(*rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(["nom", "rna", "code postal", "commune", "e-mail", "activités", "Note"])
        writer.writerows(rows)
        return buffer.getvalue().encode()

    url = reverse("admin:members_place_import")
    valid = table([XSS_PAYLOADS[0], "W351234567", "35000", XSS_PAYLOADS[1], "ok@example.org"])
    content = table(
        [XSS_PAYLOADS[0], "W351234567", "35000", XSS_PAYLOADS[1], "ok@example.org", "", XSS],
        [XSS_PAYLOADS[2], "W35123", "35000", "Rennes", XSS_PAYLOADS[1], XSS_PAYLOADS[0]],
        [XSS_PAYLOADS[3], world.a.rna, "35000", "Rennes", "a@example.org"],
    )
    before = snapshot()
    response = coordinator_client.post(url, {"file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 200
    assert response.context["analysis"].problems and response.context["analysis"].duplicates
    assert_no_raw_payload(response.content.decode(), "the import preview")
    response = coordinator_client.post(url, {"file": SimpleUploadedFile("x.csv", valid)})
    assert_no_raw_payload(response.content.decode(), "the import preview")
    payload = response.context["payload"]
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    coordinator_client.post(url, {"payload": forged, "confirm": "1"})
    assert snapshot() == before


def test_exports_carry_payloads_as_data_never_as_html(client, world):
    import json

    world.a.name = XSS
    world.a.save()
    for name, content_type in [
        ("members:export_json", "application/json"),
        ("members:export_geojson", "application/geo+json"),
        ("members:export_csv", "text/csv"),
    ]:
        response = client.get(reverse(name))
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response).decode()
        if name == "members:export_json":
            assert XSS in [p["name"] for p in json.loads(body)["places"]]
        elif name == "members:export_geojson":
            assert XSS in [f["properties"]["name"] for f in json.loads(body)["features"]]
        else:
            assert "alert(1)" in body


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]
)
def test_a_javascript_website_is_refused(client, world, website):
    client.force_login(world.team_a.editor.user)
    before = snapshot()
    response = client.post(
        reverse("members:place_edit", args=[world.a.slug]),
        _place_form_data(world.a, website=website),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["website"]
    assert_no_raw_payload(response.content.decode())
    assert snapshot() == before


def test_payloads_in_the_signature_are_escaped_everywhere(client, coordinator_client, world):
    place = factories.MemberPlaceFactory(slug="lieu-c", name="Lieu C")
    representative = factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE).user
    client.force_login(representative)
    response = client.post(
        reverse("members:sign", args=[place.slug]),
        {
            "signatory_name": XSS[:150],
            "signatory_title": XSS_PAYLOADS[1],
            "board_decision_date": "2026-01-05",
            "mandate_certified": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    signature = place.signatures.get()
    assert signature.signatory_title == XSS_PAYLOADS[1]
    _pages(
        client,
        [
            response["Location"],
            reverse("members:place", args=[place.slug]),
            reverse("members:dashboard"),
        ],
    )
    client.logout()
    _pages(
        client,
        [
            reverse("members:verify", args=[signature.verification_code]),
            reverse("members:public_place", args=[place.slug]),
        ],
    )
    _pages(
        coordinator_client,
        [
            reverse("admin:members_signature_changelist"),
            reverse("admin:members_signature_change", args=[signature.pk]),
        ],
    )


def test_payload_in_an_invitation_address_is_refused_and_escaped(client, world):
    client.force_login(world.team_a.representative.user)
    before = snapshot()
    for email in (XSS_PAYLOADS[1] + "@example.org", "<script>alert(1)</script>@x.org"):
        response = client.post(
            reverse("members:team", args=[world.a.slug]), {"email": email, "role": Role.EDITOR}
        )
        assert response.status_code == 400
        assert_no_raw_payload(response.content.decode())
    assert snapshot() == before


def test_payloads_in_a_report_are_escaped_everywhere(client, coordinator_client, world):
    from members.models import Answer, Extension
    from members.services import reports as report_services
    from tests.reports.conftest import complete

    report, editor = world.report_a, world.team_a.editor.user
    complete(report, editor)
    report.refresh_from_db()
    ambitions = report.version.sections.get(kind="ambitions")  # "non concerné" allowed there
    answers = list(report.answers.filter(commitment__section=ambitions))
    data = {}
    for answer in answers:
        p = f"a{answer.pk}"
        data.update(
            {
                f"{p}-level": Answer.Level.NOT_APPLICABLE,
                f"{p}-na_reason": XSS,
                f"{p}-narrative": XSS + '\n\n<a href="javascript:alert(1)">lien</a>',
                f"{p}-actions": XSS,
                f"{p}-evidence_url": 'https://example.org/"><script>alert(1)</script>',
                f"{p}-evidence_label": XSS[:200],
            }
        )
    client.force_login(editor)
    section_url = reverse("members:report_section", args=[world.a.slug, 2026, ambitions.position])
    response = client.post(section_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    answers[0].refresh_from_db()
    assert answers[0].narrative.startswith(XSS)
    year = report.campaign.year
    portal_pages = [
        section_url,
        reverse("members:report_detail", args=[world.a.slug, year]),
        reverse("members:report_preview", args=[world.a.slug, year]),
        reverse("members:report_print", args=[world.a.slug, year]),
    ]
    _pages(client, portal_pages)
    response = client.post(
        reverse("members:report_markdown_preview", args=[world.a.slug]), {"text": XSS}
    )
    assert_no_raw_payload(response.content.decode(), "markdown preview")

    # An extension asked with a payload as its reason.
    client.force_login(world.team_a.representative.user)
    response = client.post(
        reverse("members:report_extension", args=[world.a.slug, year]), {"reason": XSS}
    )
    assert response.status_code == 302
    extension = Extension.objects.get(place=world.a)

    report_services.submit_report(report=report, by=editor)
    _pages(
        coordinator_client,
        [
            reverse("admin:members_report_review", args=[report.pk]),
            reverse("admin:members_report_change", args=[report.pk]),
            reverse("admin:members_extension_change", args=[extension.pk]),
            reverse("admin:members_extension_changelist"),
        ],
    )
    coordinator = factories.UserFactory(
        email="relecture@example.org", is_superuser=True, is_staff=True
    )
    report_services.approve_report(report=report, by=coordinator, message=XSS)
    report_services.set_publication(report=report, by=editor, publish=True)
    client.force_login(editor)
    _pages(client, portal_pages[1:])
    client.logout()
    _pages(
        client,
        [reverse("members:public_place", args=[world.a.slug]), reverse("members:observatory")],
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "https://x.org/ <script>alert(1)</script>"]
)
def test_bad_evidence_links_are_refused(client, world, url):
    report = world.report_a
    answer = report.answers.filter(commitment__section__position=1).first()
    client.force_login(world.team_a.editor.user)
    before = snapshot()
    response = client.post(
        reverse("members:report_section", args=[world.a.slug, 2026, 1]),
        {"revision": report.revision, f"a{answer.pk}-evidence_url": url},
    )
    assert response.status_code == 200
    assert_no_raw_payload(response.content.decode())
    assert snapshot() == before


def test_payload_in_the_account_deletion_form_is_escaped(client, world):
    client.force_login(world.team_a.viewer.user)
    before = snapshot()
    response = client.post(reverse("members:account_delete"), {"confirmation": XSS})
    assert response.status_code == 400
    assert_no_raw_payload(response.content.decode())
    assert snapshot() == before


# --- 3. Files that lie about their type, and oversized files -----------------------------------


def _png(size=(8, 8), noise=False):
    import io
    import os

    from PIL import Image

    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, "teal")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def _upload(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("logo.png", b"Ceci n'est pas une image.", "image/png"),
        ("logo.png", SVG, "image/png"),
        ("logo.svg", SVG, "image/svg+xml"),
        ("logo.html", _png() + HTML, "text/html"),  # a real PNG with HTML after it
        ("logo.png", b"%PDF-1.4\n" + HTML, "image/png"),
        ("logo.png", _png((900, 900), noise=True), "image/png"),  # > 2 MB
    ],
    ids=["text-as-png", "svg-as-png", "svg", "png-html-polyglot", "pdf-as-png", "over-2-mb"],
)
def test_lying_or_oversized_logo_is_refused(client, world, settings, name, content, content_type):
    client.force_login(world.team_a.editor.user)
    before, files = snapshot(), media_files(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    data = _place_form_data(world.a, logo=_upload(name, content, content_type))
    response = client.post(reverse("members:place_edit", args=[world.a.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert snapshot() == before
    assert media_files(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT) == files


def test_a_real_logo_is_accepted(client, world, settings):
    """The refusals above are about the files, not about logos in general."""
    client.force_login(world.team_a.editor.user)
    data = _place_form_data(world.a, logo=_upload("logo.png", _png(), "image/png"))
    response = client.post(reverse("members:place_edit", args=[world.a.slug]), data)
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.logo.name.endswith("logo.png")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proces-verbal.pdf", _png()),
        ("proces-verbal.pdf", HTML),
        ("proces-verbal.html", b"%PDF-1.4\n" + HTML),
        ("proces-verbal.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)),  # > 5 MB
    ],
    ids=["png-as-pdf", "html-as-pdf", "pdf-as-html", "over-5-mb"],
)
def test_lying_or_oversized_minutes_are_refused(client, world, settings, name, content):
    place = factories.MemberPlaceFactory(slug="lieu-c")
    client.force_login(factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE).user)
    before, files = snapshot(), media_files(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    response = client.post(
        reverse("members:sign", args=[place.slug]),
        {
            "signatory_name": "Camille Durand",
            "signatory_title": "Présidente",
            "board_decision_date": "2026-01-05",
            "mandate_certified": "on",
            "minutes": _upload(name, content),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["minutes"]
    assert snapshot() == before
    assert media_files(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT) == files


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("preuve.pdf", HTML),
        ("preuve.png", SVG),
        ("preuve.pdf", b"Rien de tout cela."),
        ("preuve.png", b"GIF89a" + HTML),
        ("preuve.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)),  # > 10 MB
    ],
    ids=["html-as-pdf", "svg-as-png", "text-as-pdf", "fake-gif-header", "over-10-mb"],
)
def test_lying_or_oversized_evidence_is_refused(client, world, settings, name, content):
    report = world.report_a
    answer = report.answers.filter(commitment__section__position=1).first()
    client.force_login(world.team_a.editor.user)
    before, files = snapshot(), media_files(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    response = client.post(
        reverse("members:report_section", args=[world.a.slug, 2026, 1]),
        {"revision": report.revision, f"a{answer.pk}-evidence_file": _upload(name, content)},
    )
    assert response.status_code == 200
    assert any(form.errors.get("evidence_file") for form in response.context["forms"])
    assert snapshot() == before
    assert media_files(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT) == files


def test_a_pdf_html_polyglot_is_kept_as_a_pdf_and_never_served_as_html(client, world):
    """Starts like a PDF, named .html: stored with the .pdf extension, served as PDF, no sniffing."""
    report = world.report_a
    answer = report.answers.filter(commitment__section__position=1).first()
    client.force_login(world.team_a.editor.user)
    response = client.post(
        reverse("members:report_section", args=[world.a.slug, 2026, 1]),
        {
            "revision": report.revision,
            f"a{answer.pk}-evidence_file": _upload("piege.html", b"%PDF-1.4\n" + HTML),
        },
    )
    assert response.status_code == 302
    evidence = answer.evidence.exclude(pk=world.evidence_a.pk).get()
    assert evidence.file.name.endswith(".pdf")
    response = client.get(
        reverse("members:report_evidence", args=[world.a.slug, 2026, evidence.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


# --- 4. POSTs without a CSRF token ----------------------------------------------------------------


def test_every_state_changing_url_refuses_a_post_without_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.team_a.representative.user)
    urls = [
        (reverse(name, kwargs=_kwargs(name, world.a, world)), _harmful_post(name, world.a, world))
        for name, methods in PLACE_URLS.items()
        if "POST" in methods
    ] + [
        (reverse("members:register"), {"name": "Lieu pirate"}),
        (reverse("members:join_request"), {"identifier": world.b.rna}),
        (reverse("members:invitation", args=[world.invitation_b.token]), {}),
        (
            reverse("members:account_delete"),
            {"confirmation": world.team_a.representative.user.email},
        ),
        (reverse("account_logout"), {}),
        (reverse("account_email"), {"email": "autre@example.org", "action_add": ""}),
        (
            reverse("account_change_password"),
            {"oldpassword": "x", "password1": "y", "password2": "y"},
        ),
        (reverse("set_language"), {"language": "en"}),
    ]
    before = snapshot()
    for url, data in urls:
        response = client.post(url, data)
        assert response.status_code == 403, (url, response.status_code)
    assert snapshot() == before
    # Still logged in: the logout was refused too.
    assert client.get(reverse("members:dashboard")).status_code == 200


def test_the_admin_refuses_a_post_without_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(
        factories.UserFactory(email="c@example.org", is_staff=True, is_superuser=True)
    )
    before = snapshot()
    response = client.post(
        reverse("admin:members_place_changelist"),
        {"action": "delete_selected", "_selected_action": [world.a.pk, world.b.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert snapshot() == before


# --- 5. Login brute force and account enumeration -------------------------------------------------


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_login_brute_force_is_rate_limited(client, world, fresh_cache):
    """After 5 failures on one address (allauth's "5/5m/key"), even the right password fails."""
    user = world.team_a.viewer.user
    url = reverse("account_login")
    for i in range(5):
        response = client.post(url, {"login": user.email, "password": f"essai-{i}"})
        assert response.status_code == 200
        assert response.context["form"].errors
    response = client.post(url, {"login": user.email, "password": "motdepasse-solide-42"})
    assert response.status_code in (200, 429)
    if response.status_code == 200:
        assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_the_right_password_works_without_the_attack(client, world, fresh_cache):
    user = world.team_a.viewer.user
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "motdepasse-solide-42"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def _visible(response, typed=""):
    """What the requester sees: status, where they are sent, the text of the final page
    (the address they typed, shown back to them, set aside)."""
    import re

    html = response.content.decode().replace(typed, "ADRESSE")
    main = re.search(r"<main.*?</main>", html, re.S)
    text = re.sub(r"<[^>]+>|\s+", " ", main.group(0) if main else html)
    return response.status_code, [url for url, _ in response.redirect_chain], text


def test_sign_up_does_not_reveal_whether_an_address_is_known(
    client, world, fresh_cache, mailoutbox
):
    known = world.team_a.viewer.user.email
    url = reverse("account_signup")
    seen = {}
    for label, email in (("known", known), ("unknown", "personne@example.org")):
        from django.test import Client

        response = Client().post(
            url,
            {
                "email": email,
                "password1": "Un-mot-de-passe-long-9",
                "password2": "Un-mot-de-passe-long-9",
            },
            follow=True,
        )
        seen[label] = _visible(response, email)
    assert seen["known"] == seen["unknown"]
    assert seen["known"][1] == [reverse("account_email_verification_sent")]
    # The known address is told by e-mail, privately; no second account exists.
    assert [m.to for m in mailoutbox] == [[known], ["personne@example.org"]]
    from members.models import User

    assert User.objects.filter(email__iexact=known).count() == 1


def test_password_reset_does_not_reveal_whether_an_address_is_known(client, world, fresh_cache):
    from django.test import Client

    url = reverse("account_reset_password")
    email = world.team_a.viewer.user.email
    known = _visible(Client().post(url, {"email": email}, follow=True), email)
    unknown = _visible(
        Client().post(url, {"email": "personne@example.org"}, follow=True), "personne@example.org"
    )
    assert known == unknown
    assert known[1] == [reverse("account_reset_password_done")]


# --- 6. Security headers --------------------------------------------------------------------------


def _assert_security_headers(response, url):
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
    )
    for directive in ("script-src", "style-src"):
        assert directive in directives, (url, csp)
        assert "unsafe-inline" not in directives[directive], (url, csp)
        assert "unsafe-eval" not in directives[directive], (url, csp)
    assert "'none'" in directives.get("frame-ancestors", "") or response.get("X-Frame-Options") in (
        "DENY",
        "SAMEORIGIN",
    ), url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url


def test_security_headers_on_public_portal_and_admin_pages(client, coordinator_client, world):
    public = ["/", "/charte/", reverse("members:directory"), reverse("account_login"), "/healthz"]
    public.append(reverse("members:public_place", args=[world.a.slug]))
    for url in public:
        _assert_security_headers(client.get(url), url)
    client.force_login(world.team_a.representative.user)
    for url in [
        reverse("members:dashboard"),
        reverse("members:place", args=[world.a.slug]),
        reverse("members:report_detail", args=[world.a.slug, 2026]),
        reverse("members:report_evidence", args=[world.a.slug, 2026, world.evidence_a.pk]),
    ]:
        _assert_security_headers(client.get(url), url)
    for url in [reverse("admin:index"), reverse("admin:members_place_change", args=[world.a.pk])]:
        _assert_security_headers(coordinator_client.get(url), url)


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
client = Client()
health = client.get("/healthz", secure=True)
def form_view(request):
    return HttpResponse(get_token(request))
request = RequestFactory().get("/", secure=True)
response = CsrfViewMiddleware(form_view)(request)
csrf = response.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "hsts": health.get("Strict-Transport-Security"),
    "redirect": client.get("/charte/").status_code,
    "health_redirect": client.get("/healthz").status_code,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_cookie_secure": bool(csrf and csrf["secure"]),
    "debug": settings.DEBUG,
}))
"""


def test_production_settings_send_hsts_and_secure_cookies(tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="lcp_network.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-" + "z" * 30,
        DJANGO_ALLOWED_HOSTS="testserver",
        EMAIL_HOST="smtp.lcp.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent.parent,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["hsts"].startswith("max-age=31536000")
    assert "includeSubDomains" in probe["hsts"]
    assert probe["redirect"] == 301  # plain HTTP is sent to HTTPS
    assert probe["health_redirect"] != 301  # …but load balancers may probe /healthz over HTTP
    assert probe["session_secure"] and probe["session_httponly"]
    assert probe["csrf_secure"] and probe["csrf_cookie_secure"]
    assert probe["debug"] is False


# --- One rule each: the drift bugs the restructuring removed ---------------------------------


def test_public_csv_neutralises_formulas(client, world):
    """A place named like a spreadsheet formula stays text in the public open-data CSV."""
    Place.objects.filter(pk=world.a.pk).update(name='=HYPERLINK("http://evil.example","x")')
    Place.objects.filter(pk=world.b.pk).update(name="-2+3", phone="+33 1 23 45 67 89")
    body = b"".join(client.get("/annuaire/export.csv").streaming_content).decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(body))}
    assert rows["lieu-a"]["name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows["lieu-b"]["name"] == "'-2+3"
    assert rows["lieu-b"]["phone"] == "'+33 1 23 45 67 89"
    text = ("name", "street", "commune", "website", "public_email", "phone")
    assert not any(
        row[name].startswith(("=", "+", "-", "@")) for row in rows.values() for name in text
    )


@pytest.mark.parametrize("status", ["suspended", "withdrawn"])
def test_a_place_no_longer_member_cannot_save_or_send_its_report(client, world, status):
    from members.services import reports as report_services

    report, editor = world.report_a, world.team_a.editor.user
    Place.objects.filter(pk=world.a.pk).update(status=status)
    revision = report.revision
    answer = report.answers.first()
    client.force_login(editor)
    position = answer.commitment.section.position
    url = reverse("members:report_section", args=["lieu-a", report.campaign.year, position])
    client.post(url, {"revision": revision, f"a{answer.pk}-narrative": "Réécrit"})
    report.refresh_from_db()
    answer.refresh_from_db()
    assert (report.revision, answer.narrative) == (revision, "")
    for service in (report_services.submit_report, report_services.resubmit_report):
        with pytest.raises(report_services.ReportingError, match="plus membre actif"):
            service(report=report, by=editor)
    with pytest.raises(report_services.ReportingError, match="plus membre actif"):
        report_services.save_answers(report=report, by=editor, answers={})


def test_the_services_check_the_role_themselves(world):
    """A viewer, or a member of another place, calling a service directly changes nothing."""
    from members.services import MembersError
    from members.services import extensions as extension_services
    from members.services import reports as report_services

    report = world.report_a
    for intruder in (world.team_a.viewer.user, world.team_b.editor.user, world.outsider):
        with pytest.raises(report_services.ReportingError):
            report_services.save_answers(report=report, by=intruder, answers={})
        with pytest.raises(report_services.ReportingError):
            report_services.submit_report(report=report, by=intruder)
        with pytest.raises(report_services.ReportingError):
            report_services.set_publication(report=report, by=intruder, publish=False)
        with pytest.raises(report_services.ReportingError):
            extension_services.request_extension(
                place=world.a, campaign=report.campaign, by=intruder, reason="Pourquoi pas"
            )
        with pytest.raises(MembersError):
            report_services.approve_report(report=report, by=intruder)
    report.refresh_from_db()
    assert report.status == report.Status.DRAFT and report.publish


def test_a_territorial_coordinator_acts_only_inside_its_territory(world, territorial):
    """Bretagne's coordinator cannot approve, suspend or decide for a place elsewhere."""
    from members.services import MembersError
    from members.services import places as place_services
    from members.services import reports as report_services
    from tests.reports.conftest import complete

    Place.objects.filter(pk=world.a.pk).update(region="84", departement="38")  # Isère
    world.a.refresh_from_db()
    complete(world.report_a, world.team_a.editor.user)
    report_services.submit_report(report=world.report_a, by=world.team_a.editor.user)
    with pytest.raises(MembersError):
        report_services.approve_report(report=world.report_a, by=territorial)
    with pytest.raises(MembersError):
        place_services.suspend_place(place=world.a, by=territorial, reason="Hors territoire")
    world.a.refresh_from_db()
    world.report_a.refresh_from_db()
    assert world.a.status == Place.Status.MEMBER
    assert world.report_a.status == world.report_a.Status.SUBMITTED


def test_coordinators_outside_the_territory_are_never_told(
    world, national, territorial, django_capture_on_commit_callbacks
):
    """Submitted reports and extension requests reach the national coordinator and the place's
    territorial one, never Bretagne's coordinator about a place in Isère."""
    from django.core import mail

    from members.services import extensions as extension_services
    from members.services import reports as report_services
    from tests.reports.conftest import complete

    Place.objects.filter(pk__in=[world.a.pk, world.b.pk]).update(region="84", departement="38")
    world.a.refresh_from_db()
    world.b.refresh_from_db()
    complete(world.report_a, world.team_a.editor.user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit_report(report=world.report_a, by=world.team_a.editor.user)
    with django_capture_on_commit_callbacks(execute=True):
        extension_services.request_extension(
            place=world.b,
            campaign=world.report_b.campaign,
            by=world.team_b.representative.user,
            reason="Assemblée générale reportée",
        )
    told = [address for message in mail.outbox for address in message.to]
    assert told.count(national.email) == 2
    assert territorial.email not in told
    assert all("https://example.com" not in message.body for message in mail.outbox)


def test_verification_says_when_the_place_is_no_longer_a_member(client, world):
    Place.objects.filter(pk=world.a.pk).update(status=Place.Status.SUSPENDED)
    response = client.get(reverse("members:verify", args=[world.signature_a.verification_code]))
    text = response.content.decode()
    assert "plus membre actif du réseau" in text
    assert "Signature authentique et en vigueur" not in text


def test_two_hosts_never_share_a_cached_public_page(client, world, settings):
    settings.ALLOWED_HOSTS = ["lcp.example", "www.lcp.example"]
    url = reverse("members:public_place", args=["lieu-a"])
    first = client.get(url, HTTP_HOST="lcp.example").content.decode()
    second = client.get(url, HTTP_HOST="www.lcp.example").content.decode()
    assert "http://lcp.example/annuaire/lieu-a/" in first
    assert "http://www.lcp.example/annuaire/lieu-a/" in second


def test_every_page_agrees_on_the_state_of_a_signature(client, coordinator_client, world):
    """A place that must sign version 2 again shows as awaiting on the directory, the
    verification page, the dashboard, the coordinators' export and the admin filter."""
    factories.publish_version_2(requires_resigning=True, grace_days=30)
    code = world.signature_a.verification_code
    assert "à renouveler" in client.get(reverse("members:verify", args=[code])).content.decode()
    place_page = client.get(reverse("members:public_place", args=["lieu-a"])).content.decode()
    assert "À signer à nouveau" in place_page or "à signer à nouveau" in place_page.lower()
    listed = coordinator_client.get("/admin/members/place/", {"signature": "awaiting"})
    assert sorted(p.slug for p in listed.context["cl"].result_list) == ["lieu-a", "lieu-b"]
    figures = coordinator_client.get("/admin/").context["figures"]
    awaiting = {f["key"]: f["value"] for f in figures["signatures"]}["awaiting"]
    assert awaiting == 2  # A and B; the outsider's place never signed
    export = coordinator_client.get(reverse("coordination_exports:places"))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = {row["Adresse de la fiche"]: row for row in csv.DictReader(io.StringIO(body))}
    assert rows["lieu-a"]["État de la signature"] == "À signer à nouveau"


# --- 7. Nobody gains rights they were not given (issue #13) --------------------------------------


def _admin_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _user_change_data(user, **overrides):
    """What the user change form of the admin would post, with ``overrides`` typed in."""
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "is_active": "on",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(overrides)
    return data


def _privileges(user):
    user.refresh_from_db()
    return (
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def test_a_national_coordinator_cannot_make_itself_superuser(world, national):
    from django.contrib.auth.models import Group, Permission

    client = _admin_client(national)
    before = _privileges(national)
    url = reverse("admin:members_user_change", args=[national.pk])
    response = client.post(
        url,
        _user_change_data(
            national,
            is_staff="on",
            is_superuser="on",
            groups=[g.pk for g in Group.objects.all()],
            user_permissions=[Permission.objects.get(codename="change_user").pk],
        ),
    )
    assert response.status_code == 403
    assert _privileges(national) == before
    assert not national.is_superuser


def test_a_national_coordinator_cannot_grant_staff_to_anyone(world, national):
    victim = world.team_a.viewer.user
    boss = factories.UserFactory(email="boss@example.org", is_staff=True, is_superuser=True)
    client = _admin_client(national)
    before = snapshot()
    url = reverse("admin:members_user_change", args=[victim.pk])
    response = client.post(url, _user_change_data(victim, is_staff="on", is_superuser="on"))
    assert response.status_code == 403
    # Nor change a superuser's password (and then log in as them).
    response = client.post(
        reverse("admin:auth_user_password_change", args=[boss.pk]),
        {"password1": "Un-mot-de-passe-pirate-1", "password2": "Un-mot-de-passe-pirate-1"},
    )
    assert response.status_code in (403, 404)
    # Nor add an account, nor delete accounts in bulk.
    response = client.post(
        reverse("admin:members_user_add"),
        {
            "email": "staff@attaque.example",
            "password1": "x-Long-pass-42",
            "password2": "x-Long-pass-42",
        },
    )
    assert response.status_code == 403
    client.post(
        reverse("admin:members_user_changelist"),
        {"action": "delete_selected", "_selected_action": [victim.pk, boss.pk], "post": "yes"},
    )
    assert snapshot() == before
    assert not _privileges(victim)[1]


def test_coordinators_see_accounts_read_only_within_their_territory(world, national, territorial):
    from members.models import Place

    Place.objects.filter(pk=world.a.pk).update(region="53", departement="35")
    Place.objects.filter(pk=world.b.pk).update(region="11", departement="75")
    client = _admin_client(territorial)
    listed = client.get(reverse("admin:members_user_changelist"))
    assert listed.status_code == 200
    emails = {user.email for user in listed.context["cl"].result_list}
    assert world.team_a.viewer.user.email in emails
    assert territorial.email in emails
    assert world.team_b.viewer.user.email not in emails
    assert national.email not in emails
    url = reverse("admin:members_user_change", args=[world.team_b.viewer.user.pk])
    assert client.get(url).status_code in (302, 404)  # outside the territory: never shown
    page = client.get(reverse("admin:members_user_change", args=[world.team_a.viewer.user.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()


def test_a_national_coordinator_cannot_give_itself_or_others_a_territory(
    world, national, territorial
):
    from members.models import CoordinatorScope

    client = _admin_client(national)
    before = list(CoordinatorScope.objects.order_by("pk").values())
    response = client.post(
        reverse("admin:members_coordinatorscope_add"),
        {"user": world.team_a.representative.user.pk, "regions": ["53"]},
    )
    assert response.status_code == 403
    scope = CoordinatorScope.objects.get(user=territorial)
    response = client.post(
        reverse("admin:members_coordinatorscope_change", args=[scope.pk]),
        {"user": territorial.pk, "regions": ["11", "53", "84"], "departements": ["69"]},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:members_coordinatorscope_changelist"),
        {"action": "delete_selected", "_selected_action": [scope.pk], "post": "yes"},
    )
    assert list(CoordinatorScope.objects.order_by("pk").values()) == before


def test_the_national_group_never_holds_rights_over_accounts(db):
    """Even when an earlier version granted them: the sync after migrate takes them back."""
    from django.contrib.auth.models import Group, Permission

    from members.territory import NATIONAL_GROUP, sync_groups

    national = Group.objects.get(name=NATIONAL_GROUP)
    forbidden = Permission.objects.filter(
        content_type__app_label__in=["members", "auth"],
        codename__in=[
            f"{action}_{model}"
            for action in ("add", "change", "delete")
            for model in ("user", "coordinatorscope", "group", "permission")
        ],
    )
    national.permissions.add(*forbidden)
    sync_groups()
    assert not national.permissions.filter(pk__in=forbidden).exists()
    assert national.permissions.filter(codename="view_user").exists()
    assert national.permissions.filter(codename="change_place").exists()


def _second_representative(place):
    return factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE).user


def _accept_as(client, invitation, email):
    accomplice = factories.UserFactory(email=email)
    client.force_login(accomplice)
    client.post(reverse("members:invitation", args=[invitation.token]))
    return accomplice


@pytest.mark.parametrize("how", ["removed", "left", "demoted", "deleted_account"])
def test_a_removed_representative_cannot_come_back_through_its_invitation(client, world, how):
    from members.services import personal_data
    from members.services import teams as team_services

    a = world.a
    insider = _second_representative(a)
    invitation = team_services.invite_member(
        place=a, email="complice@attaque.example", role=Role.REPRESENTATIVE, by=insider
    )
    membership = a.memberships.get(user=insider)
    boss = world.team_a.representative.user
    if how == "removed":
        team_services.remove_member(membership=membership, by=boss)
    elif how == "left":
        team_services.leave_place(membership=membership)
    elif how == "demoted":
        team_services.change_role(membership=membership, role=Role.VIEWER, by=boss)
    else:
        personal_data.delete_account(user=insider)
    accomplice = _accept_as(client, invitation, "complice@attaque.example")
    assert not a.memberships.filter(user=accomplice).exists()
    response = client.get(reverse("members:invitation", args=[invitation.token]))
    assert response.status_code == 410


def test_removing_a_member_in_the_admin_revokes_their_invitations(client, world, coordinator):
    from members.services import teams as team_services

    insider = _second_representative(world.a)
    invitation = team_services.invite_member(
        place=world.a, email="complice@attaque.example", role=Role.REPRESENTATIVE, by=insider
    )
    membership = world.a.memberships.get(user=insider)
    admin = _admin_client(coordinator)
    url = reverse("admin:members_membership_delete", args=[membership.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    accomplice = _accept_as(client, invitation, "complice@attaque.example")
    assert not world.a.memberships.filter(user=accomplice).exists()


def _registration_data(**overrides):
    return factories.place_form_data(
        **{
            "name": "Nouveau Lieu",
            "legal_name": "Association Nouveau Lieu",
            "rna": "",
            "postcode": "35000",
            "commune": "Rennes",
            "public_email": "",
            "phone": "",
            "website": "",
            **overrides,
        }
    )


def _hidden_place(status, **fields):
    place = factories.PlaceFactory(
        name="Lieu Caché Zéphyr", commune="Quimperlé", status=status, **fields
    )
    factories.MembershipFactory(place=place, role=Role.REPRESENTATIVE)
    return place


@pytest.mark.parametrize("status", ["applicant", "suspended"])
def test_registering_an_unlisted_place_number_reveals_no_name_nor_town(client, world, status):
    hidden = _hidden_place(status)
    client.force_login(world.outsider)
    for field in ("rna", "siret"):
        response = client.post(
            reverse("members:register"), _registration_data(**{field: getattr(hidden, field)})
        )
        assert response.status_code == 200
        text = response.content.decode()
        assert "Zéphyr" not in text and "Quimperlé" not in text
        assert response.context["form"].errors[field]
    assert not Place.objects.filter(name="Nouveau Lieu").exists()


@pytest.mark.parametrize("status", ["rejected", "withdrawn"])
def test_a_rejected_or_withdrawn_place_number_may_be_registered_again(
    client, world, status, coordinator, django_capture_on_commit_callbacks
):
    from django.core import mail

    earlier = _hidden_place(status)
    client.force_login(world.outsider)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:register"),
            _registration_data(rna=earlier.rna, siret=earlier.siret),
        )
    assert response.status_code == 302
    assert "Zéphyr" not in client.get(response.url).content.decode()
    again = Place.objects.get(name="Nouveau Lieu")
    assert again.status == Place.Status.APPLICANT and again.rna == earlier.rna
    # The coordinators are told of the earlier application; its team is not.
    [notice] = [m for m in mail.outbox if coordinator.email in m.to]
    assert "Lieu Caché Zéphyr" in notice.body
    earlier_team = {m.user.email for m in earlier.memberships.all()}
    assert not earlier_team & {a for m in mail.outbox for a in m.to}


def _join(client, identifier):
    response = client.post(reverse("members:join_request"), {"identifier": identifier}, follow=True)
    return _visible(response, identifier)


def test_a_join_request_answers_the_same_whoever_holds_the_number(
    client, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    rejected = _hidden_place("rejected")
    unlisted = factories.PlaceFactory(name="Lieu Discret", commune="Morlaix", status="applicant")
    factories.MembershipFactory(place=unlisted, role=Role.REPRESENTATIVE)
    client.force_login(world.outsider)
    mail.outbox.clear()
    seen = {}
    with django_capture_on_commit_callbacks(execute=True):
        for label, identifier in (
            ("rejected", rejected.rna),
            ("unknown", "W999999999"),
            ("unlisted", unlisted.siret),
            ("listed", world.a.rna),
        ):
            status, chain, text = _join(client, identifier)
            text = text.replace(world.outsider.email, "MOI")
            seen[label] = (status, chain, text)
    assert "Zéphyr" not in seen["rejected"][2] and "Quimperlé" not in seen["rejected"][2]
    assert "Lieu Discret" not in seen["unlisted"][2] and "Morlaix" not in seen["unlisted"][2]
    assert seen["rejected"] == seen["unknown"] == seen["unlisted"] == seen["listed"]
    told = {a for m in mail.outbox for a in m.to}
    assert not told & {m.user.email for m in rejected.memberships.all()}
    assert world.team_a.representative.user.email in told


def test_invitations_are_limited_per_place_and_per_day(client, world):
    from members.models import Invitation

    client.force_login(world.team_a.representative.user)
    url = reverse("members:team", args=[world.a.slug])
    start = Invitation.objects.filter(place=world.a).count()
    for n in range(20):
        response = client.post(url, {"email": f"invite{n}@example.org", "role": "viewer"})
        assert response.status_code == 302, n
    response = client.post(url, {"email": "une-de-trop@example.org", "role": "viewer"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "une-de-trop@example.org" in text  # what was typed is kept
    assert "demain" in text
    assert Invitation.objects.filter(place=world.a).count() == start + 20
    # Another place keeps its own allowance.
    client.force_login(world.team_b.representative.user)
    response = client.post(
        reverse("members:team", args=[world.b.slug]), {"email": "b@example.org", "role": "viewer"}
    )
    assert response.status_code == 302


def test_join_requests_are_limited_per_user_and_per_day(
    client, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(world.outsider)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _n in range(5):
            client.post(reverse("members:join_request"), {"identifier": world.a.rna})
        response = client.post(
            reverse("members:join_request"), {"identifier": world.b.rna}, follow=True
        )
    assert [m.to for m in mail.outbox] == [[world.team_a.representative.user.email]] * 5
    assert "demain" in response.content.decode()


def test_manual_reminders_go_once_per_place_and_per_day(world, coordinator):
    from django.core import mail

    from members.models import ReminderLog

    client = _admin_client(coordinator)
    url = reverse("admin:members_place_changelist")
    data = {"action": "remind_action", "_selected_action": [world.a.pk]}
    mail.outbox.clear()
    client.post(url, data)
    sent, logs = len(mail.outbox), ReminderLog.objects.count()
    assert sent and logs
    response = client.post(url, data, follow=True)
    assert len(mail.outbox) == sent and ReminderLog.objects.count() == logs
    assert "demain" in response.content.decode()


def test_an_applicant_place_invites_one_person_before_approval(client, world):
    from members.models import Invitation

    applicant = factories.PlaceFactory(status=Place.Status.APPLICANT)
    founder = factories.MembershipFactory(place=applicant, role=Role.REPRESENTATIVE).user
    client.force_login(founder)
    url = reverse("members:team", args=[applicant.slug])
    assert client.post(url, {"email": "premier@example.org", "role": "editor"}).status_code == 302
    response = client.post(url, {"email": "second@example.org", "role": "editor"})
    assert response.status_code == 400
    assert "second@example.org" in response.content.decode()
    assert Invitation.objects.filter(place=applicant).count() == 1


def test_sign_ups_are_limited_per_address_of_origin(client, db, mailoutbox):
    import datetime

    import time_machine
    from django.utils import timezone

    from members.models import User

    url = reverse("account_signup")
    start = timezone.now()
    n = 0
    statuses = []
    for minute, batch in enumerate((20, 20, 10, 1)):
        with time_machine.travel(start + datetime.timedelta(minutes=2 * minute), tick=False):
            for _i in range(batch):
                response = client.post(
                    url,
                    {
                        "email": f"robot{n}@example.org",
                        "password1": "Un-mot-de-passe-long-9",
                        "password2": "Un-mot-de-passe-long-9",
                    },
                )
                statuses.append(response.status_code)
                n += 1
                client.logout()
    assert statuses[:50].count(429) == 0
    assert statuses[50] == 429
    assert User.objects.count() == 50


def test_sign_up_takes_the_same_work_for_a_known_and_a_new_address(client, world, settings):
    from unittest import mock

    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.test import Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    counts = {}
    for label, email in (
        ("known", world.team_a.viewer.user.email),
        ("new", "inconnue@example.org"),
    ):
        with mock.patch.object(
            PBKDF2PasswordHasher, "encode", autospec=True, side_effect=PBKDF2PasswordHasher.encode
        ) as encode:
            response = Client().post(
                reverse("account_signup"),
                {
                    "email": email,
                    "password1": "Un-mot-de-passe-long-9",
                    "password2": "Un-mot-de-passe-long-9",
                },
            )
        assert response.status_code == 302
        counts[label] = encode.call_count
    assert counts["new"] >= 1
    assert counts["known"] == counts["new"]


def test_deleting_an_account_erases_its_connection_data_on_signatures(world):
    from members.models import Signature
    from members.services import personal_data

    signer = world.team_a.representative.user
    signature = world.signature_a
    assert Signature.objects.get(pk=signature.pk).ip_address
    kept = Signature.objects.filter(pk=signature.pk).values(
        "fingerprint", "signed_at", "signatory_name", "verification_code"
    )[0]
    personal_data.delete_account(user=signer)
    after = Signature.objects.get(pk=signature.pk)
    assert after.ip_address is None and after.user_agent == ""
    assert {k: getattr(after, k) for k in kept} == kept
    other = Signature.objects.get(pk=world.signature_b.pk)
    assert other.ip_address and other.user_agent


def test_connection_data_older_than_a_year_is_erased_every_day(world):
    import datetime
    import io as _io

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from members.models import Signature

    later = timezone.now() + datetime.timedelta(days=366)
    out = _io.StringIO()
    with time_machine.travel(later, tick=False):
        recent = factories.SignatureFactory(place=factories.MemberPlaceFactory())
    call_command("erase_old_connection_data", stdout=out)  # a year later than nothing: no-op
    assert Signature.objects.exclude(ip_address=None).count() == 3
    with time_machine.travel(later + datetime.timedelta(days=1), tick=False):
        call_command("erase_old_connection_data", stdout=out)
        call_command("erase_old_connection_data", stdout=out)  # idempotent
    assert "2" in out.getvalue()
    erased = Signature.objects.filter(ip_address=None, user_agent="")
    assert set(erased.values_list("pk", flat=True)) == {world.signature_a.pk, world.signature_b.pk}
    assert Signature.objects.get(pk=recent.pk).ip_address


def test_the_immutability_guard_still_refuses_any_other_change(world):
    from members.models import Signature
    from members.models.signatures import SignatureImmutableError

    with pytest.raises(SignatureImmutableError):
        Signature.objects.filter(pk=world.signature_a.pk).update(signatory_name="Autre")
    Signature.objects.filter(pk=world.signature_a.pk).erase_connection_data()
    assert Signature.objects.get(pk=world.signature_a.pk).signatory_name != "Autre"


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "effacés automatiquement au bout de 12 mois"), ("en", "12 months")],
)
def test_the_privacy_page_says_how_long_connection_data_is_kept(client, db, language, words):
    client.cookies["django_language"] = language
    response = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE=language)
    assert words in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_place_name_shows_as_text_on_the_map(live_server, page, settings):
    settings.MAP_TILES_URL = "/static/tiles/{z}/{x}/{y}.png"
    name = "<img src=x onerror=alert(1)>"
    place = factories.MemberPlaceFactory(
        name=name, slug="lieu-piege", latitude=48.11, longitude=-1.68
    )
    factories.SignatureFactory(place=place)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + reverse("members:public_place", args=[place.slug]))
    box = page.locator("[data-map]").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == name
    assert tooltip.locator("img").count() == 0
    # The directory map: its only marker sits in the middle; its popup shows the name as text.
    page.goto(live_server.url + reverse("members:directory") + "?vue=carte")
    page.locator("[data-map-status]").filter(has_text="1").wait_for()
    box = page.locator("[data-map]").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert name in popup.inner_text()
    assert page.locator(".leaflet-container img[src='x']").count() == 0
    assert dialogs == []


# --- 7. Private files: evidence and board minutes -------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # conftest.PDF


def _private_file_urls(w):
    """(URL, stored name) of place A's evidence file and board minutes."""
    return [
        (
            reverse("members:report_evidence", args=[w.a.slug, 2026, w.evidence_a.pk]),
            w.evidence_a.file.name,
        ),
        (
            reverse("members:signature_minutes", args=[w.a.slug, w.signature_a.pk]),
            w.signature_a.minutes.name,
        ),
    ]


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_private_files_are_stored_outside_the_public_media(world, settings):
    """Evidence and minutes live under PRIVATE_MEDIA_ROOT, under random names, with no URL."""
    for fieldfile in (world.evidence_a.file, world.signature_a.minutes):
        assert (Path(settings.PRIVATE_MEDIA_ROOT) / fieldfile.name).is_file()
        assert not (Path(settings.MEDIA_ROOT) / fieldfile.name).exists()
        assert "compte-rendu" not in fieldfile.name.rsplit("-", 1)[0]  # a random prefix first
        with pytest.raises(ValueError):
            fieldfile.url  # noqa: B018 — a template can never link it
    assert media_files(settings.MEDIA_ROOT) == []


def test_a_guessed_media_path_of_a_private_file_is_404(client, world, settings):
    """/media/<stored name>: neither the portal nor the development media server has it."""
    from django.test import RequestFactory
    from django.views.static import serve

    for _url, name in _private_file_urls(world):
        assert client.get("/" + settings.MEDIA_URL + name).status_code == 404
        request = RequestFactory().get("/" + settings.MEDIA_URL + name)
        with pytest.raises(Http404):  # what urls.py serves under DEBUG
            serve(request, name, document_root=settings.MEDIA_ROOT)


def test_anonymous_and_other_places_get_404_for_private_files(client, world):
    for url, _name in _private_file_urls(world):
        client.logout()
        response = client.get(url)
        assert response.status_code == 404, url  # no login page: the file does not exist
        for intruder in (world.outsider, world.team_b.representative.user):
            client.force_login(intruder)
            assert client.get(url).status_code == 404, url


def test_a_removed_member_no_longer_gets_private_files(client, world):
    from members.services import teams as team_services

    second = factories.MembershipFactory(place=world.a, role=Role.REPRESENTATIVE)
    client.force_login(second.user)
    for url, _name in _private_file_urls(world):
        assert client.get(url).status_code == 200, url
    team_services.remove_member(membership=second, by=world.team_a.representative.user)
    for url, _name in _private_file_urls(world):
        assert client.get(url).status_code == 404, url


def test_allowed_members_get_the_private_file_bytes(client, world):
    """The evidence for the team, the minutes for its representatives (403 below)."""
    evidence_url, minutes_url = (url for url, _name in _private_file_urls(world))
    client.force_login(world.team_a.representative.user)
    for url in (evidence_url, minutes_url):
        response = client.get(url)
        assert response.status_code == 200
        assert _body(response) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
    certificate = client.get(
        reverse("members:certificate", args=[world.a.slug, world.signature_a.pk])
    )
    assert minutes_url in certificate.content.decode()
    client.force_login(world.team_a.viewer.user)
    assert _body(client.get(evidence_url)) == PDF_BYTES
    assert client.get(minutes_url).status_code == 403


def test_in_production_nginx_sends_the_file_after_the_check(client, world, settings):
    """With PRIVATE_MEDIA_ACCEL_REDIRECT Django sends no bytes, only the internal location."""
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private/"
    client.force_login(world.team_a.representative.user)
    for url, name in _private_file_urls(world):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == "/_private/" + name
        assert response.content == b""
    client.force_login(world.outsider)
    for url, _name in _private_file_urls(world):
        response = client.get(url)
        assert response.status_code == 404 and not response.has_header("X-Accel-Redirect")


def test_coordinators_get_minutes_and_evidence_only_inside_their_territory(
    client, world, territorial
):
    """The admin's links go through checked views too; elsewhere the file does not exist."""
    minutes = reverse("admin:members_signature_minutes", args=[world.signature_a.pk])
    evidence = reverse(
        "admin:members_report_evidence", args=[world.report_a.pk, world.evidence_a.pk]
    )
    client.force_login(territorial)  # Bretagne: lieu-a is in Rennes (35)
    change = client.get(reverse("admin:members_signature_change", args=[world.signature_a.pk]))
    assert change.status_code == 200 and minutes in change.content.decode()
    assert "/media/" not in change.content.decode()
    for url in (minutes, evidence):
        response = client.get(url)
        assert response.status_code == 200 and _body(response) == PDF_BYTES, url
    Place.objects.filter(pk=world.a.pk).update(region="84", departement="38")  # Isère
    for url in (minutes, evidence):
        assert client.get(url).status_code == 404, url


# --- 8. Coordinators: a second factor before the admin ---------------------------------------------


def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(client, db):
    staff = factories.UserFactory(
        email="sans-2fa@example.org", is_staff=True, is_superuser=True, second_factor=False
    )
    client.force_login(staff)
    for url in (reverse("admin:index"), reverse("admin:members_place_changelist")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_index"))
    assert "demande une double authentification" in page.content.decode()
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_login_page_never_takes_a_password_alone(client, db):
    """Django's admin form would sign a coordinator in without the code: it is never used."""
    factories.UserFactory(email="coord@example.org", is_staff=True, is_superuser=True)
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "coord@example.org", "password": "motdepasse-solide-42"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_coordinator_signs_in_with_password_and_code(client, db):
    from tests.browser import totp_code

    coordinator = factories.UserFactory(email="coord@example.org", is_staff=True)
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "coord@example.org", "password": "motdepasse-solide-42"},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user=coordinator)})
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
