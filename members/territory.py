"""Two levels of coordination: national (everything) and territorial (régions/départements).

``scope_queryset(user, qs, place_path)`` is the one place where the rule lives; the admin mixin,
the dashboard and the exports all go through it.
"""

from django.contrib import admin
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import geography

NATIONAL_GROUP = "Coordination nationale"
TERRITORIAL_GROUP = "Coordination territoriale"

# Permissions of each group: (app_label, model, actions). National: everything on both apps.
TERRITORIAL_PERMISSIONS = [
    ("members", "place", ("view", "change")),
    ("members", "historicalplace", ("view",)),
    ("members", "placetransition", ("view",)),
    ("members", "membership", ("view",)),
    ("members", "invitation", ("view",)),
    ("members", "signature", ("view", "change")),
    ("members", "report", ("view", "change")),
    ("members", "reporttransition", ("view",)),
    ("members", "answer", ("view",)),
    ("members", "indicatorvalue", ("view",)),
    ("members", "extension", ("view", "change")),
    ("members", "reportingcampaign", ("view",)),
    ("members", "indicator", ("view",)),
    ("members", "reminderlog", ("view",)),
    ("charter", "charterversion", ("view",)),
    ("charter", "section", ("view",)),
    ("charter", "commitment", ("view",)),
]


def sync_groups(apps=None):
    """Create both groups and grant them their permissions (only adds; safe to re-run).

    Called by a data migration (historical ``apps``) and after every ``migrate``, so that
    models added later reach the national group too.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    national, _created = Group.objects.get_or_create(name=NATIONAL_GROUP)
    territorial, _created = Group.objects.get_or_create(name=TERRITORIAL_GROUP)
    national.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["charter", "members"])
    )
    wanted = Q(pk__in=[])
    for app_label, model, actions in TERRITORIAL_PERMISSIONS:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    territorial.permissions.add(*Permission.objects.filter(wanted))


# --- Who sees what ------------------------------------------------------------------------------


def _cached(user, name, compute):
    attr = f"_lcp_{name}"
    if not hasattr(user, attr):
        setattr(user, attr, compute())
    return getattr(user, attr)


def is_national(user):
    """Superusers and members of "Coordination nationale" see the whole network."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return _cached(user, "is_national", lambda: user.groups.filter(name=NATIONAL_GROUP).exists())


def get_scope(user):
    """(regions, departements) of a territorial coordinator; empty lists without a scope."""
    from .models import CoordinatorScope

    def compute():
        scope = CoordinatorScope.objects.filter(user=user).first()
        return (list(scope.regions), list(scope.departements)) if scope else ([], [])

    return _cached(user, "scope", compute)


def scope_q(user, place_path="place"):
    """A Q on ``place_path`` (``""`` for Place itself), or None when the user sees everything."""
    if is_national(user):
        return None
    prefix = f"{place_path}__" if place_path else ""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Q(pk__in=[])
    regions, departements = get_scope(user)
    if not regions and not departements:
        return Q(pk__in=[])
    return Q(**{f"{prefix}region__in": regions}) | Q(**{f"{prefix}departement__in": departements})


def scope_queryset(user, qs, place_path="place"):
    """``qs`` limited to the user's territory (everything for national coordinators)."""
    condition = scope_q(user, place_path)
    return qs if condition is None else qs.filter(condition)


def places_in_scope(user):
    from .models import Place

    return scope_queryset(user, Place.objects.all(), "")


def place_in_scope(user, place):
    if place is None:
        return False
    if is_national(user):
        return True
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    regions, departements = get_scope(user)
    return place.region in regions or place.departement in departements


def scope_regions(user):
    """Région codes offered in filters: all of them, or the scope's (and its départements')."""
    if is_national(user):
        return list(geography.REGIONS)
    regions, departements = get_scope(user)
    extra = [geography.region_for_departement(code) for code in departements]
    return [code for code in geography.REGIONS if code in regions or code in extra]


def scope_departements(user):
    if is_national(user):
        return list(geography.DEPARTEMENTS)
    regions, departements = get_scope(user)
    return [
        code
        for code, (_name, region) in geography.DEPARTEMENTS.items()
        if code in departements or region in regions
    ]


# --- Admin ----------------------------------------------------------------------------------


def _place_of(obj, place_path):
    for part in place_path.split("__") if place_path else []:
        obj = getattr(obj, part, None)
    return obj


class _PlaceListFilter(admin.SimpleListFilter):
    field = ""

    def __init__(self, request, params, model, model_admin):
        self.place_lookup = getattr(model_admin, "place_lookup", "place")
        super().__init__(request, params, model, model_admin)

    def queryset(self, request, queryset):
        if self.value():
            prefix = f"{self.place_lookup}__" if self.place_lookup else ""
            return queryset.filter(**{f"{prefix}{self.field}": self.value()})
        return queryset


class RegionListFilter(_PlaceListFilter):
    """Région filter offering only the coordinator's régions."""

    field = "region"

    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(code, geography.region_name(code)) for code in scope_regions(request.user)]


class DepartementListFilter(_PlaceListFilter):
    """Département filter offering only the coordinator's départements."""

    field = "departement"

    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        # Once a région is chosen, only its départements (the list is long otherwise).
        region = request.GET.get(RegionListFilter.parameter_name)
        return [
            (code, f"{code} – {geography.departement_name(code)}")
            for code in scope_departements(request.user)
            if not region or geography.region_for_departement(code) == region
        ]


class TerritorialScopeMixin:
    """Limit a ModelAdmin to the coordinator's territory.

    ``place_lookup``: path from the model to its Place (``""`` for Place itself, ``"place"`` for
    Signature or Report, ``"report__place"`` for Answer). Lists, actions (they receive the
    changelist's queryset), change/delete/history pages (404 outside the territory), foreign-key
    choices and autocomplete all go through ``get_queryset``.
    """

    place_lookup = "place"

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request), self.place_lookup)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Outside the territory (or missing): the same answer, never a hint.
            raise Http404
        return obj

    def _in_scope(self, request, obj):
        if obj is None or is_national(request.user):
            return True
        return place_in_scope(request.user, _place_of(obj, self.place_lookup))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from .models import Place

        if db_field.related_model is Place and "queryset" not in kwargs:
            kwargs["queryset"] = places_in_scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        # Plain "region"/"departement" filters would list the whole country: swap them.
        swap = {"region": RegionListFilter, "departement": DepartementListFilter}
        prefix = f"{self.place_lookup}__" if self.place_lookup else ""
        result = []
        for item in filters:
            name = item if isinstance(item, str) else None
            key = name[len(prefix) :] if name and name.startswith(prefix) else name
            result.append(swap.get(key, item) if name else item)
        return result


class TerritorialInlineMixin:
    """Limit an inline to the territory, like ``TerritorialScopeMixin`` for a ModelAdmin.

    ``place_lookup``: path from the inline's model to its Place; ``parent_place_lookup``: path
    from the parent object (the one the inline's permission methods receive) to its Place.
    The parent admin already answers 404 outside the territory: this is defence in depth.
    """

    place_lookup = "place"
    parent_place_lookup = ""

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request), self.place_lookup)

    def _parent_in_scope(self, request, obj):
        if obj is None or is_national(request.user):
            return True
        return place_in_scope(request.user, _place_of(obj, self.parent_place_lookup))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._parent_in_scope(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_in_scope(request, obj)


def coordinators_of(place):
    """Who coordinates ``place``: active staff whose territory holds it (national coordinators
    included), then the extra addresses of ``settings.COORDINATORS_EMAIL``."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from .models import CoordinatorScope

    staff = (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .order_by("email", "pk")
    )
    national = Q(is_superuser=True) | Q(groups__name=NATIONAL_GROUP)
    scopes = CoordinatorScope.objects.filter(user__in=staff).values_list(
        "user_id", "regions", "departements"
    )
    territorial_ids = {
        user_id
        for user_id, regions, departements in scopes
        if place.region in regions or place.departement in departements
    }
    users = list(staff.filter(national | Q(pk__in=territorial_ids)).distinct())
    known = {user.email.lower() for user in users}
    extra = [a for a in settings.COORDINATORS_EMAIL if a.lower() not in known]
    return users + extra
