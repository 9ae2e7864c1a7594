"""Peer review between places: /espace/<slug>/regards-pairs/…

The inviting place's representatives ask and revoke; the peer's representatives accept or
revoke; the peer's team reads the one report and writes in its threads while the invitation
runs (``get_peer_review_for_user``: 404 before acceptance, after expiry or revocation).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.access import (
    get_membership_for_user,
    get_peer_invitation_for_user,
    get_peer_message_for_user,
    get_peer_review_for_user,
    get_peer_thread_for_user,
    role_at_least,
)
from members.forms.peers import PeerInvitationForm
from members.forms.threads import MessageForm
from members.models import Membership, Report
from members.services import peers as peer_services
from members.services import reports as report_services
from members.services import threads as thread_services

from .actions import run_service
from .threads import attachment_response, post_message, thread_context

Role = Membership.Role


@login_required
@require_http_methods(["GET", "POST"])
def peer_reviews(request, slug):
    """The place's peer reviews, asked and received; representatives ask for a new one."""
    role = Role.REPRESENTATIVE if request.method == "POST" else Role.VIEWER
    membership = get_membership_for_user(request, slug, role)
    place = membership.place
    is_representative = role_at_least(membership.role, Role.REPRESENTATIVE)
    reports = peer_services.reviewable_reports(place) if is_representative else []
    form = None
    if is_representative:
        initial = {"peer": request.GET.get("pair", "")[:100]}
        form = PeerInvitationForm(
            request.POST or None, initial=initial, reports=reports, place=place
        )
    if request.method == "POST" and form.is_valid():
        invited = run_service(
            request,
            lambda: peer_services.invite_peer(
                report=form.chosen_report(),
                peer=form.cleaned_data["peer"],
                by=request.user,
                message=form.cleaned_data["message"],
                days=form.cleaned_data["days"],
            ),
            _("Invitation envoyée : ses représentant·es sont prévenu·es par e-mail."),
            error=peer_services.PeerError,
            form=form,
        )
        if invited:
            return redirect("members:peer_reviews", slug)
    sent, received = peer_services.invitations_of(place)
    unread = thread_services.unread_for_peer(request.user, [i.pk for i in received])
    for invitation in received:
        invitation.unread = unread.get(invitation.pk, 0)
    return render(
        request,
        "members/portal/peer_reviews.html",
        {
            "place": place,
            "membership": membership,
            "is_representative": is_representative,
            "form": form,
            "has_reports": bool(reports),
            "sent": sent,
            "received": received,
        },
    )


@login_required
@require_POST
def peer_accept(request, slug, pk):
    invitation = get_peer_invitation_for_user(request, slug, pk)
    if invitation.peer.slug != slug:
        raise Http404  # only the invited place accepts
    run_service(
        request,
        lambda: peer_services.accept_peer_invitation(invitation=invitation, by=request.user),
        _("Invitation acceptée : votre équipe peut lire ce bilan."),
        error=peer_services.PeerError,
    )
    return redirect("members:peer_reviews", slug)


@login_required
@require_POST
def peer_revoke(request, slug, pk):
    invitation = get_peer_invitation_for_user(request, slug, pk)
    run_service(
        request,
        lambda: peer_services.revoke_peer_invitation(invitation=invitation, by=request.user),
        _("Le regard de pair est terminé."),
        error=peer_services.PeerError,
    )
    return redirect("members:peer_reviews", slug)


@login_required
@require_GET
def peer_report(request, slug, pk):
    """The report under peer review, read-only, each commitment linking to its thread."""
    membership, invitation = get_peer_review_for_user(request, slug, pk)
    report = invitation.report
    answers = report_services.report_answers(report)
    unread = thread_services.unread_by_answer(request.user, report)
    sections = {}
    for answer in answers:
        answer.unread = unread.get(answer.pk, 0)
        sections.setdefault(answer.commitment.section, []).append(answer)
    return render(
        request,
        "members/reports/peer_report.html",
        {
            "place": membership.place,
            "invitation": invitation,
            "report": report,
            "campaign": report.campaign,
            "sections": list(sections.items()),
            "Status": Report.Status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_commitment(request, slug, pk, key):
    role = Role.EDITOR if request.method == "POST" else Role.VIEWER
    membership, invitation, answer = get_peer_thread_for_user(request, slug, pk, key, role)
    form = MessageForm()
    if request.method == "POST":
        form, posted = post_message(request, answer, peer_invitation=invitation)
        if posted:
            return redirect(request.path + "#conversation")
    context = thread_context(request, answer)
    return render(
        request,
        "members/reports/peer_commitment.html",
        {
            "place": membership.place,
            "invitation": invitation,
            "report": answer.report,
            "campaign": answer.report.campaign,
            **context,
            "form": form if role_at_least(membership.role, Role.EDITOR) else None,
        },
    )


@require_GET
def peer_message_file(request, slug, pk, key, message_pk):
    return attachment_response(get_peer_message_for_user(request, slug, pk, key, message_pk))
