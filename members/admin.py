from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services

# Importing admin_coordination also registers the coordination admins (scopes, reminder log,
# place history) and the dashboard index: this is the one place it is imported.
from .admin_coordination import (
    ReadOnlyAdminMixin,
    ReportingStatusFilter,
    SignatureStateFilter,
    WithoutRepresentativeFilter,
    remind_action,
)
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
from .territory import (
    DepartementListFilter,
    RegionListFilter,
    TerritorialInlineMixin,
    TerritorialScopeMixin,
)

admin.site.site_header = _("Coordination du réseau des lieux collectifs de proximité")
admin.site.site_title = _("Coordination LCP")
admin.site.index_title = _("Tableau de bord")


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


class MembershipInline(TerritorialInlineMixin, admin.TabularInline):
    """The team, read-only: changes go through the membership admin, which keeps the rule
    "a place keeps at least one representative" (members/services.py enforces it in /espace/)."""

    model = Membership
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["user", "user_email", "role", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("équipe")

    @admin.display(description=_("adresse e-mail"))
    def user_email(self, membership):
        return membership.user.email if membership.user_id else ""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SignatureInline(TerritorialInlineMixin, admin.TabularInline):
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


class PlaceTransitionInline(TerritorialInlineMixin, admin.TabularInline):
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
class PlaceAdmin(TerritorialScopeMixin, SimpleHistoryAdmin):
    """Places, limited to the coordinator's territory; the profile's edit history (simple-history)
    and the coordination filters the dashboard links to."""

    place_lookup = ""
    list_display = [
        "name",
        "commune",
        "departement",
        "region_label",
        "legal_form",
        "status",
        "created_at",
    ]
    list_filter = [
        "status",
        RegionListFilter,
        DepartementListFilter,
        "legal_form",
        "is_public",
        WithoutRepresentativeFilter,
        SignatureStateFilter,
        ReportingStatusFilter,
    ]
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
    actions = ["approve", "reject", "suspend", "reinstate", "withdraw", remind_action]
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

    # simple-history's own views look the place up without get_queryset: 404 outside first.
    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.action(
        description=_("Valider l’inscription des lieux sélectionnés"), permissions=["change"]
    )
    def approve(self, request, queryset):
        _run_service(
            self, request, queryset, services.approve_place, _("%(count)d lieu(x) validé(s).")
        )

    @admin.action(
        description=_("Refuser l’inscription des lieux sélectionnés…"), permissions=["change"]
    )
    def reject(self, request, queryset):
        return _action_with_reason(
            self,
            request,
            queryset,
            services.reject_place,
            _("Refuser l’inscription"),
            _("%(count)d inscription(s) refusée(s)."),
        )

    @admin.action(description=_("Suspendre les lieux sélectionnés…"), permissions=["change"])
    def suspend(self, request, queryset):
        return _action_with_reason(
            self,
            request,
            queryset,
            services.suspend_place,
            _("Suspendre des lieux"),
            _("%(count)d lieu(x) suspendu(s)."),
        )

    @admin.action(description=_("Rétablir les lieux sélectionnés"), permissions=["change"])
    def reinstate(self, request, queryset):
        _run_service(
            self, request, queryset, services.reinstate_place, _("%(count)d lieu(x) rétabli(s).")
        )

    @admin.action(description=_("Retirer du réseau les lieux sélectionnés"), permissions=["change"])
    def withdraw(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.withdraw_place,
            _("%(count)d lieu(x) retiré(s) du réseau."),
        )


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdminMixin, TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = "place"
    list_display = ["place", "version", "signed_at", "signatory_title", "verification_code"]
    list_filter = ["version", "place__region"]
    search_fields = ["place__name", "verification_code", "signatory_name"]
    list_select_related = ["place", "version"]
    date_hierarchy = "signed_at"


class ReferenceListAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(Activity, ReferenceListAdmin)
admin.site.register(PublicServed, ReferenceListAdmin)


@admin.register(Invitation)
class InvitationAdmin(TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = "place"
    list_display = [
        "email",
        "place",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role", "place__region"]
    search_fields = ["email", "place__name"]
    list_select_related = ["place"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Team memberships (wiring: coordination × members) ------------------------------------------


class MembershipAdminForm(forms.ModelForm):
    """Refuses to demote the last representative of a place (the rule of services.change_role)."""

    class Meta:
        model = Membership
        fields = ["user", "place", "role"]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if (
            self.instance.pk
            and role
            and role != Membership.Role.REPRESENTATIVE
            and services.is_last_representative(self.instance)
        ):
            raise forms.ValidationError(
                _(
                    "Le lieu doit garder au moins un·e représentant·e : nommez-en un·e autre "
                    "d’abord."
                ),
                code="last_representative",
            )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = "place"
    form = MembershipAdminForm
    list_display = ["user", "place", "role", "created_at"]
    list_filter = ["role", "place__region"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "place__name"]
    list_select_related = ["user", "place"]
    raw_id_fields = ["user", "place"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a membership changes role; it never moves to another person or place
            return ["user", "place", "created_at"]
        return self.readonly_fields

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # One by one only: a bulk delete could remove every representative of a place at once.
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # From the database: after a refused form, ``obj`` holds the role that was typed.
        if obj is not None and services.is_last_representative(Membership.objects.get(pk=obj.pk)):
            return False
        return super().has_delete_permission(request, obj)

    @transaction.atomic
    def delete_model(self, request, obj):
        # Locked like services.remove_member: two deletions at once keep one representative.
        services.lock_team(obj.place)
        if services.is_last_representative(obj):
            raise PermissionDenied
        super().delete_model(request, obj)


from . import report_admin  # noqa: E402,F401
