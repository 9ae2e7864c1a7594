from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_coordination_groups(sender, **kwargs):
    from .territory import sync_groups

    sync_groups()


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Lieux membres")

    def ready(self):
        # Models added after the data migration reach "Coordination nationale" too.
        post_migrate.connect(_sync_coordination_groups, sender=self)
        # Cached public pages start a new generation whenever their data changes.
        from .cache import connect_signals

        connect_signals()
        from . import search  # noqa: F401 — registers lcp_fold() on SQLite connections
