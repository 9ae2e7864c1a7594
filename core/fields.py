"""Field factories for what several apps declare alike."""

from django.conf import settings
from django.db import models


def user_link(verbose_name, *, blank=True, related_name="+"):
    """Who did something (published, decided, signed…): the row outlives the account (SET NULL)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def owner_link(verbose_name, related_name, *, field=models.ForeignKey):
    """Whose row it is (a membership, a setting…): the row goes with the account (CASCADE)."""
    return field(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name=related_name,
    )
