"""Migration 0006 on a database that already has signatures and reports of version 1."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from charter.models import CanonicalText, CharterVersion, Commitment
from members.models import Answer, Signature
from tests import factories

from .test_canonical import V1_EARLIER_FINGERPRINT, V1_FINGERPRINT

BEFORE = ("charter", "0005_text_and_aids_canonical_texts")
AFTER = ("charter", "0006_version_1_verbatim")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_restoring_the_text_keeps_rows_answers_and_signatures(transactional_db):
    """(``transactional_db``: migrations run outside a test transaction; reference data,
    version 1 included, are loaded again after an earlier test emptied the database.)"""
    # The database as it was before 0006: version 1 in its earlier form, signed and reported on.
    migrate(BEFORE)
    v1 = CharterVersion.objects.get(number=1)
    assert v1.fingerprint == V1_EARLIER_FINGERPRINT
    assert not CanonicalText.objects.exists()
    principle = v1.commitments.get(key="principe-ouverture-a-tous")
    assert principle.text == "S’ouvrir à tous les publics, notamment les plus fragiles."
    ids = dict(v1.commitments.values_list("key", "pk"))
    signature = factories.SignatureFactory(version=v1)
    assert signature.fingerprint == V1_EARLIER_FINGERPRINT
    report = factories.ReportFactory(place=signature.place, version=v1)
    answer = Answer.objects.create(report=report, commitment=principle, level="3")

    migrate(AFTER)

    v1 = CharterVersion.objects.get(number=1)
    assert v1.fingerprint == V1_FINGERPRINT
    assert v1.status == CharterVersion.Status.PUBLISHED
    assert dict(v1.commitments.values_list("key", "pk")) == ids  # same rows, same keys
    answer.refresh_from_db()
    assert answer.commitment_id == ids["principe-ouverture-a-tous"]
    assert answer.commitment.text == "en s’ouvrant à tous les publics, notamment les plus fragiles"
    # The signature keeps what it signed, and that text can still be re-hashed.
    assert Signature.objects.get(pk=signature.pk).fingerprint == V1_EARLIER_FINGERPRINT
    earlier = CanonicalText.objects.get(fingerprint=V1_EARLIER_FINGERPRINT)
    assert not earlier.is_current and earlier.version == v1
    assert hashlib.sha256(earlier.as_bytes()).hexdigest() == V1_EARLIER_FINGERPRINT
    current = CanonicalText.objects.get(version=v1, replaced_at__isnull=True)
    assert hashlib.sha256(current.as_bytes()).hexdigest() == V1_FINGERPRINT
    # The triggers are back: version 1 is immutable again.
    assert Commitment.objects.filter(version=v1).count() == 18
    with pytest.raises(Exception, match="immutable"), connection.cursor() as cursor:
        cursor.execute("UPDATE charter_commitment SET text = 'x'")
