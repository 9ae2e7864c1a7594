"""Conversations on each commitment of a report: messages, read markers, e-mail settings.

Every answer of a report has a thread (its messages, oldest first). The place's team, the
coordinators of its territory and, for a while, a peer place post in it; a message is never
edited nor deleted (``members/triggers.py``): an edit is a new message, earlier rounds stay
readable. Each message keeps the report's round it was written in (how many times the report
had been sent). What a person has read is one row per (person, thread): the last message id
they were shown.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import owner_link, user_link
from core.storage import private_storage
from core.uploads import unguessable_name

from .links import answer_link, peer_link


def message_file_path(instance, filename):
    return unguessable_name("reports/messages", filename)


class Message(models.Model):
    class Side(models.TextChoices):
        PLACE = "place", _("équipe du lieu")
        COORDINATION = "coordination", _("coordination")
        PEER = "peer", _("lieu pair")

    # PROTECT: messages are never deleted (members/triggers.py), nor is their answer.
    answer = answer_link("messages", on_delete=models.PROTECT)
    author = user_link(_("auteur·rice"))
    side = models.CharField(_("de la part de"), max_length=12, choices=Side.choices)
    # The peer place the author spoke for (side = peer).
    peer_place = peer_link("+", optional=True)
    round = models.PositiveIntegerField(
        _("tour"), default=0, help_text=_("Nombre d’envois du bilan quand le message est écrit.")
    )
    body = models.TextField(_("message"))
    file = models.FileField(
        _("pièce jointe"), upload_to=message_file_path, storage=private_storage, blank=True
    )
    file_label = models.CharField(_("intitulé de la pièce jointe"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["answer", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(side="peer") | models.Q(peer_place__isnull=False),
                name="members_message_peer_has_place",
            ),
        ]
        indexes = [
            # A thread, oldest first; unread counts: messages of these answers after id N.
            models.Index(fields=["answer", "id"], name="message_answer_idx"),
        ]

    def __str__(self):
        return f"{self.answer_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ThreadRead(models.Model):
    """How far ``user`` has read the thread of ``answer``: the last message shown to them."""

    user = owner_link(_("personne"), "thread_reads")
    answer = answer_link("reads")
    last_read_id = models.PositiveBigIntegerField(_("dernier message lu"), default=0)
    read_at = models.DateTimeField(_("lu le"), default=timezone.now)

    class Meta:
        verbose_name = _("lecture d’une conversation")
        verbose_name_plural = _("lectures des conversations")
        ordering = ["user", "answer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "answer"], name="members_thread_read_once"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.answer_id} · {self.last_read_id}"


class NotificationSetting(models.Model):
    """How often a person hears by e-mail about new messages: one digest a day at most."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Dès le premier nouveau message (une fois par jour au plus)")
        DAILY = "daily", _("Un résumé par jour")
        NEVER = "never", _("Jamais")

    user = owner_link(_("personne"), "notification_setting", field=models.OneToOneField)
    frequency = models.CharField(
        _("e-mails sur les conversations"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    last_digest_at = models.DateTimeField(_("dernier résumé envoyé le"), null=True, blank=True)
    # Messages up to this id have been told about (in a digest).
    last_digest_message_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        ordering = ["user", "pk"]

    def __str__(self):
        return f"{self.user_id} · {self.frequency}"
