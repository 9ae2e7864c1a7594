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


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        post_migrate.connect(site_from_settings, dispatch_uid="core-site-from-settings")
