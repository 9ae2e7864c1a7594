"""The one way a place's history grows: ``record(place=…, code=…, by=…, **params)``.

Called inside the service that makes the change, in its transaction: the event exists if and
only if the change does. Parameters are plain JSON values (codes, ids, names as they were),
rendered in the reader's language by ``members.history.describe``.
"""

from members.models import PlaceEvent


def record(*, place, code, by=None, at=None, **params):
    if code not in PlaceEvent.Code.values:
        raise ValueError(f"unknown place event code: {code}")
    extra = {"at": at} if at is not None else {}
    return PlaceEvent.objects.create(place=place, code=code, by=by, params=params, **extra)


def record_many(*, code, by=None, at=None, events):
    """The same event for many places at once (an import): ``events`` are ``(place, params)``."""
    if code not in PlaceEvent.Code.values:
        raise ValueError(f"unknown place event code: {code}")
    extra = {"at": at} if at is not None else {}
    return PlaceEvent.objects.bulk_create(
        [
            PlaceEvent(place=place, code=code, by=by, params=params, **extra)
            for place, params in events
        ],
        batch_size=500,
    )
