"""A place's reports on its commitments: /espace/<slug>/bilans/…

Every view fetches the place through ``get_membership_for_user`` (outsiders 404, too-low
role 403) and the report through the place, never by a bare id. Writes go through
``members.reporting``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.i18n import translated
from core.markdown import render_markdown
from core.storage import private_file_response
from members.access import (
    get_evidence_for_user,
    get_membership_for_user,
    get_report_for_user,
    role_at_least,
)
from members.documents import general_assembly_odt
from members.forms.assignments import AssignmentForm
from members.forms.reports import (
    AnswerForm,
    ExtensionForm,
    IndicatorsForm,
    PublicationForm,
)
from members.forms.surveys import SurveyQuestionsForm
from members.models import (
    Evidence,
    Membership,
    Place,
    Report,
    ReportingCampaign,
    ReportingStatus,
    Survey,
)
from members.services import assignments as assignment_services
from members.services import extensions as extension_services
from members.services import reports as report_services
from members.services import surveys as survey_services
from members.services import threads as thread_services

Role = Membership.Role
# Templates compare statuses by member: {% if report.status == Status.SUBMITTED %}.
STATUSES = {"Status": Report.Status, "ReportingStatus": ReportingStatus}


def _report_context(report):
    """What every page of a report gives its template first: the place, the report, its
    campaign and the statuses to compare with."""
    return {"place": report.place, "report": report, **STATUSES, "campaign": report.campaign}


def _can_edit(membership, report):
    return role_at_least(membership.role, Role.EDITOR) and report.status in report_services.EDITABLE


def _sections_progress(report):
    """The report's sections with answered/total counts: two queries."""
    counts = {
        row["commitment__section_id"]: row
        for row in report.answers.values("commitment__section_id").annotate(
            total=Count("pk"), answered=Count("pk", filter=report_services.ANSWERED)
        )
    }
    sections = list(report.version.sections.order_by("position", "pk"))
    for section in sections:
        row = counts.get(section.pk, {"total": 0, "answered": 0})
        section.total, section.answered = row["total"], row["answered"]
    return [s for s in sections if s.total]


def _who_holds_what(user, report, sections):
    """Each section's answers with their holder and unread messages: two queries."""
    unread = thread_services.unread_by_answer(user, report)
    by_section = {section.pk: section for section in sections}
    for section in sections:
        section.answers, section.unread = [], 0
    answers = report.answers.select_related("commitment", "assignment__assignee").order_by(
        "commitment__position", "pk"
    )
    for answer in answers:
        section = by_section.get(answer.commitment.section_id)
        if section is None:
            continue
        answer.unread = unread.get(answer.pk, 0)
        section.unread += answer.unread
        section.answers.append(answer)


def _progress_context(sections):
    answered = sum(s.answered for s in sections)
    total = sum(s.total for s in sections)
    return {"answered": answered, "total": total}


def _report_body(report):
    """Everything the read-only views show: answers by section, indicators, history."""
    answers = report_services.report_answers(report)
    by_section = {}
    for answer in answers:
        by_section.setdefault(answer.commitment.section, []).append(answer)
    values = {v.indicator_id: v.value for v in report.indicator_values.all()}
    groups = {}
    for indicator in report.campaign.indicators.all():
        legend = (
            report_services.INDICATOR_GROUPS.get(indicator.group)
            or indicator.group
            or _("Autres indicateurs")
        )
        groups.setdefault(str(legend), []).append((indicator, values.get(indicator.pk)))
    return {
        "sections": list(by_section.items()),
        "indicator_groups": list(groups.items()),
        "answered": sum(1 for a in answers if a.level and not a.carried_over),
        "total": len(answers),
    }


def _transitions(report):
    return report.transitions.select_related("by").order_by("at", "pk")


# --- The campaigns of a place -------------------------------------------------------------


@login_required
@require_GET
def report_list(request, slug):
    membership = get_membership_for_user(request, slug)
    place = membership.place
    campaigns = report_services.campaigns_for_place(place)
    can_report = bool(place.status == Place.Status.MEMBER and report_services.signed_version(place))
    can_write = role_at_least(membership.role, Role.EDITOR)
    is_representative = membership.role == Role.REPRESENTATIVE
    for campaign in campaigns:
        is_open = campaign.phase == report_services.Phase.OPEN
        unsent = not campaign.report or campaign.report.status == Report.Status.DRAFT
        campaign.intro_text = translated(campaign, "intro")
        campaign.can_start = can_report and can_write and is_open and not campaign.report
        campaign.can_request_extension = (
            is_representative and is_open and unsent and not campaign.has_pending_extension
        )
    return render(
        request,
        "members/reports/list.html",
        {
            "place": place,
            "membership": membership,
            "campaigns": campaigns,
            "can_report": can_report,
            "Phase": report_services.Phase,
        },
    )


@login_required
@require_POST
def report_start(request, slug, year):
    place = get_membership_for_user(request, slug, Role.EDITOR).place
    campaign = get_object_or_404(ReportingCampaign, year=year)
    try:
        report = report_services.create_report(place=place, campaign=campaign, by=request.user)
    except report_services.ReportingError as error:
        messages.error(request, str(error))
        return redirect("members:report_list", slug)
    messages.success(request, _("Votre bilan est commencé. Il est enregistré comme brouillon."))
    first = report.version.sections.order_by("position", "pk").first()
    return redirect("members:report_section", slug, year, first.position)


# --- One report ---------------------------------------------------------------------------


@login_required
@require_GET
def report_detail(request, slug, year):
    membership, report = get_report_for_user(request, slug, year)
    sections = _sections_progress(report)
    _who_holds_what(request.user, report, sections)
    can_write = role_at_least(membership.role, Role.EDITOR)
    today = timezone.localdate()
    due_on = report_services.effective_due_on(report.campaign, report.place)
    return render(
        request,
        "members/reports/detail.html",
        {
            **_report_context(report),
            "sections": sections,
            **_progress_context(sections),
            "can_edit": _can_edit(membership, report),
            "can_write": can_write,
            "is_representative": membership.role == Role.REPRESENTATIVE,
            "transitions": _transitions(report),
            "due_on": due_on,
            "unread": sum(s.unread for s in sections),
            "assign_form": AssignmentForm(writers=assignment_services.writers(report.place))
            if _can_edit(membership, report)
            else None,
            "status": report_services.reporting_status(
                report.campaign, report.status, due_on, today
            ),
            "publication_form": PublicationForm(instance=report),
            "surveys": Survey.objects.for_campaign(report.campaign).order_by("name", "pk"),
        },
    )


def _section_forms(report, section, data=None, files=None):
    answers = list(
        report.answers.filter(commitment__section=section)
        .select_related("commitment__section", "updated_by")
        # Each answer's evidence in the order added: not Evidence.Meta.ordering, whose joins
        # up to the campaign and the place cost more to plan than the rows.
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("commitment__position", "pk")
    )
    return [
        AnswerForm(
            data,
            files,
            instance=answer,
            evidence=answer.evidence.all(),
            prefix=f"a{answer.pk}",
        )
        for answer in answers
    ]


def _save_draft(request, report, autosave, **changes):
    """Save part of the draft through the service, for the section and indicator pages.

    (True, None) when saved; (False, conflict) when someone saved the same answers since the
    page was loaded (the rest is saved; the page shows both versions); (False, None) when the
    service refused. An autosave reports in JSON instead of messages.
    """
    try:
        report_services.save_answers(report=report, by=request.user, **changes)
    except report_services.ReportConflict as conflict:
        if not autosave:
            messages.error(request, str(conflict))
        return False, conflict
    except report_services.ReportingError as error:
        if not autosave:
            messages.error(request, str(error))
        return False, None
    return True, None


@login_required
@require_http_methods(["GET", "POST"])
def report_section(request, slug, year, position):
    membership, report = get_report_for_user(request, slug, year, Role.EDITOR)
    autosave = request.method == "POST" and "autosave" in request.POST
    if report.status not in report_services.EDITABLE:
        return _read_only(request, autosave, slug, year)
    section = get_object_or_404(report.version.sections, position=position)
    conflict = None
    if request.method == "POST":
        forms = _section_forms(report, section, request.POST, request.FILES)
        if all(form.is_valid() for form in forms):
            answers = {form.instance.pk: form.service_data() for form in forms}
            saved, conflict = _save_draft(request, report, autosave, answers=answers)
            if autosave:
                return _autosaved(report, saved, conflict, forms)
            if saved:
                messages.success(
                    request,
                    _("« %(section)s » est enregistrée.") % {"section": section.t_title()},
                )
                return redirect(_next_url(request, report, section))
            if conflict is None:
                return redirect("members:report_detail", slug, year)
            # What the others saved is on the page now: saving again keeps what is typed.
            forms = _section_forms(
                report, section, _take_over(request.POST, conflict), request.FILES
            )
            for form in forms:
                form.is_valid()
        elif autosave:
            return _autosaved(report, False, None, forms)
        else:
            messages.error(
                request,
                _(
                    "Certaines réponses contiennent des erreurs, signalées ci-dessous. Rien n’a "
                    "été enregistré ; vos saisies sont conservées (un fichier joint doit être "
                    "choisi à nouveau)."
                ),
            )
    else:
        forms = _section_forms(report, section)
    sections = _sections_progress(report)
    changes = {c.answer.pk: c for c in conflict.changes} if conflict else {}
    requests = thread_services.coordination_requests(report)
    unread = thread_services.unread_by_answer(request.user, report)
    for form in forms:
        form.change = changes.get(form.instance.pk)
        form.requests = requests.get(form.instance.pk, [])
        form.unread = unread.get(form.instance.pk, 0)
    index = [s.pk for s in sections].index(section.pk) if section in sections else 0
    return render(
        request,
        "members/reports/section.html",
        {
            **_report_context(report),
            "section": section,
            "sections": sections,
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            **_progress_context(sections),
            "forms": forms,
            "conflict": conflict,
        },
    )


def _read_only(request, autosave, slug, year):
    message = _("Ce bilan a été envoyé : il est en lecture seule.")
    if autosave:
        return JsonResponse({"saved": False, "message": str(message)}, status=409)
    messages.info(request, message)
    return redirect("members:report_detail", slug, year)


def _take_over(data, conflict):
    """The posted data, with the conflicting answers' revisions moved to what is stored now:
    the next save of this page writes what the person keeps, knowingly."""
    data = data.copy()
    for change in conflict.changes:
        data[f"a{change.answer.pk}-revision"] = str(change.answer.revision)
    return data


def _saved_at():
    now = timezone.localtime()
    return _("%(hour)s h %(minute)s") % {"hour": now.hour, "minute": f"{now.minute:02d}"}


def _autosaved(report, saved, conflict, forms):
    """The answer to the page's autosave script: what happened, and the revisions to post next."""
    answers = {
        form.prefix: form.instance.pk for form in forms if form.is_bound and form.instance.pk
    }
    revisions = dict(report.answers.filter(pk__in=answers.values()).values_list("pk", "revision"))
    payload = {
        "saved": saved,
        "time": _saved_at() if saved else "",
        "revisions": {prefix: revisions.get(pk) for prefix, pk in answers.items()},
        "conflicts": [f"a{change.answer.pk}" for change in conflict.changes] if conflict else [],
        "message": str(conflict) if conflict else "",
    }
    if not saved and conflict is None:
        payload["message"] = str(
            _("Modifications non enregistrées : corrigez les erreurs puis enregistrez.")
        )
        payload["errors"] = {f.prefix: f.errors.get_json_data() for f in forms if f.errors}
        return JsonResponse(payload, status=400)
    return JsonResponse(payload, status=200 if saved else 409)


def _next_url(request, report, section):
    slug, year = report.place.slug, report.campaign.year
    if request.POST.get("then") == "next":
        following = (
            report.version.sections.filter(position__gt=section.position)
            .order_by("position", "pk")
            .first()
        )
        if following:
            return reverse("members:report_section", args=[slug, year, following.position])
        return reverse("members:report_indicators", args=[slug, year])
    return reverse("members:report_section", args=[slug, year, section.position])


@login_required
@require_http_methods(["GET", "POST"])
def report_indicators(request, slug, year):
    """The campaign's indicators, then the questions of the external surveys the campaign
    feeds (``surveys.asked_fields``): both forms valid or nothing saved."""
    membership, report = get_report_for_user(request, slug, year, Role.EDITOR)
    autosave = request.method == "POST" and "autosave" in request.POST
    if report.status not in report_services.EDITABLE:
        return _read_only(request, autosave, slug, year)
    indicators = list(report.campaign.indicators.all())
    values = {v.indicator_id: v.value for v in report.indicator_values.all()}
    questions = survey_services.asked_fields(report.campaign)
    answers = survey_services.answers_of(report) if questions else {}
    conflict = None
    if request.method == "POST":
        form = IndicatorsForm(request.POST, indicators=indicators, values=values)
        survey_form = SurveyQuestionsForm(request.POST, questions=questions, answers=answers)
        if form.is_valid() and survey_form.is_valid():
            saved, conflict = _save_draft(
                request,
                report,
                autosave,
                indicators=form.service_data(),
                indicators_loaded=form.loaded_values(),
            )
            if saved or conflict is not None:
                saved = _save_survey_answers(request, report, autosave, survey_form) and saved
            if autosave:
                return _autosaved(report, saved, conflict, [])
            if saved:
                messages.success(request, _("Les indicateurs sont enregistrés."))
                if request.POST.get("then") == "next":
                    return redirect("members:report_preview", slug, year)
                return redirect("members:report_indicators", slug, year)
            if conflict is None:
                return redirect("members:report_detail", slug, year)
            values = {v.indicator_id: v.value for v in report.indicator_values.all()}
        elif autosave:
            return _autosaved(report, False, None, [form, survey_form])
        else:
            messages.error(
                request,
                _(
                    "Certains indicateurs contiennent des erreurs, signalées ci-dessous. Rien n’a été enregistré."
                ),
            )
    else:
        form = IndicatorsForm(indicators=indicators, values=values)
        survey_form = SurveyQuestionsForm(questions=questions, answers=answers)
    sections = _sections_progress(report)
    return render(
        request,
        "members/reports/indicators.html",
        {
            **_report_context(report),
            "sections": sections,
            **_progress_context(sections),
            "form": form,
            "survey_form": survey_form,
            # What the page shows as stored now: the next save compares with it.
            "loaded": [(IndicatorsForm.loaded_name(i), values.get(i.pk, "")) for i in indicators],
            "conflict": conflict,
        },
    )


def _save_survey_answers(request, report, autosave, survey_form):
    """Save the answers to the surveys' questions through the service: True when saved."""
    if not survey_form.items:
        return True
    try:
        survey_services.save_survey_answers(
            report=report, by=request.user, values=survey_form.service_data()
        )
    except report_services.ReportingError as error:
        if not autosave:
            messages.error(request, str(error))
        return False
    return True


@login_required
@require_GET
def report_preview(request, slug, year):
    """The whole report as the coordinators will read it, with what is missing to send it."""
    membership, report = get_report_for_user(request, slug, year)
    unanswered, missing, budget = report_services.missing_items(report)
    return render(
        request,
        "members/reports/preview.html",
        {
            **_report_context(report),
            **_report_body(report),
            "can_edit": _can_edit(membership, report),
            "unanswered": unanswered,
            "missing_indicators": missing,
            "budget_errors": budget,
            "transitions": _transitions(report),
        },
    )


@login_required
@require_POST
def report_submit(request, slug, year):
    membership, report = get_report_for_user(request, slug, year, Role.EDITOR)
    try:
        if report.status == Report.Status.CHANGES_REQUESTED:
            report_services.resubmit_report(
                report=report, by=request.user, message=request.POST.get("message", "")[:5000]
            )
        else:
            report_services.submit_report(report=report, by=request.user)
    except report_services.ReportingError as error:
        messages.error(request, str(error))
        return redirect("members:report_preview", slug, year)
    messages.success(
        request,
        _(
            "Votre bilan est envoyé à la coordination du réseau. Vous recevrez sa réponse par e-mail."
        ),
    )
    return redirect("members:report_detail", slug, year)


@login_required
@require_POST
def report_publication(request, slug, year):
    membership, report = get_report_for_user(request, slug, year, Role.EDITOR)
    form = PublicationForm(request.POST, instance=report)
    if form.is_valid():
        report_services.set_publication(
            report=report, by=request.user, publish=form.cleaned_data["publish"]
        )
        if report.publish:
            messages.success(
                request, _("Ce bilan sera publié sur la fiche du lieu une fois validé.")
            )
        else:
            messages.success(request, _("Ce bilan ne sera pas publié."))
    return redirect("members:report_detail", slug, year)


@login_required
@require_GET
def report_print(request, slug, year):
    membership, report = get_report_for_user(request, slug, year)
    return render(request, "members/reports/print.html", _printable(report))


@login_required
@require_GET
def report_pdf(request, slug, year):
    """The report as a PDF."""
    membership, report = get_report_for_user(request, slug, year)
    return _printable_pdf(request, report, "bilan")


def _printable(report, **extra):
    """What the printable report (page, PDF, general assembly's PDF) shows."""
    return {**_report_context(report), **_report_body(report), **extra}


def _printable_pdf(request, report, name, **extra):
    """The printable report as a PDF, ``<name>-<year>-<place>.pdf``."""
    filename = f"{name}-{report.campaign.year}-{report.place.slug}.pdf"
    return _pdf_response(request, "members/reports/pdf.html", _printable(report, **extra), filename)


def _pdf_response(request, template, context, filename):
    """``template`` rendered to PDF by WeasyPrint, with no network access, as an attachment."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context, request=request)
    stylesheet = finders.find("css/report-pdf.css")
    fetcher = URLFetcher(allowed_protocols={"file", "data"})  # the brochure's map: a data: URI
    pdf = weasyprint.HTML(string=html, base_url=stylesheet, url_fetcher=fetcher).write_pdf(
        stylesheets=[weasyprint.CSS(filename=stylesheet, url_fetcher=fetcher)]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _general_assembly_report(request, slug, year):
    _membership, report = get_report_for_user(request, slug, year, Role.EDITOR)
    if report.status not in Report.SENT:  # ready for the assembly once sent
        raise Http404
    signature = (
        report.place.signatures.select_related("version").order_by("-version__number").first()
    )
    return report, signature


@login_required
@require_GET
def report_general_assembly_odt(request, slug, year):
    """/espace/<slug>/bilans/<year>/rapport-ag.odt: the report as an editable document for the
    place's general assembly (representatives and editors; sent reports only)."""
    report, signature = _general_assembly_report(request, slug, year)
    content = general_assembly_odt(report, _report_body(report), signature)
    response = HttpResponse(content, content_type="application/vnd.oasis.opendocument.text")
    filename = f"rapport-ag-{report.campaign.year}-{report.place.slug}.odt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def report_general_assembly_pdf(request, slug, year):
    """The same document as PDF."""
    report, signature = _general_assembly_report(request, slug, year)
    return _printable_pdf(request, report, "rapport-ag", signature=signature, general_assembly=True)


@require_GET
def evidence_file(request, slug, year, pk):
    """A file attached as evidence: only for the place's team, checked on every request.

    No login redirect: to anyone else, the file does not exist (404), signed in or not.
    """
    evidence = get_evidence_for_user(request, slug, year, pk)
    # Downloaded, never rendered by the browser in our origin.
    return private_file_response(evidence.file, as_attachment=True)


@login_required
@require_POST
def markdown_preview(request, slug):
    """The narrative as it will be shown: sanitised HTML fragment for the preview button."""
    get_membership_for_user(request, slug, Role.EDITOR)
    text = request.POST.get("text", "")[:50_000]
    html = render_markdown(text) or "<p>" + _("(rien à afficher)") + "</p>"
    return HttpResponse(html)


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request, slug, year):
    membership = get_membership_for_user(request, slug, Role.REPRESENTATIVE)
    place = membership.place
    campaign = get_object_or_404(ReportingCampaign, year=year)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension_services.request_extension(
                place=place, campaign=campaign, by=request.user, reason=form.cleaned_data["reason"]
            )
        except report_services.ReportingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Votre demande de report est envoyée à la coordination du réseau.")
            )
            return redirect("members:report_list", slug)
    return render(
        request,
        "members/reports/extension.html",
        {
            "place": place,
            "campaign": campaign,
            "form": form,
            "due_on": report_services.effective_due_on(campaign, place),
        },
    )
