from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate


def site_from_settings(sender, using="default", **kwargs):
    """The Sites framework's domain and name follow SITE_URL and SITE_NAME at every migrate:
    allauth's e-mails and links never say "example.com"."""
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )


def renew_rendered_pages(sender, **kwargs):
    """Every deploy migrates: the new release's templates and translations are never served
    from pages or fragments the previous release rendered (the fragments outlive a restart in
    the shared cache). Skipped while the cache cannot be written yet: the first ``migrate`` of
    a new site runs before ``createcachetable``, with nothing cached to renew. (Sent once per
    application with models; ``core`` has none.)"""
    from django.db import DatabaseError

    from core.cache import invalidate_public_pages

    try:
        invalidate_public_pages()
    except DatabaseError:
        pass


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        post_migrate.connect(site_from_settings, dispatch_uid="core-site-from-settings")
        post_migrate.connect(renew_rendered_pages, dispatch_uid="core-renew-rendered-pages")
