"""Signing the charter, the printable certificate, and the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from charter.models import CanonicalText, CharterVersion
from core.storage import private_file_response
from members import services
from members.access import get_place_for_user, get_signature_for_user
from members.forms.signing import SignatureForm, VerifyForm, normalise_code
from members.models import Membership, Place, Signature, SignaturePolicy
from members.services import signatures as signature_services

Role = Membership.Role


def _client_ip(request):
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips):
    # X-Forwarded-For is not trusted here because anyone can send it.
    return request.META.get("REMOTE_ADDR") or None


@login_required
def sign(request, slug):
    place = get_place_for_user(request, slug, role=Role.REPRESENTATIVE)
    current = CharterVersion.objects.current()
    # The authoritative text, as the network wrote it: what is signed and fingerprinted.
    version = (
        CharterVersion.objects.with_content().filter(pk=current.pk).first() if current else None
    )
    already = Signature.objects.filter(place=place, version=version).first() if version else None
    previous = (
        Signature.objects.filter(place=place, version__number__lt=version.number)
        .select_related("version")
        .order_by("-version__number")
        .first()
        if version
        else None
    )
    blocked = None
    if place.status != Place.Status.MEMBER:
        blocked = _(
            "Votre lieu pourra signer la charte dès que la coordination aura validé son "
            "inscription (statut actuel : %(status)s)."
        ) % {"status": place.get_status_display()}
    elif version is None:
        blocked = _("Aucune version de la charte n’est en vigueur pour le moment.")
    elif already:
        blocked = _("Votre lieu a déjà signé la version %(n)s de la charte.") % {
            "n": version.number
        }
    form = SignatureForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if blocked:
            messages.error(request, blocked)
            if already:
                return redirect("members:certificate", slug=slug, pk=already.pk)
            return redirect("members:place", slug=slug)
        if form.is_valid():
            try:
                signature = signature_services.sign_charter(
                    place=place,
                    version=version,
                    by=request.user,
                    ip_address=_client_ip(request),
                    user_agent=request.headers.get("user-agent", ""),
                    **form.cleaned_data,
                )
            except services.MembersError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Merci ! Votre lieu a signé la charte. Un e-mail de confirmation a été "
                        "envoyé à ses représentant·es."
                    ),
                )
                return redirect("members:certificate", slug=slug, pk=signature.pk)
    return render(
        request,
        "members/portal/sign.html",
        {
            "place": place,
            "version": version,
            "previous": previous,
            "diff_url": version.get_diff_url(since=previous.version) if previous else None,
            "form": form,
            "blocked": blocked,
            "already": already,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def certificate(request, slug, pk):
    signature = get_signature_for_user(request, slug, pk)
    place = signature.place
    return render(
        request,
        "members/portal/certificate.html",
        {
            "place": place,
            "signature": signature,
            "verify_url": request.build_absolute_uri(
                reverse("members:verify", args=[signature.verification_code])
            ),
            "can_download_minutes": bool(signature.minutes)
            and request.place_membership.role == Role.REPRESENTATIVE,
        },
    )


@require_GET
def minutes_file(request, slug, pk):
    """The board minutes attached to a signature: for the place's representatives only,
    checked on every request. No login redirect: to anyone else, the file does not exist."""
    signature = get_signature_for_user(request, slug, pk, role=Role.REPRESENTATIVE)
    filename = f"proces-verbal-{signature.place.slug}-v{signature.version.number}.pdf"
    return private_file_response(signature.minutes, filename=filename)


def verify_form(request):
    """/verifier/: type a code, go to its page."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("members:verify", code=form.cleaned_data["code"])
    return render(request, "members/public/verify_form.html", {"form": form})


def verify(request, code):
    """Public: is this signature genuine, and is it still in force? No personal data."""
    normalised = normalise_code(code)
    policy = SignaturePolicy()
    signature = (
        Signature.objects.with_state(policy)
        .filter(verification_code=normalised)
        .select_related("place", "version")
        .first()
    )
    if signature is None:
        raise Http404
    if normalised != code:
        return redirect("members:verify", code=normalised)
    return render(
        request,
        "members/public/verify.html",
        {
            "signature": signature,
            "state": signature.signature_state,
            "place_is_member": signature.place.status == Place.Status.MEMBER,
            # The exact text that was signed, for anyone to re-hash.
            "signed_text": CanonicalText.objects.for_signature(
                version=signature.version, fingerprint=signature.fingerprint
            ),
            "State": Signature.State,
            "policy": policy,
        },
    )
