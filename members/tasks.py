"""Background jobs (django.tasks): immediate in development and tests, the database backend
(django-tasks-db, run by ``manage.py db_worker``) in production."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail; arguments are plain strings so that any backend stores them."""
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send()
