"""Coordination in the admin: territories, reminders by hand, the log of reminders, the edit
history of place profiles."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import geography
from members.models import CoordinatorScope, Place, ReminderLog
from members.services.reminders import (
    ReminderError,
    ReminderLimitError,
    send_manual_reminder,
    suggested_kind,
)

from .mixins import (
    BigTableMixin,
    ReadOnlyAdminMixin,
    SuperuserOnlyMixin,
    TerritorialScopeMixin,
)

# --- Reminders by hand ------------------------------------------------------------------------


def _remind(modeladmin, request, queryset, kind=None):
    """Send each selected place (already limited to the territory) its reminder."""
    sent = skipped = limited = 0
    for place in queryset:
        chosen = kind or suggested_kind(place)
        if chosen is None:
            skipped += 1
            continue
        try:
            send_manual_reminder(place=place, kind=chosen, by=request.user)
        except ReminderLimitError:
            limited += 1
        except ReminderError:
            skipped += 1
        else:
            sent += 1
    if sent:
        modeladmin.message_user(
            request,
            ngettext("%(n)d lieu relancé.", "%(n)d lieux relancés.", sent) % {"n": sent},
            messages.SUCCESS,
        )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)d lieu sans relance à faire (rien en attente ou personne à qui écrire).",
                "%(n)d lieux sans relance à faire (rien en attente ou personne à qui écrire).",
                skipped,
            )
            % {"n": skipped},
            messages.WARNING,
        )
    if limited:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)d lieu déjà relancé aujourd’hui : une relance par jour au plus, "
                "réessayez demain.",
                "%(n)d lieux déjà relancés aujourd’hui : une relance par jour au plus, "
                "réessayez demain.",
                limited,
            )
            % {"n": limited},
            messages.WARNING,
        )


@admin.action(description=_("Relancer les lieux sélectionnés (rappel adapté à leur situation)"))
def remind_action(modeladmin, request, queryset):
    _remind(modeladmin, request, queryset)


# --- Admins -----------------------------------------------------------------------------------


class CoordinatorScopeForm(forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label=_("Régions"),
        choices=sorted(geography.REGIONS.items(), key=lambda item: item[1]),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    departements = forms.MultipleChoiceField(
        label=_("Départements"),
        choices=geography.DEPARTEMENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("En plus des régions cochées : les lieux de ces départements."),
    )

    class Meta:
        model = CoordinatorScope
        fields = ["user", "regions", "departements"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("regions") and not cleaned.get("departements"):
            raise forms.ValidationError(_("Cochez au moins une région ou un département."))
        return cleaned


@admin.register(CoordinatorScope)
class CoordinatorScopeAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """Territories are given by superusers only; coordinators may read them."""

    form = CoordinatorScopeForm
    list_display = ["user", "region_names", "departement_codes"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    @admin.display(description=_("régions"))
    def region_names(self, obj):
        return ", ".join(geography.region_name(code) for code in obj.regions)

    @admin.display(description=_("départements"))
    def departement_codes(self, obj):
        return ", ".join(obj.departements)


@admin.register(ReminderLog)
class ReminderLogAdmin(BigTableMixin, ReadOnlyAdminMixin, TerritorialScopeMixin, admin.ModelAdmin):
    """Reminders sent, read-only: the log is append-only (members/triggers.py)."""

    place_lookup = "place"
    list_display = ["sent_on", "kind", "place", "campaign", "version", "recipients", "sent_by"]
    list_filter = ["kind", "is_automatic", "sent_on", "campaign", "place__region"]
    search_fields = ["place__name", "recipients"]
    list_select_related = ["place", "campaign", "version", "sent_by"]
    raw_id_fields = ["place", "campaign", "version", "invitation", "sent_by"]
    # One row per reminder sent, tens of thousands in a few years (BigTableMixin): no date
    # hierarchy (its years are a scan; the "sent_on" filter remains).


@admin.register(Place.history.model)
class PlaceHistoryAdmin(BigTableMixin, ReadOnlyAdminMixin, TerritorialScopeMixin, admin.ModelAdmin):
    """Every edit of a place profile (django-simple-history), newest first, read-only."""

    place_lookup = ""  # a historical row carries the place's région and département
    list_display = ["history_date", "name", "history_type", "history_user", "history_change_reason"]
    list_filter = ["history_type", "region"]
    search_fields = ["name", "history_user__email"]
    list_select_related = ["history_user"]
    raw_id_fields = ["history_user"]
    # One row per edit of a place (BigTableMixin): no date hierarchy (a scan for its years).
