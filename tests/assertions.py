"""Assertions shared by several test modules."""

import pytest


def assert_every_write_refused(obj, error, match=None, **change):
    """``obj`` with ``change``: saving it, deleting it, and updating or deleting its rows in bulk
    all raise ``error`` (the first one matching ``match``)."""
    model = type(obj)
    for field, value in change.items():
        setattr(obj, field, value)
    with pytest.raises(error, match=match):
        obj.save()
    with pytest.raises(error):
        obj.delete()
    with pytest.raises(error):
        model.objects.filter(pk=obj.pk).update(**change)
    with pytest.raises(error):
        model.objects.all().delete()
