"""Shared fixtures: one per role, and a Playwright browser on Debian's Chromium."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from members.models import CoordinatorScope, Membership
from members.territory import NATIONAL_GROUP, TERRITORIAL_GROUP
from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _nginx_available():
    return bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists())


def pytest_collection_modifyitems(config, items):
    """Browser tests skip without Chromium, or fail when REQUIRE_BROWSER=1; nginx tests skip
    without nginx, or fail when REQUIRE_NGINX=1 (CI installs both)."""
    if not _nginx_available():
        if os.environ.get("REQUIRE_NGINX") == "1":
            raise pytest.UsageError("REQUIRE_NGINX=1 but nginx is not installed")
        skip_nginx = pytest.mark.skip(
            reason="no nginx: install it with `apt-get install nginx-light`"
        )
        for item in items:
            if "nginx" in item.keywords:
                item.add_marker(skip_nginx)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: install it with `sudo apt-get install chromium`"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then skips its transitions, so axe-core never measures the
    # colours of a button caught halfway through its hover animation.
    return {
        **browser_context_args,
        "locale": "fr-FR",
        "viewport": {"width": 1280, "height": 900},
        "reduced_motion": "reduce",
    }


@pytest.fixture
def screenshot(page, request):
    """screenshot("step-name"): saves a full-page PNG under test-artifacts/<test>/;
    screenshot("step-name", of=other_page) for a page of another browser context."""
    folder = ARTIFACTS / request.node.name.replace("/", "_")

    def take(name, of=None):
        folder.mkdir(parents=True, exist_ok=True)
        (of or page).screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def axe():
    """axe(page): runs axe-core (WCAG 2.1 AA) and fails with the violations, if any."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def run(page):
        results = checker.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            },
        )
        violations = results.response["violations"]
        assert not violations, f"axe-core on {page.url}:\n" + results.generate_report()

    return run


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in the default language: a request in English earlier in the same
    thread must not leave English active for the services' messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached public pages, rate limits)."""
    from django.core.cache import caches

    from core import cache as public_cache

    for alias in ("default", "public_pages"):
        caches[alias].clear()
    public_cache._memo.clear()  # what this process remembers of the generations
    yield
    for alias in ("default", "public_pages"):
        caches[alias].clear()
    public_cache._memo.clear()


# --- Reference data a transactional test flushes ---------------------------------------------

# Data migrations whose rows every page expects (charter v1, reference lists, …): a test with
# ``transaction=True`` (live_server) starts from an empty database, so they are loaded again.
REFERENCE_DATA = [
    ("charter.migrations.0003_load_version_1", "load_version_1"),
    ("members.migrations.0002_reference_lists", "create"),
    ("members.migrations.0005_default_indicators", "create"),
    ("members.migrations.0011_indicator_unit_english", "fill_english_units"),
]


def load_reference_data():
    import importlib

    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        load_reference_data()


# --- One fixture per role ---------------------------------------------------------------------


@pytest.fixture
def place(db):
    return factories.MemberPlaceFactory()


@pytest.fixture
def representative(place):
    return factories.MembershipFactory(place=place, role=Membership.Role.REPRESENTATIVE).user


@pytest.fixture
def editor(place):
    return factories.MembershipFactory(place=place, role=Membership.Role.EDITOR).user


@pytest.fixture
def viewer(place):
    return factories.MembershipFactory(place=place, role=Membership.Role.VIEWER).user


@pytest.fixture
def outsider(db):
    """Belongs to another place: must never see ``place``."""
    return factories.MembershipFactory(place=factories.MemberPlaceFactory()).user


@pytest.fixture
def coordinator(db):
    return factories.UserFactory(email="coordination@example.org", is_staff=True, is_superuser=True)


# --- Coordinators: national, territorial (Bretagne and the Rhône), staff without a territory


@pytest.fixture
def national(db):
    user = factories.UserFactory(email="nationale@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=NATIONAL_GROUP))
    return user


@pytest.fixture
def territorial(db):
    """Coordinates Bretagne (région 53) and the Rhône département (69)."""
    user = factories.UserFactory(email="bretagne@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=TERRITORIAL_GROUP))
    CoordinatorScope.objects.create(user=user, regions=["53"], departements=["69"])
    return user


@pytest.fixture
def unscoped_staff(db):
    user = factories.UserFactory(email="sans-territoire@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=TERRITORIAL_GROUP))
    return user
