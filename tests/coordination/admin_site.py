"""A minimal admin site with the territorial mixin on Place, Signature and Report admins.

The real admins of those models live in other branches; the lead applies the mixin to them and
points ``ADMIN_PREFIX`` in the matrix at the real site.
"""

from django.contrib import admin

from members.admin_coordination import (
    ReportingStatusFilter,
    SignatureStateFilter,
    WithoutRepresentativeFilter,
    remind_action,
)
from members.models import Place, Report, Signature
from members.territory import TerritorialScopeMixin

site = admin.AdminSite(name="scoped")


@admin.action(description="Retirer de l’annuaire")
def hide_from_directory(modeladmin, request, queryset):
    queryset.update(is_public=False)


class PlaceAdmin(TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = ""
    list_display = ["name", "status", "departement"]
    list_filter = [
        "status",
        "region",
        "departement",
        WithoutRepresentativeFilter,
        SignatureStateFilter,
        ReportingStatusFilter,
    ]
    search_fields = ["name"]
    actions = [hide_from_directory, remind_action]


class SignatureAdmin(TerritorialScopeMixin, admin.ModelAdmin):
    list_display = ["place", "version", "signatory_name"]
    list_select_related = ["place", "version"]
    list_filter = ["place__region"]


class ReportAdmin(TerritorialScopeMixin, admin.ModelAdmin):
    list_display = ["place", "campaign", "status"]
    list_select_related = ["place", "campaign"]
    list_filter = ["status"]
    actions = ["approve"]

    @admin.action(description="Valider")
    def approve(self, request, queryset):
        queryset.update(status=Report.Status.APPROVED)


site.register(Place, PlaceAdmin)
site.register(Signature, SignatureAdmin)
site.register(Report, ReportAdmin)
