from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Lieux membres")

    def ready(self):
        from . import search  # noqa: F401 — registers lcp_fold() on SQLite connections
