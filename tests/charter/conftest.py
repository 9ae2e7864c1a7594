import pytest

from charter.models import CharterVersion
from tests import factories


@pytest.fixture
def v1(db):
    """Version 1, published by the data migration."""
    return CharterVersion.objects.get(number=1)


@pytest.fixture
def v2(v1, coordinator):
    """Version 2 published from a draft of v1 (``factories.publish_reworded_version_2``)."""
    return factories.publish_reworded_version_2(v1, by=coordinator)


@pytest.fixture
def charter_v1(db):
    """Version 1, loaded again from the seed when a transactional test flushed it."""
    import importlib

    from django.apps import apps

    if not CharterVersion.objects.filter(number=1).exists():
        migration = importlib.import_module("charter.migrations.0003_load_version_1")
        migration.load_version_1(apps, None)
    return CharterVersion.objects.get(number=1)
