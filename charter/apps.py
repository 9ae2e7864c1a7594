from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def reinstall_triggers(sender, using, **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds it: put them back.

    Only once the trigger migration is applied (not while migrating backwards past it).
    """
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from charter import triggers

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return
    if recorder.migration_qs.filter(app="charter", name="0004_immutability_triggers").exists():
        triggers.install(connection)


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Charte")

    def ready(self):
        from core import cache

        from .models import CharterVersion, Commitment, Section

        post_migrate.connect(reinstall_triggers, sender=self)
        # The charter's pages are public: a change starts a new generation of cached pages.
        cache.watch(CharterVersion, Section, Commitment)
