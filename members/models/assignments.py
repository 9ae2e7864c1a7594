"""Who in a place's team writes which commitment of a report, and by when."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import owner_link, user_link

from .links import answer_link


class Assignment(models.Model):
    """One commitment of a report given to one team member (at most one holder)."""

    answer = answer_link("assignment", field=models.OneToOneField)
    # A person who deletes their account frees what they held.
    assignee = owner_link(_("confié à"), "assignments")
    due_on = models.DateField(_("à faire avant le"), null=True, blank=True)
    assigned_by = user_link(_("confié par"))
    assigned_at = models.DateTimeField(_("confié le"), default=timezone.now)

    class Meta:
        verbose_name = _("engagement confié")
        verbose_name_plural = _("engagements confiés")
        ordering = ["answer", "pk"]
        indexes = [
            # "Mes engagements": what one person holds, across their places.
            models.Index(fields=["assignee", "answer"], name="assignment_assignee_idx"),
        ]

    def __str__(self):
        return f"{self.answer_id} → {self.assignee_id}"
