"""Two levels of coordination: national (everything) and territorial (régions/départements).

``scope_queryset(user, qs, place_path)`` is the one place where the rule lives; the admin mixin,
the dashboard and the exports all go through it.
"""

from django.db.models import Q

from . import geography

NATIONAL_GROUP = "Coordination nationale"
TERRITORIAL_GROUP = "Coordination territoriale"

# Permissions of each group: (app_label, model, actions). National: everything on both apps,
# except the privileges below.
TERRITORIAL_PERMISSIONS = [
    ("members", "user", ("view",)),
    # add: the import of places (members.services.imports), within the territory only; the
    # admin's plain add form stays national (members.admin.places.PlaceAdmin).
    ("members", "place", ("view", "change", "add")),
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
    ("members", "survey", ("view",)),
    ("members", "surveyfield", ("view",)),
    ("members", "reminderlog", ("view",)),
    ("charter", "charterversion", ("view",)),
    ("charter", "section", ("view",)),
    ("charter", "commitment", ("view",)),
]

# Who holds which rights is decided by superusers only: no group may add, change or delete
# accounts (staff flags, groups, permissions), coordinators' territories, groups or permissions.
# Coordinators may view accounts (within their territory, see members.admin.teams.UserAdmin).
PRIVILEGE_MODELS = [
    ("members", "user"),
    ("members", "coordinatorscope"),
    ("auth", "group"),
    ("auth", "permission"),
]


def privilege_permissions(Permission):
    """The add/change/delete permissions of PRIVILEGE_MODELS (superusers only)."""
    wanted = Q(pk__in=[])
    for app_label, model in PRIVILEGE_MODELS:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in ("add", "change", "delete")],
        )
    return Permission.objects.filter(wanted)


def sync_groups(apps=None):
    """Create both groups and grant them their permissions; take back the privilege
    permissions (PRIVILEGE_MODELS) from both, if an earlier version granted them. Safe to re-run.

    Called by data migrations (historical ``apps``) and after every ``migrate``, so that
    models added later reach the national group too.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    national, _created = Group.objects.get_or_create(name=NATIONAL_GROUP)
    territorial, _created = Group.objects.get_or_create(name=TERRITORIAL_GROUP)
    privileges = privilege_permissions(Permission)
    national.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["charter", "members"]).exclude(
            pk__in=privileges
        )
    )
    wanted = Q(pk__in=[])
    for app_label, model, actions in TERRITORIAL_PERMISSIONS:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    territorial.permissions.add(*Permission.objects.filter(wanted).exclude(pk__in=privileges))
    for group in (national, territorial):
        group.permissions.remove(*privileges)


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
