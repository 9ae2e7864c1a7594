import pytest

from charter import services
from charter.models import CharterVersion, Commitment


@pytest.fixture
def v1(db):
    """Version 1, published by the data migration."""
    return CharterVersion.objects.get(number=1)


@pytest.fixture
def v2(v1, coordinator):
    """Version 2 published from a draft of v1: one bullet and the commitment quoting it
    reworded, one commitment removed, one added, one moved to another section."""
    draft = services.create_draft_from(version=v1, by=coordinator)
    reworded = "Une laïcité ouverte et respectueuse de toutes les différences."
    values = draft.sections.get(kind="values")
    values.bullets = values.bullets.replace("Une laïcité respectueuse des différences", reworded)
    values.save()
    laicite = draft.commitments.get(key="valeur-laicite")
    laicite.text = reworded
    laicite.save()
    draft.commitments.get(key="valeur-solidarite").delete()
    last_section = draft.sections.order_by("-position").first()
    moved = draft.commitments.get(key="valeur-proximite")
    moved.section = last_section
    moved.position = 99
    moved.save()
    Commitment.objects.create(
        version=draft,
        section=last_section,
        key="ambition-numerique",
        position=100,
        title="Numérique",
        text="Accompagner chacun vers un numérique choisi.",
        title_en="Digital",
        text_en="Support everyone towards chosen digital practices.",
    )
    draft.change_summary = "Deuxième version."
    draft.save()
    return services.publish_version(
        version=draft, by=coordinator, requires_resigning=True, grace_period_days=90
    )


@pytest.fixture
def charter_v1(db):
    """Version 1, loaded again from the seed when a transactional test flushed it."""
    import importlib

    from django.apps import apps

    if not CharterVersion.objects.filter(number=1).exists():
        migration = importlib.import_module("charter.migrations.0003_load_version_1")
        migration.load_version_1(apps, None)
    return CharterVersion.objects.get(number=1)
