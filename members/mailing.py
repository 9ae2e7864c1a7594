"""E-mails to users, each rendered in the recipient's language.

Templates: ``templates/emails/<name>_subject.txt`` and ``templates/emails/<name>.txt``.
Services call ``send_on_commit`` so that nothing is sent for a transaction that rolls back.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path):
    """``path`` on the portal's public address (``SITE_URL``, else the current Site)."""
    base = getattr(settings, "SITE_URL", "")
    if not base:
        scheme = "http" if settings.DEBUG else "https"
        base = f"{scheme}://{Site.objects.get_current().domain}"
    return base.rstrip("/") + path


def render_mail(name, context, language):
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        body = render_to_string(f"emails/{name}.txt", context)
    return " ".join(subject.split()), body


def send_mail_to(recipient, name, context):
    """Send e-mail ``name`` to ``recipient``: a User (their language) or an address."""
    if isinstance(recipient, get_user_model()):
        address, language = recipient.email, recipient.language
        context = {**context, "recipient": recipient}
    else:
        address = recipient
        user = get_user_model().objects.filter(email__iexact=address).first()
        language = user.language if user else translation.get_language()
    subject, body = render_mail(name, context, language)
    EmailMessage(subject=subject, body=body, to=[address]).send()


def send_on_commit(recipients, name, context):
    """Send ``name`` to each recipient once the current transaction commits."""
    recipients = list(recipients)

    def send():
        for recipient in recipients:
            send_mail_to(recipient, name, context)

    transaction.on_commit(send)


def coordinators():
    """Staff users with an address, then the extra addresses of ``COORDINATORS_EMAIL``."""
    users = list(get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email=""))
    known = {user.email.lower() for user in users}
    extra = [a for a in settings.COORDINATORS_EMAIL if a.lower() not in known]
    return users + extra
