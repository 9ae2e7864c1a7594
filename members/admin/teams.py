"""Accounts, teams and invitations in the coordinators' admin."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from members.models import Invitation, Membership, PlaceEvent, User
from members.services import teams as team_services
from members.territory import scope_queryset

from .mixins import (
    BigTableMixin,
    ReadOnlyInline,
    RelatedSearchMixin,
    SuperuserOnlyMixin,
    TerritorialScopeMixin,
)


def _memberships(user):
    """The team memberships of the places of ``user``'s territory (every one: national)."""
    return scope_queryset(user, Membership.objects.all(), "place")


@admin.register(User)
class UserAdmin(BigTableMixin, SuperuserOnlyMixin, BaseUserAdmin):
    """Accounts: superusers manage them; coordinators see, read-only, the accounts of their
    territory's places (and their own)."""

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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        in_territory = Exists(_memberships(request.user).filter(user=OuterRef("pk")))
        return queryset.filter(in_territory | Q(pk=request.user.pk))

    def list_count(self, request):
        # A coordinator's accounts are the team members of the territory's places and the
        # coordinator: counted from the memberships (one index read), where counting the
        # accounts tested each of 200,000 at 100,000 places. Superusers: the estimate.
        if request.user.is_superuser:
            return None
        memberships = _memberships(request.user)

        def count():
            outside = not memberships.filter(user=request.user).exists()
            return memberships.values("user").distinct().count() + outside

        return count

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404  # outside the territory (or missing): the same answer
        return obj


class MembershipInline(ReadOnlyInline):
    """The team, read-only: changes go through the membership admin, which keeps the rule
    "a place keeps at least one representative"."""

    model = Membership
    show_change_link = True
    fields = ["user", "user_email", "role", "created_at"]
    verbose_name_plural = _("équipe")

    @admin.display(description=_("adresse e-mail"))
    def user_email(self, membership):
        return membership.user.email if membership.user_id else ""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Invitation)
class InvitationAdmin(RelatedSearchMixin, BigTableMixin, TerritorialScopeMixin, admin.ModelAdmin):
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
    raw_id_fields = ["place", "invited_by", "accepted_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipAdminForm(forms.ModelForm):
    """Refuses to demote the last representative of a place (the rule of team_services.change_role)."""

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
            and team_services.is_last_representative(self.instance)
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
class MembershipAdmin(RelatedSearchMixin, BigTableMixin, TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = "place"
    form = MembershipAdminForm
    list_display = ["user", "place", "role", "created_at"]
    list_filter = ["role", "place__region"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "place__name"]
    list_select_related = ["user", "place"]
    raw_id_fields = ["user", "place"]
    # Newest first, from the index membership_created_idx (Meta.ordering sorts every
    # membership joined to its user).
    ordering = ["-created_at", "-pk"]
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
        if obj is not None and team_services.is_last_representative(
            Membership.objects.get(pk=obj.pk)
        ):
            return False
        return super().has_delete_permission(request, obj)

    @transaction.atomic
    def delete_model(self, request, obj):
        # Locked like team_services.remove_member: two deletions at once keep one representative.
        team_services.lock_team(obj.place)
        if team_services.is_last_representative(obj):
            raise PermissionDenied
        team_services.record_member_event(obj, PlaceEvent.Code.MEMBER_REMOVED, by=request.user)
        team_services.delete_membership(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            team_services.record_member_event(
                obj, PlaceEvent.Code.MEMBER_ADDED, by=request.user, role=obj.role
            )
        elif "role" in form.changed_data:
            team_services.role_changed(obj, form.initial["role"], by=request.user)
