"""Public pages are cached for anonymous visitors and never served stale after a change."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from members.models import Place, Report
from members.services import places as place_services
from members.services import reports as report_services
from tests import factories

pytestmark = pytest.mark.django_db


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/charte/", "/charte/versions/", "/annuaire/", "/observatoire/", "/donnees/"]
)
def test_second_anonymous_visit_runs_no_query(client, listed_place, url, django_assert_num_queries):
    listed_place(name="Maison Bleue")
    first = body(client.get(url))
    with django_assert_num_queries(0):
        second = client.get(url)
    assert body(second) == first
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]


def test_each_language_has_its_own_page(client):
    french = body(client.get("/", headers={"accept-language": "fr"}))
    english = body(client.get("/", headers={"accept-language": "en"}))
    assert 'lang="fr"' in french and 'lang="en"' in english


def test_a_new_signatory_shows_at_once(client, listed_place):
    listed_place(name="Maison Bleue")
    assert "Maison Rouge" not in body(client.get("/annuaire/"))
    listed_place(name="Maison Rouge")
    assert "Maison Rouge" in body(client.get("/annuaire/"))


def test_a_change_to_one_place_renews_only_what_shows_it(
    client, listed_place, django_assert_num_queries
):
    changed, other = listed_place(name="Maison Bleue"), listed_place(name="Maison Jaune")
    pages = ["/", "/annuaire/", f"/annuaire/{changed.slug}/", f"/annuaire/{other.slug}/"]
    pages += ["/charte/", "/charte/versions/1/"]
    for url in pages:
        client.get(url)
    changed.description = "Nouveaux horaires d’ouverture"
    changed.save()
    # Its own page and the pages listing places are renewed…
    assert "Nouveaux horaires" in body(client.get(f"/annuaire/{changed.slug}/"))
    for url in ["/", "/annuaire/"]:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) > 0, url
    # …the other places' pages and the charter's are still served from the cache.
    for url in [f"/annuaire/{other.slug}/", "/charte/", "/charte/versions/1/"]:
        with django_assert_num_queries(0):
            client.get(url)


def test_a_new_slug_retires_the_page_under_the_old_one(client, listed_place):
    place = listed_place(name="Maison Bleue")
    old = f"/annuaire/{place.slug}/"
    assert client.get(old).status_code == 200
    place = Place.objects.get(pk=place.pk)
    place.slug = "maison-bleue-de-nevers"
    place.save()
    assert client.get(old).status_code == 404
    assert client.get("/annuaire/maison-bleue-de-nevers/").status_code == 200


def test_a_suspension_through_the_service_hides_the_place_at_once(
    client, listed_place, coordinator
):
    place = listed_place(name="Maison Verte")
    assert client.get(f"/annuaire/{place.slug}/").status_code == 200
    assert "Maison Verte" in body(client.get("/annuaire/export.csv"))
    place_services.suspend_place(place=place, by=coordinator, reason="Statuts non conformes")
    assert Place.objects.get(pk=place.pk).status == Place.Status.SUSPENDED
    assert client.get(f"/annuaire/{place.slug}/").status_code == 404
    assert "Maison Verte" not in body(client.get("/annuaire/"))
    assert "Maison Verte" not in body(client.get("/annuaire/export.csv"))


def test_approving_a_report_publishes_it_at_once(client, listed_place, coordinator):
    place = listed_place(name="Maison Jaune")
    report = factories.ReportFactory(place=place, status=Report.Status.SUBMITTED)
    assert "Bilan publié" not in body(client.get(f"/annuaire/{place.slug}/"))
    before = body(client.get(f"/annuaire/{place.slug}/"))
    report_services.approve_report(report=report, by=coordinator, message="Merci")
    assert body(client.get(f"/annuaire/{place.slug}/")) != before


def test_members_and_coordinators_never_get_a_cached_page(client, listed_place, coordinator):
    listed_place(name="Maison Grise")
    client.get("/annuaire/")
    client.force_login(coordinator)
    assert "Coordination" in body(client.get("/annuaire/"))  # the staff link of the menu


def test_a_page_with_a_message_is_not_cached():
    from core.cache import public_page

    calls = []

    @public_page
    def view(request):
        from django.http import HttpResponse

        calls.append(1)
        return HttpResponse("page")

    factory = RequestFactory()

    def request_with(messages=()):
        request = factory.get("/annuaire/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        request.session = {}
        storage = CookieStorage(request)
        for text in messages:
            storage.add(constants.INFO, text)
        request._messages = storage
        return request

    view(request_with(["Vous êtes déconnecté."]))
    view(request_with())
    view(request_with())
    assert len(calls) == 2  # the page with a message was rendered, not cached


@pytest.mark.django_db(transaction=True)
def test_processes_share_the_generation_through_the_database_cache(settings, listed_place):
    """Without Redis the default cache is the database (settings.base): a change made in one
    process starts a generation that another process (with its own memory) reads there."""
    from django.core.cache import caches
    from django.core.management import call_command

    from core import cache as public_cache

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lcp_cache_test",
        },
    }
    call_command("createcachetable")
    try:
        assert type(caches["default"]).__name__ == "DatabaseCache"
        before = public_cache.generation()
        public_cache._new_generation()  # "process A": a change
        changed = public_cache.generation()
        public_cache._memo.clear()  # "process B": nothing in memory
        assert public_cache.generation() == changed != before
        assert caches["default"].get(public_cache.GENERATION_KEY) == changed
    finally:
        public_cache._memo.clear()


def test_a_migrate_renews_the_pages_and_fragments_an_earlier_release_rendered():
    """A deploy (its ``migrate``) never serves what the previous templates rendered: the
    fragments live in the shared cache, which outlives the restart."""
    from django.core.management.sql import emit_post_migrate_signal

    from core import cache

    renders = []
    cache.fragment("figures", lambda: renders.append(1) or "old")
    assert cache.fragment("figures", lambda: renders.append(1) or "old") == "old"
    assert len(renders) == 1
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert cache.fragment("figures", lambda: renders.append(1) or "new") == "new"
    assert len(renders) == 2
