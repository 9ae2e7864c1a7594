"""Guard tests: migrations, every named URL, health check, translations."""

import glob
from io import StringIO
from unittest import mock

import polib
import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.urls import get_resolver, reverse

pytestmark = pytest.mark.django_db


def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _named_urls_without_arguments():
    resolver = get_resolver()
    names = []
    for key, values in resolver.reverse_dict.lists():
        if not isinstance(key, str):
            continue
        for possibility, _pattern, _defaults, _converters in values:
            if all(not params for _fmt, params in possibility):
                names.append(key)
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for key, values in sub.reverse_dict.lists():
            if isinstance(key, str) and all(not p for _f, p in values[0][0]):
                names.append(f"{namespace}:{key}")
    # The admin's own pages are walked by the admin smoke test; set_language is POST only.
    return sorted(n for n in set(names) if not n.startswith("admin:") and n != "set_language")


@pytest.mark.parametrize("name", _named_urls_without_arguments())
def test_every_named_url_answers(client, coordinator, name):
    """Every named URL without arguments answers without a server error, for a coordinator."""
    client.force_login(coordinator)
    response = client.get(reverse(name))
    assert response.status_code < 500, f"{name} → {response.status_code}"


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_down(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "reason": "the database does not answer",
    }  # the driver's message (host, port) stays in the log


def test_english_catalogue_is_complete():
    """Every French source string has an English translation (no empty or fuzzy entry)."""
    catalogue = polib.pofile(glob.glob("locale/en/LC_MESSAGES/django.po")[0])
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"


def test_admin_index_renders(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200


def test_english_catalogue_is_up_to_date(tmp_path):
    """Every translatable string of the code and templates is in the catalogue."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is needed to extract strings (apt install gettext)")
    root = Path(__file__).resolve().parents[2]
    for name in ("core", "charter", "members", "lcp_network", "templates", "locale"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(root / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--no-wrap"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))
    wanted = {e.msgid for e in extracted if not e.obsolete}
    have = {e.msgid for e in polib.pofile("locale/en/LC_MESSAGES/django.po") if not e.obsolete}
    missing = sorted(wanted - have)
    assert not missing, f"run `make translations`: {len(missing)} new strings, e.g. {missing[:5]}"
