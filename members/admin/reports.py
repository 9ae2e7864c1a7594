"""Reporting in the coordinators' admin: indicators, campaigns, the review of reports, extensions.

Every state change calls ``members.services.reports`` or ``members.services.extensions``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_pages import admin_page_context, admin_pages
from core.storage import private_file_response
from members.forms.reports import ReviewForm
from members.forms.threads import MessageForm
from members.models import (
    Answer,
    Evidence,
    Extension,
    Indicator,
    Message,
    Report,
    ReportingCampaign,
    ReportTally,
    ReportTransition,
    ThreadRead,
)
from members.services import extensions
from members.services import reports as report_services
from members.services import threads as thread_services
from members.territory import scope_queryset

from .mixins import (
    BigTableMixin,
    ReadOnlyInline,
    TerritorialScopeMixin,
    run_on_selected,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "key",
        "kind",
        "unit",
        "required",
        "group",
        "commitment_key",
        "position",
    ]
    list_filter = ["kind", "required", "group"]
    search_fields = ["key", "label", "label_en"]
    ordering = ["position", "key"]
    fieldsets = (
        (None, {"fields": ("key", "label", "label_en", "help_text", "help_text_en")}),
        (
            _("Saisie"),
            {"fields": ("kind", "unit", "unit_en", "min_value", "max_value", "required")},
        ),
        (_("Classement"), {"fields": ("group", "position", "commitment_key")}),
    )


@admin.register(ReportingCampaign)
class ReportingCampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "opens_on", "due_on", "grace_days", "report_count"]
    search_fields = ["name", "name_en"]
    filter_horizontal = ["indicators"]
    fieldsets = (
        (None, {"fields": ("name", "name_en", "year")}),
        (_("Calendrier"), {"fields": ("opens_on", "due_on", "grace_days")}),
        (_("Contenu"), {"fields": ("intro", "intro_en", "indicators")}),
    )

    def get_queryset(self, request):
        # Report counts limited to the coordinator's territory, summed from the summary rows
        # (members.tallies): counting a campaign's reports read 50,000 of them at 10,000 places.
        rows = scope_queryset(
            request.user, ReportTally.objects.filter(campaign=OuterRef("pk")), ""
        ).order_by()

        def total(**condition):
            summed = rows.filter(**condition).values("campaign").annotate(n=Sum("reports"))
            return Coalesce(Subquery(summed.values("n")[:1]), 0)

        return (
            super()
            .get_queryset(request)
            .annotate(num_reports=total(), num_sent=total(status__in=report_services.SENT))
        )

    @admin.display(description=_("bilans envoyés / commencés"))
    def report_count(self, obj):
        return f"{obj.num_sent} / {obj.num_reports}"

    def get_changeform_initial_data(self, request):
        """A new campaign asks every indicator by default."""
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("indicators", list(Indicator.objects.values_list("pk", flat=True)))
        return initial


class ReportTransitionInline(ReadOnlyInline):
    model = ReportTransition
    place_lookup = "report__place"
    parent_place_lookup = "place"
    fields = ["at", "from_status", "to_status", "by", "message"]
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Report)
class ReportAdmin(BigTableMixin, TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = "place"
    tally = (ReportTally, "reports")
    list_display = ["place", "campaign", "status", "region", "submitted_at", "updated_at", "review"]
    list_filter = ["status", "campaign", "place__region"]
    list_select_related = ["place", "campaign"]
    search_fields = ["place__name", "place__commune"]
    # 50,000 reports (BigTableMixin): no date hierarchy (a scan for its years).
    # Latest activity first, read from the index report_updated_idx (Meta.ordering sorts the
    # whole table joined to campaigns and places).
    ordering = ["-updated_at", "-pk"]
    raw_id_fields = ["place", "campaign", "version"]
    fields = [
        "place",
        "campaign",
        "version",
        "status",
        "publish",
        "revision",
        "created_at",
        "updated_at",
        "submitted_at",
        "approved_at",
    ]
    readonly_fields = fields
    inlines = [ReportTransitionInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("région"), ordering="place__region")
    def region(self, obj):
        return obj.place.region_name

    @admin.display(description=_("relecture"))
    def review(self, obj):
        url = reverse("admin:members_report_review", args=[obj.pk])
        label = _("Relire") if obj.status == Report.Status.SUBMITTED else _("Consulter")
        return format_html('<a href="{}">{}</a>', url, label)

    def get_urls(self):
        return [
            *admin_pages(
                self,
                ("<int:pk>/relecture/", self.review_view, "members_report_review"),
                (
                    "<int:pk>/relecture/engagements/<int:answer_pk>/",
                    self.message_view,
                    "members_report_message",
                ),
                (
                    "<int:pk>/relecture/engagements/<int:answer_pk>/messages/<int:message_pk>/",
                    self.message_file_view,
                    "members_report_message_file",
                ),
                (
                    "<int:pk>/relecture/preuves/<int:evidence_pk>/",
                    self.evidence_view,
                    "members_report_evidence",
                ),
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        """The whole report, commitment by commitment, a comment on each, and a decision.

        A constant number of queries whatever the number of commitments.
        """
        if not self.has_view_permission(request):
            raise Http404
        # Through the scoped get_queryset: a report outside the territory is a 404.
        report = get_object_or_404(
            self.get_queryset(request).select_related("place", "campaign", "version"), pk=pk
        )
        answers = report_services.report_answers(report)
        can_decide = report.status == Report.Status.SUBMITTED and self.has_change_permission(
            request, report
        )
        form = ReviewForm(request.POST or None, answers=answers)
        if request.method == "POST" and can_decide and form.is_valid():
            decide = (
                report_services.approve_report
                if form.cleaned_data["decision"] == ReviewForm.Decision.APPROVE
                else report_services.request_changes
            )
            try:
                decide(
                    report=report,
                    by=request.user,
                    message=form.cleaned_data["message"],
                    comments=form.comments(),
                )
            except report_services.ReportingError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _(
                        "Décision enregistrée : « %(status)s ». L’équipe du lieu est prévenue par e-mail."
                    )
                    % {"status": report.get_status_display()},
                    messages.SUCCESS,
                )
                return redirect("admin:members_report_changelist")
        values = {v.indicator_id: v for v in report.indicator_values.all()}
        indicators = [(i, values.get(i.pk)) for i in report.campaign.indicators.all()]
        threads = thread_services.threads_of(report)
        reads = dict(
            ThreadRead.objects.filter(user=request.user, answer__report=report).values_list(
                "answer", "last_read_id"
            )
        )
        thread_services.mark_many_read(user=request.user, threads=threads)
        review_url = reverse("admin:members_report_review", args=[report.pk])
        can_write = report.status in report_services.SENT and self.has_change_permission(
            request, report
        )
        rows = []
        section = None
        for answer in answers:
            new_section = (
                answer.commitment.section if answer.commitment.section != section else None
            )
            section = answer.commitment.section
            answer.rounds = thread_services.rounds(threads.get(answer.pk, []))
            answer.last_read = reads.get(answer.pk, 0)
            answer.thread_url = f"{review_url}engagements/{answer.pk}/"
            rows.append((new_section, answer, form.comment_field(answer)))
        context = admin_page_context(
            self,
            request,
            title=_("Relecture : %(report)s") % {"report": report},
            report=report,
            rows=rows,
            indicators=indicators,
            form=form,
            can_decide=can_decide,
            can_write=can_write,
            transitions=report.transitions.select_related("by").order_by("at", "pk"),
            original=report,
        )
        return TemplateResponse(request, "admin/members/report/review.html", context)

    def message_view(self, request, pk, answer_pk):
        """POST: a coordinator writes in one commitment's thread, outside a decision."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise Http404
        report = get_object_or_404(self.get_queryset(request).select_related("place"), pk=pk)
        answer = get_object_or_404(
            Answer.objects.select_related("report__place"), pk=answer_pk, report=report
        )
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                thread_services.post_message(
                    answer=answer, by=request.user, as_coordinator=True, **form.service_data()
                )
            except thread_services.ThreadError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Message ajouté à la conversation."), messages.SUCCESS)
        else:
            self.message_user(
                request,
                " ".join(form.errors.get("body", []) + form.errors.get("attachment", []))
                or _("Message non envoyé."),
                messages.ERROR,
            )
        url = reverse("admin:members_report_review", args=[report.pk])
        return redirect(f"{url}#engagement-{answer.commitment.key}")

    def message_file_view(self, request, pk, answer_pk, message_pk):
        if not self.has_view_permission(request):
            raise Http404
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        message = get_object_or_404(
            Message, pk=message_pk, answer_id=answer_pk, answer__report=report
        )
        if not message.file:
            raise Http404
        return private_file_response(message.file, as_attachment=True)

    def evidence_view(self, request, pk, evidence_pk):
        if not self.has_view_permission(request):
            raise Http404
        report = get_object_or_404(self.get_queryset(request), pk=pk)
        evidence = get_object_or_404(Evidence, pk=evidence_pk, answer__report=report)
        return private_file_response(evidence.file, as_attachment=True)


class ExtensionActionForm(ActionForm):
    due_on = forms.DateField(
        label=_("Nouvelle date limite (pour « accorder »)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@admin.register(Extension)
class ExtensionAdmin(TerritorialScopeMixin, admin.ModelAdmin):
    place_lookup = "place"
    list_display = ["place", "campaign", "status", "requested_at", "requested_by", "due_on"]
    list_filter = ["status", "campaign", "place__region"]
    list_select_related = ["place", "campaign", "requested_by"]
    raw_id_fields = ["place", "campaign", "requested_by", "decided_by"]
    search_fields = ["place__name"]
    fields = [
        "place",
        "campaign",
        "reason",
        "requested_by",
        "requested_at",
        "status",
        "due_on",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    action_form = ExtensionActionForm
    actions = ["grant", "refuse"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Accorder le report jusqu’à la date indiquée"), permissions=["change"]
    )
    def grant(self, request, queryset):
        try:
            due_on = ExtensionActionForm.base_fields["due_on"].clean(request.POST.get("due_on"))
        except forms.ValidationError:
            due_on = None
        if due_on is None:
            self.message_user(request, _("Indiquez la nouvelle date limite."), messages.ERROR)
            return
        self._decide(request, queryset, extensions.grant_extension, due_on=due_on)

    @admin.action(description=_("Refuser le report"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, extensions.refuse_extension)

    def _decide(self, request, queryset, service, **kwargs):
        run_on_selected(
            self,
            request,
            queryset.select_related("place", "campaign"),
            lambda extension, **kw: service(extension=extension, **kw),
            _("%(count)d demande(s) traitée(s)."),
            label=lambda extension: str(extension.place),
            **kwargs,
        )
