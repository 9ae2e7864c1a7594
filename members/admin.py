from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import geography, services
from .forms import ReasonForm
from .models import (
    Activity,
    Invitation,
    Membership,
    Place,
    PlaceTransition,
    PublicServed,
    Signature,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "language")}),
        (
            _("Droits"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


# --- Members: places, teams, signatures (issue 4) ----------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "user_email", "role", "created_at"]
    readonly_fields = ["user_email", "created_at"]
    autocomplete_fields = ["user"]
    verbose_name_plural = _("équipe")

    @admin.display(description=_("adresse e-mail"))
    def user_email(self, membership):
        return membership.user.email if membership.user_id else ""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    can_delete = False
    show_change_link = True
    fields = [
        "version",
        "signed_at",
        "signatory_name",
        "signatory_title",
        "board_decision_date",
        "verification_code",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlaceTransitionInline(admin.TabularInline):
    model = PlaceTransition
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("historique des statuts")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RegionFilter(admin.SimpleListFilter):
    title = _("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return geography.REGION_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(region=self.value()) if self.value() else queryset


class DepartementFilter(admin.SimpleListFilter):
    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        region = request.GET.get("region")
        return [
            (code, label)
            for code, label in geography.DEPARTEMENT_CHOICES
            if not region or geography.region_for_departement(code) == region
        ]

    def queryset(self, request, queryset):
        return queryset.filter(departement=self.value()) if self.value() else queryset


def _run_service(modeladmin, request, queryset, service, done_message, **kwargs):
    """Call ``service`` for each place; one admin message per success count and per error."""
    done = 0
    for place in queryset:
        try:
            service(place=place, by=request.user, **kwargs)
        except services.MembersError as error:
            modeladmin.message_user(request, f"{place.name} : {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def _action_with_reason(modeladmin, request, queryset, service, title, done_message):
    """An intermediate page asks for the reason, then runs the service on each place."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        _run_service(
            modeladmin, request, queryset, service, done_message, reason=form.cleaned_data["reason"]
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "places": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/members/place/action_reason.html", context)


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "commune",
        "departement",
        "region_label",
        "legal_form",
        "status",
        "created_at",
    ]
    list_filter = ["status", RegionFilter, DepartementFilter, "legal_form", "is_public"]
    search_fields = ["name", "legal_name", "commune", "rna", "siret", "postcode"]
    list_select_related = []  # a place has no foreign key: the list is one query
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "status_changed_at",
        "approved_at",
        "created_at",
        "departement",
        "region",
    ]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["activities", "publics"]
    inlines = [MembershipInline, SignatureInline, PlaceTransitionInline]
    actions = ["approve", "reject", "suspend", "reinstate", "withdraw"]
    fieldsets = (
        (
            _("Identité"),
            {
                "fields": (
                    "name",
                    "slug",
                    "legal_name",
                    "legal_form",
                    "year_founded",
                    "rna",
                    "siret",
                )
            },
        ),
        (
            _("Adresse"),
            {
                "fields": (
                    "street",
                    "postcode",
                    "commune",
                    "departement",
                    "region",
                    "latitude",
                    "longitude",
                )
            },
        ),
        (_("Contact"), {"fields": ("public_email", "phone", "website")}),
        (
            _("Présentation"),
            {"fields": ("description", "activities", "publics", "logo", "is_public")},
        ),
        (_("Statut"), {"fields": ("status", "created_at", "status_changed_at", "approved_at")}),
    )

    @admin.display(description=_("région"), ordering="region")
    def region_label(self, place):
        return place.region_name

    def has_delete_permission(self, request, obj=None):
        # Places leave the network through "withdraw": their history and signatures stay.
        return False

    @admin.action(description=_("Valider l’inscription des lieux sélectionnés"))
    def approve(self, request, queryset):
        _run_service(
            self, request, queryset, services.approve_place, _("%(count)d lieu(x) validé(s).")
        )

    @admin.action(description=_("Refuser l’inscription des lieux sélectionnés…"))
    def reject(self, request, queryset):
        return _action_with_reason(
            self,
            request,
            queryset,
            services.reject_place,
            _("Refuser l’inscription"),
            _("%(count)d inscription(s) refusée(s)."),
        )

    @admin.action(description=_("Suspendre les lieux sélectionnés…"))
    def suspend(self, request, queryset):
        return _action_with_reason(
            self,
            request,
            queryset,
            services.suspend_place,
            _("Suspendre des lieux"),
            _("%(count)d lieu(x) suspendu(s)."),
        )

    @admin.action(description=_("Rétablir les lieux sélectionnés"))
    def reinstate(self, request, queryset):
        _run_service(
            self, request, queryset, services.reinstate_place, _("%(count)d lieu(x) rétabli(s).")
        )

    @admin.action(description=_("Retirer du réseau les lieux sélectionnés"))
    def withdraw(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.withdraw_place,
            _("%(count)d lieu(x) retiré(s) du réseau."),
        )


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["place", "version", "signed_at", "signatory_title", "verification_code"]
    list_filter = ["version"]
    search_fields = ["place__name", "verification_code", "signatory_name"]
    list_select_related = ["place", "version"]
    date_hierarchy = "signed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceListAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(Activity, ReferenceListAdmin)
admin.site.register(PublicServed, ReferenceListAdmin)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "place",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "place__name"]
    list_select_related = ["place"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from . import report_admin  # noqa: E402,F401
