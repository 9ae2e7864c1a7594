"""Places in the coordinators' admin: the list with its coordination filters, status actions,
signatures and the reference lists."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_pages import admin_page_context, admin_pages
from core.storage import private_file_response
from members.forms.places import ReasonForm
from members.models import (
    Activity,
    Membership,
    Place,
    PlaceTally,
    PlaceTransition,
    PublicServed,
    ReportingCampaign,
    ReportingStatus,
    Signature,
)
from members.models.signatures import NEVER_SIGNED
from members.services import places as place_services
from members.stats import REPORTING_PARAM, SIGNATURE_PARAM, WITHOUT_REPRESENTATIVE_PARAM
from members.territory import is_national
from members.views.history import history_page

from .coordination import remind_action
from .imports import PlaceImportMixin
from .mixins import (
    BigTableMixin,
    DepartementListFilter,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    RegionListFilter,
    RelatedSearchMixin,
    TerritorialScopeMixin,
    run_on_selected,
)
from .teams import MembershipInline

# --- List filters (the dashboard links to them) ----------------------------------------------


class WithoutRepresentativeFilter(admin.SimpleListFilter):
    title = _("représentant·e")
    parameter_name = WITHOUT_REPRESENTATIVE_PARAM

    def lookups(self, request, model_admin):
        return [("1", _("Lieux sans représentant·e"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            representative = Membership.objects.filter(
                place=OuterRef("pk"), role=Membership.Role.REPRESENTATIVE
            )
            return queryset.filter(
                ~Exists(representative),
                status__in=[Place.Status.APPLICANT, Place.Status.MEMBER],
            )
        return queryset


class SignatureStateFilter(admin.SimpleListFilter):
    """Member places by the state of their latest signature."""

    title = _("signature")
    parameter_name = SIGNATURE_PARAM

    def lookups(self, request, model_admin):
        return [
            (Signature.State.CURRENT.value, Signature.State.CURRENT.label),
            (Signature.State.AWAITING.value, Signature.State.AWAITING.label),
            (Signature.State.LAPSED.value, Signature.State.LAPSED.label),
            (NEVER_SIGNED, _("Jamais signé")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in {value for value, _label in self.lookup_choices}:
            return queryset
        return (
            queryset.filter(status=Place.Status.MEMBER)
            .with_signature_state()
            .filter(signature_state=self.value())
        )


class ReportingStatusFilter(admin.SimpleListFilter):
    """Member places by their situation in the campaign in progress."""

    title = _("bilan de la campagne en cours")
    parameter_name = REPORTING_PARAM

    def lookups(self, request, model_admin):
        return ReportingStatus.choices

    def queryset(self, request, queryset):
        campaign = ReportingCampaign.objects.current()
        if not self.value() or campaign is None or self.value() not in ReportingStatus.values:
            return queryset
        return (
            queryset.filter(status=Place.Status.MEMBER)
            .with_reporting_status(campaign)
            .filter(reporting_status=self.value())
        )


class SignatureInline(ReadOnlyInline):
    model = Signature
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")  # str(version) per row

    fields = [
        "version",
        "signed_at",
        "signatory_name",
        "signatory_title",
        "board_decision_date",
        "verification_code",
    ]


class PlaceTransitionInline(ReadOnlyInline):
    model = PlaceTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]
    verbose_name_plural = _("historique des statuts")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")  # str(by) per row


def _transition(service):
    """A place service as ``run_on_selected`` calls it."""
    return lambda place, **kwargs: service(place=place, **kwargs)


def _action_with_reason(modeladmin, request, queryset, service, title, done_message):
    """An intermediate page asks for the reason, then runs the service on each place."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_on_selected(
            modeladmin,
            request,
            queryset,
            _transition(service),
            done_message,
            reason=form.cleaned_data["reason"],
        )
        return None
    context = admin_page_context(
        modeladmin,
        request,
        title=title,
        places=queryset,
        form=form,
        action=request.POST.get("action"),
        action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
    )
    return TemplateResponse(request, "admin/members/place/action_reason.html", context)


@admin.register(Place)
class PlaceAdmin(BigTableMixin, PlaceImportMixin, TerritorialScopeMixin, SimpleHistoryAdmin):
    """Places, limited to the coordinator's territory; the profile's edit history (simple-history),
    the coordination filters the dashboard links to, and the import of places (``imports``)."""

    place_lookup = ""
    tally = (PlaceTally, "places")
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
    # 10,000 places (BigTableMixin): no date hierarchy (a scan of created_at for its years).
    readonly_fields = [
        "status",
        "status_changed_at",
        "approved_at",
        "created_at",
        "departement",
        "region",
        "events_link",
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
        (
            _("Statut"),
            {
                "fields": (
                    "status",
                    "created_at",
                    "status_changed_at",
                    "approved_at",
                    "events_link",
                )
            },
        ),
    )

    @admin.display(description=_("historique du lieu"))
    def events_link(self, place):
        if place.pk is None:
            return "–"
        url = reverse("admin:members_place_events", args=[place.pk])
        return format_html(
            '<a href="{}">{}</a>', url, _("Lire tout l’historique du lieu (événements)")
        )

    def get_urls(self):
        return [
            *admin_pages(
                self, ("<path:object_id>/evenements/", self.events_view, "members_place_events")
            ),
            *super().get_urls(),
        ]

    def events_view(self, request, object_id):
        """The place's history as its team reads it, with names and addresses: for the
        coordinators whose territory holds the place (404 otherwise)."""
        place = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, place):
            raise Http404
        context = admin_page_context(
            self,
            request,
            title=_("Historique de %(place)s") % {"place": place.name},
            original=place,
            place=place,
            page=history_page(request, place, show_addresses=True, coordinator=True),
        )
        return TemplateResponse(request, "admin/members/place/events.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            place_services.record_profile_edit(place=obj, by=request.user, form=form)

    def get_ordering(self, request):
        # A search reads its matches from the trigram indexes (migration 0026), then sorts
        # them. Sorted by the plain name, PostgreSQL walks the name index of every place
        # instead, testing each one (10,000 rows read for 50 at 100,000 places: 45 → 5 ms).
        if request.GET.get(SEARCH_VAR):
            return [Lower("name"), "pk"]
        return super().get_ordering(request)

    @admin.display(description=_("région"), ordering="region")
    def region_label(self, place):
        return place.region_name

    def has_add_permission(self, request):
        # The plain form puts a place anywhere, outside the registration's services: national
        # coordinators only. Territorial ones add places through the import, line by line
        # within their territory.
        return super().has_add_permission(request) and is_national(request.user)

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
        run_on_selected(
            self,
            request,
            queryset,
            _transition(place_services.approve_place),
            _("%(count)d lieu(x) validé(s)."),
        )

    @admin.action(
        description=_("Refuser l’inscription des lieux sélectionnés…"), permissions=["change"]
    )
    def reject(self, request, queryset):
        return _action_with_reason(
            self,
            request,
            queryset,
            place_services.reject_place,
            _("Refuser l’inscription"),
            _("%(count)d inscription(s) refusée(s)."),
        )

    @admin.action(description=_("Suspendre les lieux sélectionnés…"), permissions=["change"])
    def suspend(self, request, queryset):
        return _action_with_reason(
            self,
            request,
            queryset,
            place_services.suspend_place,
            _("Suspendre des lieux"),
            _("%(count)d lieu(x) suspendu(s)."),
        )

    @admin.action(description=_("Rétablir les lieux sélectionnés"), permissions=["change"])
    def reinstate(self, request, queryset):
        run_on_selected(
            self,
            request,
            queryset,
            _transition(place_services.reinstate_place),
            _("%(count)d lieu(x) rétabli(s)."),
        )

    @admin.action(description=_("Retirer du réseau les lieux sélectionnés"), permissions=["change"])
    def withdraw(self, request, queryset):
        run_on_selected(
            self,
            request,
            queryset,
            _transition(place_services.withdraw_place),
            _("%(count)d lieu(x) retiré(s) du réseau."),
        )


@admin.register(Signature)
class SignatureAdmin(
    RelatedSearchMixin, BigTableMixin, ReadOnlyAdminMixin, TerritorialScopeMixin, admin.ModelAdmin
):
    place_lookup = "place"
    list_display = ["place", "version", "signed_at", "signatory_title", "verification_code"]
    list_filter = ["version", "place__region"]
    search_fields = ["place__name", "verification_code", "signatory_name"]
    list_select_related = ["place", "version"]
    raw_id_fields = ["place", "version", "signed_by"]
    # The minutes are a private file: a link to the checked view below, never a media URL.
    exclude = ["minutes"]
    readonly_fields = ["minutes_link"]

    @admin.display(description=_("procès-verbal"))
    def minutes_link(self, obj):
        if not obj.minutes:
            return "–"
        url = reverse("admin:members_signature_minutes", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le procès-verbal (PDF)"))

    def get_urls(self):
        return [
            *admin_pages(
                self, ("<int:pk>/proces-verbal/", self.minutes_view, "members_signature_minutes")
            ),
            *super().get_urls(),
        ]

    def minutes_view(self, request, pk):
        """The board minutes, for coordinators whose territory holds the place (404 otherwise)."""
        if not self.has_view_permission(request):
            raise Http404
        signature = get_object_or_404(self.get_queryset(request), pk=pk)
        filename = f"proces-verbal-{signature.place.slug}-v{signature.version.number}.pdf"
        return private_file_response(signature.minutes, filename=filename)


class ReferenceListAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(Activity, ReferenceListAdmin)
admin.site.register(PublicServed, ReferenceListAdmin)
