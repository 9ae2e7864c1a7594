"""Pieces every admin of the members app shares: the lists of big tables and their search, the
territorial scope, read-only records, read-only inlines and actions over the selected rows."""

import operator
from collections import defaultdict
from functools import reduce

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ORDER_VAR, PAGE_VAR
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, Sum
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _

from members import geography
from members.models import Place
from members.services import MembersError
from members.territory import (
    is_national,
    place_in_scope,
    places_in_scope,
    scope_departements,
    scope_queryset,
    scope_regions,
)


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, the count of an unfiltered list of a big table is the planner's estimate
    (``pg_class.reltuples``, kept by ANALYZE and autovacuum): an exact count of 50,000 rows costs
    more than the page. Filtered lists (a search, a filter, a territorial scope) count exactly up
    to COUNT_LIMIT matches; their templates (admin/members/pagination.html, search_form.html) say
    "more than" beyond."""

    ESTIMATE_ABOVE = 20_000
    # A searched or filtered list counts its matches up to this number; beyond, it says "more
    # than" (a one-letter search of the accounts matched 200,000 of them: 270 ms to count).
    COUNT_LIMIT = 10_000
    tally_count = None  # the exact count, read without the rows (BigTableMixin.list_count)
    capped = False  # the list has more matches than COUNT_LIMIT, the count it gives

    @cached_property
    def count(self):
        if self.tally_count is not None:
            count = self.tally_count()
            # A list that fits on one page is shown whole: never on the word of summary rows
            # (rows not yet rebuilt would show the whole table); such a count is cheap anyway.
            if count > self.per_page:
                return count
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                return int(row[0])
        if query is not None and query.where:
            count = self.object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()
            self.capped = count > self.COUNT_LIMIT
            return min(count, self.COUNT_LIMIT)
        return super().count


class BigTableMixin:
    """The list of a table of thousands of rows (places, reports, accounts, history): an
    estimated count when unfiltered on PostgreSQL, no second count of the whole table, pages of
    50 rows, and each row's action checkbox written out rather than rendered as a form widget
    (a template render per row was a third of the list's time)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    # (summary-row model, its count field) when the summary rows count this table per
    # département (members.tallies): the list neither searched nor filtered, for a national or
    # a territorial coordinator, is counted from them, exactly, in a few rows instead of all
    # the territory's rows (a count that grew tenfold with the network).
    tally = None

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        if set(request.GET) <= {PAGE_VAR, ORDER_VAR}:  # neither searched nor filtered
            paginator.tally_count = self.list_count(request)
        return paginator

    def list_count(self, request):
        """How to count the list neither searched nor filtered without reading its rows (a
        function returning the exact count), or None: by default, from the ``tally`` rows."""
        if not self.tally:
            return None
        model, field = self.tally
        rows = scope_queryset(request.user, model.objects.all(), "")
        return lambda: rows.aggregate(n=Sum(field))["n"] or 0

    def action_checkbox(self, obj):
        # The markup of Django's ModelAdmin.action_checkbox, without a widget render.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )


class RelatedSearchMixin:
    """The list's search, table by table: the ``search_fields`` of a related table
    (``user__email``, ``place__name``) are searched by a subquery on that table, which its
    trigram indexes serve (migrations 0026, 0031), where Django's own search joins the big
    tables and tests every joined row (the team list at 100,000 places: a second). As in
    Django's, every word (or "quoted phrase") must be in one of the fields, case ignored."""

    def get_search_results(self, request, queryset, search_term):
        tables = defaultdict(list)  # relation ("" for the model's own fields) → field names
        for field in self.search_fields:
            relation, _sep, name = field.rpartition("__")
            tables[relation].append(name)
        for word in smart_split(search_term):
            if word[0] in "\"'" and word[-1] == word[0]:
                word = unescape_string_literal(word)
            anywhere = Q()
            for relation, names in tables.items():
                found = reduce(operator.or_, (Q(**{f"{n}__icontains": word}) for n in names))
                if relation:
                    model = self.model._meta.get_field(relation).related_model
                    found = Q(**{f"{relation}__in": model._default_manager.filter(found)})
                anywhere |= found
            queryset = queryset.filter(anywhere)
        return queryset, False


def _place_of(obj, place_path):
    for part in place_path.split("__") if place_path else []:
        obj = getattr(obj, part, None)
    return obj


def _in_territory(user, obj, place_path):
    """Whether ``obj`` (None: no object yet) leads by ``place_path`` to a place of ``user``'s
    territory."""
    return obj is None or is_national(user) or place_in_scope(user, _place_of(obj, place_path))


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


class _TerritorialMixin:
    """Rows limited to the territory by ``place_lookup``; viewing, changing or deleting an
    object also needs ``_in_scope``."""

    place_lookup = "place"

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request), self.place_lookup)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class TerritorialScopeMixin(_TerritorialMixin):
    """Limit a ModelAdmin to the coordinator's territory.

    ``place_lookup``: path from the model to its Place (``""`` for Place itself, ``"place"`` for
    Signature or Report, ``"report__place"`` for Answer). Lists, actions (they receive the
    changelist's queryset), change/delete/history pages (404 outside the territory), foreign-key
    choices and autocomplete all go through ``get_queryset``.
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Outside the territory (or missing): the same answer, never a hint.
            raise Http404
        return obj

    def _in_scope(self, request, obj):
        return _in_territory(request.user, obj, self.place_lookup)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
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


class TerritorialInlineMixin(_TerritorialMixin):
    """Limit an inline to the territory, like ``TerritorialScopeMixin`` for a ModelAdmin.

    ``place_lookup``: path from the inline's model to its Place; ``parent_place_lookup``: path
    from the parent object (the one the inline's permission methods receive) to its Place.
    The parent admin already answers 404 outside the territory: this is defence in depth.
    """

    parent_place_lookup = ""

    def _in_scope(self, request, obj):
        return _in_territory(request.user, obj, self.parent_place_lookup)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._in_scope(request, obj)


class ReadOnlyAdminMixin:
    """Records that are written only by the portal itself (signatures, edit history)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnlyMixin:
    """Rights are given by superusers only: others (national or territorial coordinators) may
    view, never add, change or delete. Together with territory.PRIVILEGE_MODELS, which keeps the
    matching permissions out of the coordination groups."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class ParentKnownFormSet(BaseInlineFormSet):
    """Each row holds its parent object, not only its id (all Django sets): the title of a
    row, its ``str()``, names the place or the report without a query per row."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)
        return form


class ReadOnlyInline(TerritorialInlineMixin, admin.TabularInline):
    """Rows of a place or a report that the portal writes itself, shown as they are."""

    formset = ParentKnownFormSet
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def run_on_selected(modeladmin, request, objects, service, done_message, *, label=str, **kwargs):
    """Call ``service(obj, by=…, **kwargs)`` for each selected object: one success message with
    the count, one error message per object a rule refused (``label(obj)`` names it)."""
    done = 0
    for obj in objects:
        try:
            service(obj, by=request.user, **kwargs)
        except MembersError as error:
            modeladmin.message_user(request, f"{label(obj)} : {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    return done
