"""A place's events are stored as codes and read in the reader's language."""

import pytest
from django.utils import translation

from members.models import PlaceEvent
from members.services.history import record

pytestmark = pytest.mark.django_db


def test_an_event_is_read_in_the_readers_language(place):
    event = record(
        place=place,
        code=PlaceEvent.Code.ROLE_CHANGED,
        person="Camille",
        **{"from": "viewer", "to": "editor"},
    )
    with translation.override("fr"):
        assert event.describe() == "Rôle de Camille : Lecteur·rice → Rédacteur·rice."
    with translation.override("en"):
        assert event.describe() == "Camille’s role: Viewer → Editor."


def test_unknown_codes_are_refused(place):
    with pytest.raises(ValueError):
        record(place=place, code="made_up")
    assert not PlaceEvent.objects.exists()
