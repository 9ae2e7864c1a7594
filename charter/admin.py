"""The coordinators' charter admin: drafts are edited inline; published versions are read-only.

Drafting and publishing go through charter.services; nothing here sets a status.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.admin_pages import admin_page_context, admin_pages

from . import services
from .diff import diff_versions
from .forms import PublishForm
from .models import CanonicalText, CharterVersion, Commitment, Section


class DraftOnlyInline:
    """Inline rows can be added, changed or deleted only while the version is a draft."""

    def _editable(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class SectionInline(DraftOnlyInline, admin.StackedInline):
    """The section's authoritative text (fingerprinted) above its aids (not fingerprinted)."""

    model = Section
    extra = 0
    fieldsets = [
        (None, {"fields": [("position", "kind")]}),
        (
            _("Texte faisant foi (signé, dans l’empreinte)"),
            {"fields": ["heading", "intro", "bullets"]},
        ),
        (
            _("Aides à la lecture (hors empreinte)"),
            {"fields": [("title", "title_en"), "heading_en", "intro_en", "bullets_en"]},
        ),
    ]
    ordering = ["position", "pk"]


class CommitmentInline(DraftOnlyInline, admin.StackedInline):
    """A commitment: the passage it quotes (fingerprinted), then its aids."""

    model = Commitment
    extra = 0
    fieldsets = [
        (None, {"fields": [("section", "position", "key")]}),
        (_("Passage cité (signé, dans l’empreinte)"), {"fields": ["text", "quote_check"]}),
        (
            _("Aides à la lecture (hors empreinte)"),
            {"fields": [("title", "title_en"), "text_en", ("guidance", "guidance_en")]},
        ),
    ]
    readonly_fields = ["quote_check"]
    ordering = ["section__position", "position", "pk"]

    @admin.display(description=_("vérification du passage"))
    def quote_check(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.quote_found():
            return _("Figure mot pour mot dans le texte de sa partie.")
        return _("Ne figure pas mot pour mot dans le texte de sa partie : à corriger.")

    def get_formset(self, request, obj=None, **kwargs):
        self._parent = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            parent = getattr(self, "_parent", None)
            kwargs["queryset"] = (
                Section.objects.filter(version=parent) if parent else Section.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


class CharterVersionForm(forms.ModelForm):
    class Meta:
        model = CharterVersion
        fields = [
            "number",
            "title",
            "preamble",
            "title_en",
            "preamble_en",
            "change_summary",
            "change_summary_en",
        ]


class CanonicalTextInline(admin.TabularInline):
    """The exact bytes each fingerprint of the version hashed: read only, never deleted."""

    model = CanonicalText
    extra = 0
    fields = ["fingerprint", "recorded_at", "replaced_at", "replaced_because", "download"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fichier haché"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Télécharger"))


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    form = CharterVersionForm
    change_form_template = "charter/admin/change_form.html"
    list_display = [
        "number",
        "title",
        "status",
        "published_at",
        "requires_resigning",
        "commitment_count",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "requires_resigning"]
    search_fields = ["title", "title_en", "change_summary"]
    list_select_related = ["published_by"]
    actions = ["new_draft_action", "publish_action"]
    inlines = [SectionInline, CommitmentInline, CanonicalTextInline]
    fieldsets = [
        (
            _("Texte faisant foi (signé, dans l’empreinte)"),
            {"fields": ["number", "title", "preamble"]},
        ),
        (
            _("Traduction (aide à la lecture, hors empreinte)"),
            {"fields": ["title_en", "preamble_en"]},
        ),
        (_("Changements"), {"fields": [("change_summary", "change_summary_en")]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    ("published_at", "published_by"),
                    ("requires_resigning", "grace_period_days"),
                    "fingerprint",
                    "superseded_at",
                    "created_at",
                ]
            },
        ),
    ]
    readonly_fields = [
        "status",
        "published_at",
        "published_by",
        "requires_resigning",
        "grace_period_days",
        "fingerprint",
        "superseded_at",
        "created_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(commitment_total=Count("commitments"))

    @admin.display(description=_("engagements"), ordering="commitment_total")
    def commitment_count(self, obj):
        return obj.commitment_total

    def get_inlines(self, request, obj):
        if obj is None or obj.is_draft:  # a draft has no fingerprint yet
            return [SectionInline, CommitmentInline]
        return self.inlines

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # the number is given when the draft is created
            return ["number", *self.readonly_fields]
        return self.readonly_fields

    # Published and superseded versions are shown read-only, and never deleted.
    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    # --- Drafting and publishing (through charter.services) ---------------------------------

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            *admin_pages(
                self,
                ("<int:object_id>/nouveau-brouillon/", self.new_draft_view, f"{info}_new_draft"),
                ("<int:object_id>/publier/", self.publish_view, f"{info}_publish"),
            ),
            *super().get_urls(),
        ]

    def _change_url(self, version):
        return reverse("admin:charter_charterversion_change", args=[version.pk])

    def _check_can_add(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied

    def _new_draft(self, request, version):
        draft = services.create_draft_from(version=version, by=request.user)
        self.message_user(
            request,
            _("Brouillon de la version %(number)s créé à partir de la version %(source)s.")
            % {"number": draft.number, "source": version.number},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(draft))

    def new_draft_view(self, request, object_id):
        if request.method != "POST":
            return require_POST(lambda r: None)(request)  # 405 with the Allow header
        self._check_can_add(request)
        version = get_object_or_404(CharterVersion, pk=object_id)
        return self._new_draft(request, version)

    @admin.action(description=_("Nouveau brouillon à partir de cette version"))
    def new_draft_action(self, request, queryset):
        self._check_can_add(request)
        if queryset.count() != 1:
            self.message_user(request, _("Choisissez une seule version à copier."), messages.ERROR)
            return None
        return self._new_draft(request, queryset.get())

    @admin.action(description=_("Publier"))
    def publish_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choisissez un seul brouillon à publier."), messages.ERROR)
            return None
        version = queryset.get()
        return HttpResponseRedirect(
            reverse("admin:charter_charterversion_publish", args=[version.pk])
        )

    def publish_view(self, request, object_id):
        """Confirmation page: the diff against the current version, then the decision."""
        version = get_object_or_404(CharterVersion, pk=object_id)
        if not super().has_change_permission(request, version):
            raise PermissionDenied
        problems = services.publication_problems(version)
        if problems:
            for problem in problems:
                self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(self._change_url(version))

        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.publish_version(
                    version=version,
                    by=request.user,
                    requires_resigning=form.cleaned_data["requires_resigning"],
                    grace_period_days=form.cleaned_data["grace_period_days"],
                )
            except services.CharterError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(self._change_url(version))
            self.message_user(
                request,
                _("La version %(number)s est publiée : c’est désormais la charte en vigueur.")
                % {"number": version.number},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(version))

        current = CharterVersion.objects.current()
        context = admin_page_context(
            self,
            request,
            title=_("Publier la version %(number)s") % {"number": version.number},
            version=version,
            current=current,
            diff=diff_versions(current, version) if current else None,
            warnings=services.publication_warnings(version),
            form=form,
        )
        return TemplateResponse(request, "charter/admin/publish_confirm.html", context)
