from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _sync_coordination_groups(sender, **kwargs):
    from .territory import sync_groups

    sync_groups()


def _reinstall_triggers(sender, using, **kwargs):
    """Put the append-only triggers back after ``migrate``: SQLite drops a table's triggers when
    a migration rebuilds it, and a new column must be frozen too (members/triggers.py). Only
    once their migration is applied (not while migrating backwards past it)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import triggers

    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if (
        recorder.has_table()
        and recorder.migration_qs.filter(app="members", name="0018_append_only_triggers").exists()
    ):
        triggers.install(connection)


def _place_saved(sender, instance, created, raw=False, **kwargs):
    """A place saved outside the services (its profile, the admin) with another département,
    status or visibility: rewrite the summary rows it left and joined."""
    if raw:
        return
    from . import tallies

    now = tuple(getattr(instance, name) for name in instance.TALLIED_FIELDS)
    before = getattr(instance, "_tallied_as", None)
    if created or before != now:
        departements = {instance.departement}
        if before is not None:
            departements.add(before[0])
        tallies.retally(departements=departements)
    instance._tallied_as = now


def _place_deleted(sender, instance, **kwargs):
    from . import tallies

    tallies.retally(departements={instance.departement})


def _retally_place_of(instance):
    from . import tallies
    from .models import Place

    departement = Place.objects.filter(pk=instance.place_id).values_list("departement")
    tallies.retally(departements={code for (code,) in departement})


def _created_or_deleted(sender, instance, created=True, raw=False, **kwargs):
    """The reports counted by status, drafts included (a draft's later saves change no
    count; its status changes go through the services, which retally), and the places by
    signature state (a signature recorded by the admin or an import too)."""
    if created and not raw:
        _retally_place_of(instance)


def _extension_changed(sender, instance, raw=False, **kwargs):
    """A place's own due date (a granted extension) is counted from the summary rows."""
    if not raw:
        _retally_place_of(instance)


def _campaign_saved(sender, instance, raw=False, **kwargs):
    """A campaign created or edited (its dates): the due dates of its places follow."""
    if not raw:
        from . import tallies

        tallies.retally_campaign(instance)


def _team_changed(sender, instance, raw=False, **kwargs):
    """The places without a representative are counted from the summary rows."""
    if not raw:
        _retally_place_of(instance)


def _version_published(sender, **kwargs):
    """A new charter version changes every signature's state: rebuild the summary rows."""
    from . import tallies

    tallies.rebuild()


def _is_draft(report):
    """Drafting shows nowhere publicly: a draft renews no public page."""
    return report.status == report.Status.DRAFT


def _place_slugs(place):
    """The place's page, under the slug it was loaded with and the one it is saved with."""
    return {place.slug, getattr(place, "_loaded_slug", None)} - {None}


def _m2m_place_slugs(instance):
    # m2m_changed from the place's side names the place; from the other side, say nothing.
    from .models import Place

    return [instance.slug] if isinstance(instance, Place) else None


def _owner_slugs(instance):
    return [instance.place.slug]


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Lieux membres")

    def ready(self):
        from charter.services import version_published
        from core import cache

        from . import models, search  # noqa: F401 — search registers lcp_fold() on SQLite

        # Models added after the data migration reach "Coordination nationale" too.
        post_migrate.connect(_sync_coordination_groups, sender=self)
        post_migrate.connect(_reinstall_triggers, sender=self)
        # The summary rows (members.tallies) follow changes made outside the services.
        post_save.connect(_place_saved, sender=models.Place, dispatch_uid="tallies-place")
        post_delete.connect(_place_deleted, sender=models.Place, dispatch_uid="tallies-place")
        for signal in (post_save, post_delete):
            signal.connect(_created_or_deleted, sender=models.Report, dispatch_uid="tallies-report")
            signal.connect(
                _created_or_deleted, sender=models.Signature, dispatch_uid="tallies-signature"
            )
            signal.connect(_team_changed, sender=models.Membership, dispatch_uid="tallies-team")
            signal.connect(
                _extension_changed, sender=models.Extension, dispatch_uid="tallies-extension"
            )
        post_save.connect(
            _campaign_saved, sender=models.ReportingCampaign, dispatch_uid="tallies-campaign"
        )
        version_published.connect(_version_published, dispatch_uid="tallies-version")
        # What the public pages show: a change starts a new generation of cached pages.
        # A change that belongs to one place renews the pages listing places and its own page.
        cache.watch(models.Place, place=_place_slugs)
        cache.watch(
            models.Place.activities.through, models.Place.publics.through, place=_m2m_place_slugs
        )
        cache.watch(models.Signature, place=_owner_slugs)
        cache.watch(models.Report, skip=_is_draft, place=_owner_slugs)
        # The rest shows on every page (campaign names, reference lists, due dates).
        cache.watch(
            models.ReportingCampaign,
            models.Extension,
            models.Activity,
            models.PublicServed,
            models.Indicator,
        )


class CoordinationAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the coordinators' site (``members.admin.site``) as its default."""

    default = False  # members.apps' default configuration is MembersConfig
    default_site = "members.admin.site.default_site"
