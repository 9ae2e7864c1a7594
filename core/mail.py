"""The one way an e-mail leaves the portal.

``send(recipients, name, context)`` renders ``templates/emails/<name>_subject.txt`` and
``templates/emails/<name>.txt`` for each recipient in that recipient's language, once the
current transaction commits, and hands each message to the ``deliver`` task (django.tasks:
immediate in development and tests, queued in the database in production, where
``manage.py db_worker`` sends it). Links in e-mails are built with ``absolute_url``, on
``SITE_URL``. A recipient is a User (their address and language), a bare address (the
language of the account with that address, else the current language), or an
``(address, language)`` pair that ``recipients_by_address`` resolved for many at once.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.functions import Lower
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path):
    """``path`` on the portal's public address, ``SITE_URL``."""
    return settings.SITE_URL.rstrip("/") + path


@task()
def deliver(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; arguments are plain strings so that any backend stores them."""
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send()


def render(name, context, language):
    """(subject, body) of e-mail ``name`` in ``language``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_name": settings.SITE_NAME, **context}
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        body = render_to_string(f"emails/{name}.txt", context)
    return " ".join(subject.split()), body


def address_and_language(recipient):
    """(address, language) of a User, of a bare address, or of a resolved pair."""
    if isinstance(recipient, get_user_model()):
        return recipient.email, recipient.language
    if isinstance(recipient, tuple):
        return recipient
    user = get_user_model().objects.filter(email__iexact=recipient).only("language").first()
    return recipient, user.language if user else translation.get_language()


def recipients_by_address(addresses):
    """``{address: (address, language)}``: the language of each address as ``send`` would find
    it (its account's, else the current one), in one query for all of them."""
    wanted = sorted({address.lower() for address in addresses})
    accounts = get_user_model().objects.annotate(lower_email=Lower("email"))
    languages = dict(accounts.filter(lower_email__in=wanted).values_list("lower_email", "language"))
    current = translation.get_language()
    return {address: (address, languages.get(address.lower(), current)) for address in addresses}


def send_now(recipient, name, context):
    """Render ``name`` for ``recipient`` and hand it to the delivery task, inside the current
    transaction (with the database backend the message is queued with the data or not at all).
    Prefer ``send``; this is for callers that log what they send in the same transaction."""
    address, language = address_and_language(recipient)
    if not address:
        return
    if isinstance(recipient, get_user_model()):
        context = {**context, "recipient": recipient}
    subject, body = render(name, context, language)
    deliver.enqueue(subject=subject, body=body, to=[address])


def send(recipients, name, context):
    """Send ``name`` to each recipient once the current transaction commits."""
    recipients = list(recipients)

    def send_all():
        for recipient in recipients:
            send_now(recipient, name, context)

    transaction.on_commit(send_all)
