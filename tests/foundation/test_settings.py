"""The production profile refuses insecure configurations and passes check --deploy."""

import os
import subprocess
import sys

BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}


def _manage(*args, **env):
    env.setdefault("EMAIL_HOST", "smtp.lcp.example")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**BASE_ENV, "DJANGO_SETTINGS_MODULE": "lcp_network.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DJANGO_ALLOWED_HOSTS="lcp.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", DJANGO_SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-" + "z" * 30,
        DJANGO_ALLOWED_HOSTS="lcp.example",
        EMAIL_HOST="smtp.lcp.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_site_follows_site_url_at_migrate(db, settings):
    """allauth's e-mails use the Sites framework: its domain is the portal's, never example.com."""
    from django.contrib.sites.models import Site

    from core.apps import site_from_settings

    settings.SITE_URL = "https://lieux.example.org"
    settings.SITE_NAME = "Réseau des lieux"
    site_from_settings(sender=None)
    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("lieux.example.org", "Réseau des lieux")


def test_widgets_render_through_jinja2_and_the_admins_through_django_templates():
    from django import forms
    from django.forms.renderers import get_default_renderer
    from django.template.backends import django as django_backend
    from django.template.backends import jinja2 as jinja2_backend

    renderer = get_default_renderer()
    radio = renderer.get_template("django/forms/widgets/radio.html")
    assert isinstance(radio, jinja2_backend.Template)
    # The admin ships no Jinja2 template: its widgets still render, with the Django engine.
    related = renderer.get_template("admin/widgets/related_widget_wrapper.html")
    assert isinstance(related, django_backend.Template)
    html = forms.RadioSelect(choices=[("a", "A"), ("b", "B")]).render("level", "b")
    assert 'type="radio"' in html and 'value="b" checked' in html


def test_a_web_worker_freezes_what_it_loads_out_of_the_collectors_reach():
    """The WSGI module loads the URLs and their views, then freezes every object loaded so far
    (gc.freeze): full collections no longer walk them on each worker's requests."""
    code = (
        "import gc, sys; import lcp_network.wsgi; "
        "print(gc.get_freeze_count(), 'members.views.directory' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**BASE_ENV, "DJANGO_SETTINGS_MODULE": "lcp_network.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000 and views_loaded == "True", result.stderr
